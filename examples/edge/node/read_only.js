// An origin-response function that adds Transfer-Encoding, which is read-only there (PK706: 502).
exports.handler = async (event) => {
  const response = event.Records[0].cf.response;
  response.headers["transfer-encoding"] = [{ key: "Transfer-Encoding", value: "chunked" }];
  response.headers["strict-transport-security"] = [
    { key: "Strict-Transport-Security", value: "max-age=63072000" },
  ];
  return response;
};
