// A viewer-request CloudFront Function (runtime 2.0) that routes by path: the origin id for a path prefix is kept in
// the function's key value store, and the request goes to that origin of the distribution.
//   policykit edge run examples/edge/cloudfront-functions/router.js:handler --event viewer-request \
//     --runtime cloudfront-js-2.0 --kvs examples/edge/cloudfront-functions/routes.kvs --uri /api/users \
//     --origin-id web --origin-id api
import cf from 'cloudfront';

const routes = cf.kvs();

async function handler(event) {
  const request = event.request;
  const prefix = '/' + request.uri.split('/')[1];
  try {
    cf.selectRequestOriginById(await routes.get(prefix));
  } catch (err) {
    // no route for this prefix: the behavior's own origin serves it
  }
  return request;
}
