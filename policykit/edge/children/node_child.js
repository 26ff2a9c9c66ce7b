// Run one Node.js Lambda@Edge handler, or a CloudFront Function: policykit starts this file with node.
// argv: code root, file, function name, result fd, timeout (s), runtime (nodejs | cloudfront-js).
// stdin: {"event": ..., "settings": {...}} (settings: a CloudFront Function's runtime version, event type and key
// value store). The result goes on the result fd (never stdout, which is the log), as lines of JSON:
// {"phase":"loaded"} once the code is loaded, then {"phase":"done", ...}.
"use strict";
const fs = require("fs");
const path = require("path");
const url = require("url");
const [root, file, name, fdText, timeoutText, runtime] = process.argv.slice(2);
const fd = Number(fdText);
let finished = false;
let cloudfront = null;  // what a CloudFront Function decided (origin changes) and the errors the runtime made

function send(message) {
  fs.writeSync(fd, JSON.stringify(message) + "\n");
}

function finish(message) {
  if (finished) return;
  finished = true;
  send(Object.assign({ phase: "done" }, message));
  fs.closeSync(fd);
  process.exit(0);
}

function blockNetwork() {
  const blocked = () => {
    const error = new Error("network access is not available when policykit runs a handler");
    error.code = "POLICYKIT_NETWORK";
    throw error;
  };
  const net = require("net");
  net.Socket.prototype.connect = blocked;
  net.connect = net.createConnection = blocked;
  require("dns").lookup = blocked;
  require("dns").resolve = blocked;
  require("http").request = require("http").get = blocked;
  require("https").request = require("https").get = blocked;
  globalThis.fetch = async () => blocked();
}

// The package a missing module belongs to (`@scope/pkg/x` -> `@scope/pkg`), for the parent to look up in the
// handler's package.json; "" for a relative or absolute path (a file of the code itself).
function missingPackage(error) {
  if (!error || (error.code !== "MODULE_NOT_FOUND" && error.code !== "ERR_MODULE_NOT_FOUND")) return "";
  const found = String(error.message || "").match(/Cannot find (?:module|package) '([^']+)'/);
  if (!found || found[1].startsWith(".") || path.isAbsolute(found[1]) || found[1].startsWith("file:")) return "";
  const parts = found[1].split("/");
  return found[1].startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

function describe(error) {
  if (error && typeof error === "object" && "message" in error) {  // also errors of a vm context
    const frame = String(error.stack || "").split("\n").find((l) => l.includes(path.basename(file)));
    const where = frame ? " at " + frame.trim().replace(/^at /, "") : "";
    return (error.name || "Error") + ": " + error.message + where;
  }
  return "threw " + (typeof error === "string" ? JSON.stringify(error) : String(error));
}

function failed(error) {
  if (error && error.code === "POLICYKIT_RUNTIME") {
    finish({ outcome: "unavailable", reason: "runtime", detail: error.message });
    return;
  }
  if (error && error.code === "POLICYKIT_NETWORK") {
    finish({ outcome: "unavailable", reason: "network", detail: "it makes a network call (" + error.message + ")" });
    return;
  }
  if (cloudfront && error && typeof error === "object" && cloudfront.marks.unknownStore.has(error)) {
    finish({ outcome: "unavailable", reason: "key value store", detail: "it reads a key of its key value store, " +
      "whose content is not known here (give it with --kvs FILE, or declare the keys in the template)" });
    return;
  }
  const message = { outcome: "error", detail: describe(error), syntax: error instanceof SyntaxError ||
    (error && error.name === "SyntaxError") };
  const missing = missingPackage(error);
  if (missing) message.missing = missing;
  finish(Object.assign(message, decided()));
}

function decided() {
  return cloudfront && cloudfront.decisions.length ? { origin: cloudfront.decisions } : {};
}

function returned(value) {
  let text;
  try {
    text = value === undefined ? "null" : JSON.stringify(value);
  } catch (error) {
    finish({ outcome: "unserializable", detail: "the result cannot be sent as JSON: " + error.message });
    return;
  }
  if (finished) return;
  finished = true;
  const origin = JSON.stringify(decided().origin || null);
  fs.writeSync(fd, '{"phase": "done", "outcome": "returned", "origin": ' + origin + ', "value": ' +
    (text === undefined ? "null" : text) + "}\n");
  fs.closeSync(fd);
  process.exit(0);
}

async function load(settings) {
  if (runtime === "cloudfront-js") {
    const { loadFunction } = require("./cloudfront_runtime.js");
    const code = fs.readFileSync(file, "utf-8");
    const loaded = await loadFunction(file, code, name, settings, (line) => process.stdout.write(line + "\n"));
    cloudfront = loaded.made;
    return loaded.handler;
  }
  let module;
  if (file.endsWith(".mjs")) {
    module = await import(url.pathToFileURL(file).href);
  } else {
    try {
      module = require(file);
    } catch (error) {
      if (error.code !== "ERR_REQUIRE_ESM") throw error;
      module = await import(url.pathToFileURL(file).href);
    }
  }
  return module[name] || (module.default && module.default[name]);
}

async function main() {
  const payload = JSON.parse(fs.readFileSync(0, "utf-8"));
  const event = payload.event;
  blockNetwork();
  process.chdir(root);
  process.on("uncaughtException", failed);
  process.on("unhandledRejection", failed);
  let handler;
  try {
    handler = await load(payload.settings || {});
  } catch (error) {
    if (error && /Export '.*' is not defined/.test(String(error.message)) && String(error.message).includes(name)) {
      handler = undefined;  // the module has no such function: said below
    } else {
      failed(error);
      return;
    }
  }
  if (typeof handler !== "function") {
    finish({ outcome: "usage", detail: path.basename(file) + " has no function " + JSON.stringify(name) });
    return;
  }
  send({ phase: "loaded" });
  const deadline = Date.now() + Number(timeoutText) * 1000;
  const context = {
    functionName: "edge-function", functionVersion: "1", memoryLimitInMB: "128",
    invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:edge-function:1",
    awsRequestId: "00000000-0000-4000-8000-000000000000", callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  // Lambda's Node.js runtimes: a promise's value, or what the callback is given; a plain return value
  // of a non-async handler is ignored, and with no callback call the result is null.
  process.on("beforeExit", () => returned(null));
  const callback = (error, value) => (error ? failed(error) : returned(value));
  let outcome;
  try {
    outcome = runtime === "cloudfront-js" ? handler(event) : handler(event, context, callback);
  } catch (error) {
    failed(error);
    return;
  }
  if (runtime === "cloudfront-js" && !(outcome && typeof outcome.then === "function")) {
    returned(outcome);
  } else if (outcome && typeof outcome.then === "function") {
    outcome.then(returned, failed);
  }
}

main();
