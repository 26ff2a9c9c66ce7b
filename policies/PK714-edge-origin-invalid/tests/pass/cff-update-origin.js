import cf from 'cloudfront';

function handler(event) {
  if (event.request.uri.startsWith('/api/')) {
    cf.updateRequestOrigin({
      domainName: 'api.example.com',
      originPath: '/v2',
      connectionAttempts: 2,
      timeouts: { readTimeout: 30, connectionTimeout: 5 },
      customOriginConfig: { port: 443, protocol: 'https', sslProtocols: ['TLSv1.2'] },
    });
  }
  return event.request;
}
