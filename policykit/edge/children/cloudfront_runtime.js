// The CloudFront Functions runtime as policykit emulates it (node_child.js loads this for cloudfront-js code).
//
// The code runs in a context of its own (node's vm), with only what the runtime documents:
// - cloudfront-js-1.0: a plain script (ES 5.1 and some later features); `require` knows `crypto` and
//   `querystring` only.
//   https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/functions-javascript-runtime-10.html
// - cloudfront-js-2.0: an ES module; `import cf from 'cloudfront'`, `import crypto from 'crypto'`, `querystring`
//   and `buffer` (also through `require`), `Buffer` as a global, hash/hmac digest() giving a Buffer without an
//   encoding. https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/functions-javascript-runtime-20.html
// - `cf.kvs()` / `cf.kvs(id)`: get(key, {format: string | json | bytes}), exists(key), meta(); a missing key makes
//   get() reject. https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/functions-custom-methods.html
// - `cf.updateRequestOrigin(params)`, `cf.selectRequestOriginById(id)`, `cf.createRequestOriginGroup(params)`:
//   viewer-request only, runtime 2.0 only; recorded as the function's decision, which policykit validates.
//   https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/helper-functions-origin-modification.html
// - No other module, no file system, no network, no timers, no process: the restrictions of
//   https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-function-restrictions.html
//   are absent names here, so code that uses them fails as it would at the edge.
// The context makes CloudFront's rules visible; it is not what contains hostile code (policykit/edge/sandbox.py is).
"use strict";
const vm = require("vm");
const nodeCrypto = require("crypto");
const querystring = require("querystring");

const HASHES = ["md5", "sha1", "sha256"];  // the algorithms the runtime's crypto module documents
const ENCODINGS = ["hex", "base64", "base64url"];
const MODULES_10 = ["crypto", "querystring"];
const MODULES_20 = ["cloudfront", "crypto", "querystring", "buffer"];
const ORIGIN_HELPERS = ["updateRequestOrigin", "selectRequestOriginById", "createRequestOriginGroup"];

class RuntimeError extends Error {}

// Built in the context, so what the code gets (errors, promises, objects) is of its own realm; `bridge` is only
// reachable from these closures.
const IN_CONTEXT = `(function (bridge) {
  "use strict";
  function fail(message) { var error = new Error(message); bridge.mark(error); return error; }
  function store(id) {
    return {
      get: async function (key, options) {
        var format = (options && options.format) || "string";
        var found = bridge.get(id === undefined ? null : String(id), String(key));
        if (found === null) {
          var error = new Error("The key " + JSON.stringify(String(key)) + " does not exist in the key value store");
          bridge.missing(error);
          throw error;
        }
        if (format === "json") return JSON.parse(found);
        if (format === "bytes") return new Uint8Array(JSON.parse(bridge.bytes(found)));
        if (format !== "string") throw new TypeError("format must be string, json or bytes");
        return found;
      },
      exists: async function (key) { return bridge.get(id === undefined ? null : String(id), String(key)) !== null; },
      meta: async function () { return JSON.parse(bridge.meta()); },
    };
  }
  var cf = { kvs: function (id) { return store(id); } };
  ${ORIGIN_HELPERS.map((name) => `cf.${name} = function (value) {
    var refused = bridge.origin("${name}", JSON.stringify(value === undefined ? null : value));
    if (refused) throw fail(refused);
  };`).join("\n  ")}
  var console = { log: function () { bridge.log(Array.prototype.map.call(arguments, function (a) {
    return typeof a === "string" ? a : JSON.stringify(a); }).join(" ")); } };
  console.info = console.warn = console.error = console.debug = console.log;
  return { cf: cf, console: console };
})`;

function hashes(version) {
  const digestOf = (made) => {
    const wrapped = {
      update(data, encoding) { made.update(data, encoding); return wrapped; },
      digest(encoding) {
        if (encoding !== undefined && !ENCODINGS.includes(encoding)) {
          throw new RuntimeError("digest() encodings are hex, base64 and base64url");
        }
        if (encoding !== undefined) return made.digest(encoding);
        return version === "2.0" ? made.digest() : made.digest("latin1");  // 1.0: a byte string
      },
    };
    return wrapped;
  };
  const checked = (algorithm) => {
    if (!HASHES.includes(String(algorithm).toLowerCase())) {
      throw new RuntimeError("the crypto module has md5, sha1 and sha256 only, not " + JSON.stringify(algorithm));
    }
    return String(algorithm).toLowerCase();
  };
  return {
    createHash: (algorithm) => digestOf(nodeCrypto.createHash(checked(algorithm))),
    createHmac: (algorithm, key) => digestOf(nodeCrypto.createHmac(checked(algorithm), key)),
  };
}

