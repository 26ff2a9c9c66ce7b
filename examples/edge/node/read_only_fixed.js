// The same function without touching the read-only header: CloudFront accepts the response.
exports.handler = async (event) => {
  const response = event.Records[0].cf.response;
  response.headers["strict-transport-security"] = [
    { key: "Strict-Transport-Security", value: "max-age=63072000" },
  ];
  return response;
};
