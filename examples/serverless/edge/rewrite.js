'use strict';

// origin-request: serve /about as /about/index.html from the S3 website
exports.handler = async (event) => {
  const request = event.Records[0].cf.request;
  if (request.uri.endsWith('/')) {
    request.uri += 'index.html';
  }
  return request;
};