// The key value store the function reads: `settings.kvs` is {known, data: {key: value}, meta} or null (not known
// here: every get rejects as for a missing key, and a failure that comes of it is "could not run here").
function keyValueStore(settings, marks) {
  const given = settings.kvs || { known: false, data: {} };
  const data = new Map(Object.entries(given.data || {}));
  return {
    get: (id, key) => (data.has(key) ? String(data.get(key)) : null),
    missing: (error) => { if (!given.known) marks.unknownStore.add(error); },
    bytes: (value) => JSON.stringify(Array.from(Buffer.from(value, "utf-8"))),
    meta: () => JSON.stringify({ creationDateTime: "2026-01-01T00:00:00Z", lastUpdatedDateTime: "2026-01-01T00:00:00Z",
      keyCount: data.size }),
  };
}

function makeContext(settings, log) {
  const version = settings.version === "1.0" ? "1.0" : "2.0";
  const marks = { unknownStore: new WeakSet(), refused: new WeakSet() };
  const decisions = [];
  const store = keyValueStore(settings, marks);
  const bridge = Object.freeze({
    get: store.get, missing: store.missing, bytes: store.bytes, meta: store.meta,
    mark: (error) => marks.refused.add(error),
    log: (text) => log(String(text)),
    origin: (helper, json) => {
      if (settings.eventType !== "viewer-request") {
        return "cf." + helper + "() changes the origin, which a CloudFront Function can do in viewer-request " +
          "functions only (this one runs on " + settings.eventType + ")";
      }
      decisions.push({ helper, value: JSON.parse(json) });
      return "";
    },
  });
  const context = vm.createContext({}, { codeGeneration: { strings: false, wasm: false } });
  const made = vm.runInContext(IN_CONTEXT, context)(bridge);
  const modules = {
    cloudfront: made.cf,
    crypto: hashes(version),
    querystring: { parse: querystring.parse, stringify: querystring.stringify, escape: querystring.escape,
      unescape: querystring.unescape, decode: querystring.decode, encode: querystring.encode },
    buffer: { Buffer },
  };
  const allowed = version === "2.0" ? MODULES_20 : MODULES_10;
  const globals = context;
  globals.console = made.console;
  globals.require = (name) => {
    if (allowed.includes(name)) return modules[name];
    throw new RuntimeError("Cannot find module '" + name + "': the cloudfront-js-" + version + " runtime has " +
      allowed.join(", ") + " only");
  };
  const encode = (text) => Buffer.from(String(text), "latin1").toString("base64");
  const decode = (text) => Buffer.from(String(text), "base64").toString("latin1");
  globals.btoa = encode;
  globals.atob = decode;
  if (version === "2.0") globals.Buffer = Buffer;
  return { context, modules, allowed, version, decisions, marks };
}

// The handler function of the code, or a RuntimeError saying why there is none (a syntax error is thrown as is).
async function loadFunction(file, code, name, settings, log) {
  const made = makeContext(settings, log);
  if (made.version === "1.0") {
    vm.runInContext(code, made.context, { filename: file });
    const handler = vm.runInContext("typeof " + name + " === 'function' ? " + name + " : undefined", made.context);
    return { handler, made };
  }
  if (typeof vm.SourceTextModule !== "function") {
    const error = new RuntimeError("this Node.js (" + process.version + ") cannot run ES modules in a context of " +
      "their own, which cloudfront-js-2.0 code needs here");
    error.code = "POLICYKIT_RUNTIME";  // this machine's limit, not the function's
    throw error;
  }
  // The handler is a top-level function of the module; an export added after the code's last line names it
  // (line numbers in errors stay the code's own).
  const source = code + "\n;export { " + name + " as __policykitHandler };\n";
  const module = new vm.SourceTextModule(source, { context: made.context, identifier: file });
  await module.link(async (specifier) => {
    if (!made.allowed.includes(specifier)) {
      throw new RuntimeError("Cannot find module '" + specifier + "': the cloudfront-js-2.0 runtime has " +
        made.allowed.join(", ") + " only");
    }
    const exported = made.modules[specifier];
    const names = ["default", ...Object.keys(exported)];
    return new vm.SyntheticModule(names, function () {
      this.setExport("default", exported);
      for (const key of Object.keys(exported)) this.setExport(key, exported[key]);
    }, { context: made.context, identifier: specifier });
  });
  await module.evaluate();
  return { handler: module.namespace.__policykitHandler, made };
}

module.exports = { loadFunction, RuntimeError };
