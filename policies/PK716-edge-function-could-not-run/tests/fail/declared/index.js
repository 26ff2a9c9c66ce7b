// `jsonwebtoken` is in package.json but not installed here: the deployed bundle has it
const jwt = require("jsonwebtoken");

exports.handler = async (event) => {
  const request = event.Records[0].cf.request;
  return jwt ? request : request;
};
