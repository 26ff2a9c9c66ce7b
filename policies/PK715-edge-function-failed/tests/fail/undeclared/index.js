// `jsonwebtoken` is neither installed nor declared: Lambda@Edge has no layers, so the function fails there too
const jwt = require("jsonwebtoken");

exports.handler = async (event) => {
  const request = event.Records[0].cf.request;
  return jwt ? request : request;
};
