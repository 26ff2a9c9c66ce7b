import cf from 'cloudfront';

function handler(event) {
  cf.updateRequestOrigin({ domainName: '10.0.0.5', customOriginConfig: { port: 8080, protocol: 'http' } });
  return event.request;
}
