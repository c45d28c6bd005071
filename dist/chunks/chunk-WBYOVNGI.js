import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  userConfigDir
} from "./chunk-57KFFATP.js";
import {
  DOCKER_HUB,
  parseRegistry
} from "./chunk-XNTVPW2M.js";
import {
  CancelledError,
  CommandFailed,
  PhaseTimeout,
  remainingMs,
  tail
} from "./chunk-7FCH2HRT.js";
import {
  UserError
} from "./chunk-LHJCWPA6.js";
import {
  info
} from "./chunk-X4UWHUXT.js";

// src/engine/login.ts
import * as fs from "node:fs";
import * as path from "node:path";

// src/engine/registry-errors.ts
var STATUS_TEXT = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  409: "Conflict",
  413: "Payload Too Large",
  416: "Range Not Satisfiable",
  425: "Too Early",
  429: "Too Many Requests",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout"
};
function classifyStatus(status, retryAfter) {
  const text = STATUS_TEXT[status];
  const reason = `HTTP ${status}${text ? ` ${text}` : ""}`;
  const transient2 = status === 408 || status === 425 || status === 429 || status >= 500 && status <= 599 && status !== 501;
  const fault = { kind: transient2 ? "transient" : "permanent", reason, status };
  if (status === 401) fault.reason = "unauthorized (HTTP 401): wrong or missing credentials";
  if (status === 403) fault.reason = "access denied (HTTP 403): the credentials may not push to this repository";
  if (status === 404) fault.reason = "not found (HTTP 404): the repository or registry path does not exist";
  const wait = parseRetryAfter(retryAfter);
  if (transient2 && wait !== void 0) fault.retryAfterMs = wait;
  return fault;
}
function parseRetryAfter(value, now = Date.now()) {
  if (!value) return void 0;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1e3;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? void 0 : Math.max(0, at - now);
}
var REGISTRY_CODES = [
  { code: "BLOB_UNKNOWN", status: 404, reason: "a layer the registry does not have (BLOB_UNKNOWN)", messages: ["blob unknown to registry"] },
  { code: "BLOB_UPLOAD_INVALID", status: 400, kind: "transient", reason: "the registry lost the upload session", messages: ["blob upload invalid"] },
  { code: "BLOB_UPLOAD_UNKNOWN", status: 404, kind: "transient", reason: "the registry lost the upload session", messages: ["blob upload unknown to registry"] },
  { code: "DIGEST_INVALID", status: 400, kind: "transient", reason: "an upload arrived damaged (DIGEST_INVALID)", messages: ["provided digest did not match uploaded content"] },
  { code: "MANIFEST_BLOB_UNKNOWN", status: 404, reason: "invalid manifest: the registry rejected the image manifest (MANIFEST_BLOB_UNKNOWN)", messages: ["manifest references a manifest or blob unknown to registry"] },
  { code: "MANIFEST_INVALID", status: 400, reason: "invalid manifest: the registry rejected the image manifest", messages: ["manifest invalid"] },
  { code: "MANIFEST_UNKNOWN", status: 404, messages: ["manifest unknown"] },
  { code: "NAME_INVALID", status: 400, reason: "invalid image name or tag", messages: ["invalid repository name"] },
  { code: "NAME_UNKNOWN", status: 404, messages: ["repository name not known to registry"] },
  { code: "SIZE_INVALID", status: 400, kind: "transient", reason: "an upload arrived damaged (SIZE_INVALID)", messages: ["provided length did not match content length"] },
  { code: "TAG_INVALID", status: 400, reason: "invalid image name or tag", messages: ["manifest tag did not match URI"] },
  { code: "UNAUTHORIZED", status: 401, messages: ["authentication required"] },
  { code: "DENIED", status: 403, messages: ["requested access to the resource is denied"] },
  { code: "UNSUPPORTED", status: 405, reason: "the registry does not support this operation (UNSUPPORTED)", messages: ["the operation is unsupported"] },
  { code: "TOOMANYREQUESTS", status: 429, reason: "rate limited (HTTP 429)", messages: ["too many requests"] },
  { code: "UNAVAILABLE", status: 503, messages: ["service unavailable"] }
];
var words = (code) => code.toLowerCase().replace(/_/g, " ");
function faultOfCode(code) {
  const entry = REGISTRY_CODES.find((c) => c.code === code.toUpperCase().replace(/ /g, "_"));
  if (!entry) return void 0;
  const fault = { ...classifyStatus(entry.status), code: entry.code };
  if (entry.kind) fault.kind = entry.kind;
  if (entry.reason) fault.reason = entry.reason;
  return fault;
}
function codeOfMessage(message) {
  const m = message.trim().replace(/[.\s]+$/, "").toLowerCase();
  for (const c of REGISTRY_CODES) {
    if (m === words(c.code) || c.messages.some((x) => (x = x.toLowerCase()) === m || m.startsWith(`${x}:`) || m.startsWith(`${x} `))) return c.code;
  }
  return void 0;
}
var CODE_WORDS = REGISTRY_CODES.map((c) => words(c.code)).sort((a, b) => b.length - a.length);
var ANSWER_FORMS = [
  {
    name: "HTTP status after a request",
    from: "containerd pusher (Docker 26 and 28, containerd image store; BuildKit 0.13 and 0.2x cache export and import); docker login (all)",
    example: "unexpected status from POST request to http://127.0.0.1:5000/v2/acme/app/blobs/uploads/: 503 Service Unavailable",
    // "failed with status: 503 Service Unavailable", "unexpected status: 429 Too Many Requests",
    // "received unexpected HTTP status: 500 Internal Server Error", "... request to URL: 401 Unauthorized".
    re: /\bstatus(?: code)?(?: from \w+ request to \S+)?:? (\d{3})\b/gi,
    fault: (m) => classifyStatus(Number(m[1]))
  },
  {
    name: "HTTP status line",
    from: "BuildKit (response status lines), registries behind proxies",
    example: "failed to fetch anonymous token: HTTP 502 Bad Gateway",
    re: /\b(?:HTTP\/\d(?:\.\d)? |HTTP )(\d{3})\b/g,
    fault: (m) => classifyStatus(Number(m[1]))
  },
  {
    name: "error from registry: <message>",
    from: "Docker 28 (containerd image store): push and pull print only the message of the registry's first error, never its code",
    example: "error from registry: denied",
    // (Up to a quote: the engine API's JSON stream carries the same text inside a string.)
    re: /\berror from registry: ([^\n"]*)/g,
    fault: (m) => {
      const code = codeOfMessage(m[1]);
      if (code) return faultOfCode(code);
      return fallbackFault(m[1]) ?? { kind: "permanent", reason: `the registry refused: ${m[1].trim()}` };
    }
  },
  {
    name: "<code words>: <message>",
    from: "the classic image store (Docker 26 and 28), containerd's registry errors (BuildKit 0.2x after a status line), Docker Hub and GHCR answers as the CLI prints them",
    example: "denied: requested access to the resource is denied",
    // The message is part of the match, so that a text inside it never outranks the code.
    re: new RegExp(`(?:^|[\\s:"(])(${CODE_WORDS.join("|")}): [^\\n]*`, "gim"),
    fault: (m) => faultOfCode(m[1])
  },
  {
    name: "error code in capitals",
    from: "registry answers quoted whole (`errors: MANIFEST_BLOB_UNKNOWN: ...`, JSON bodies)",
    example: "errors: MANIFEST_BLOB_UNKNOWN: blob unknown to registry",
    re: new RegExp(`\\b(${REGISTRY_CODES.map((c) => c.code).join("|")})\\b`, "g"),
    fault: (m) => faultOfCode(m[1])
  }
];
var permanent = (reason, status) => () => ({ kind: "permanent", reason, ...status ? { status } : {} });
var transient = (reason, status) => () => ({ kind: "transient", reason, ...status ? { status } : {} });
var FALLBACK_TEXTS = [
  { from: "Docker Hub's rate-limit message (all engines)", re: /too many requests|rate limit/gi, fault: transient("rate limited (HTTP 429)", 429) },
  { from: "status words without a number (older registries, proxies)", re: /\bservice unavailable\b/gi, fault: () => classifyStatus(503) },
  { from: "status words without a number", re: /\bbad gateway\b/gi, fault: () => classifyStatus(502) },
  { from: "status words without a number", re: /\bgateway timeout\b/gi, fault: () => classifyStatus(504) },
  { from: "status words without a number", re: /\binternal server error\b/gi, fault: () => classifyStatus(500) },
  { from: "docker login (all engines), Docker Hub", re: /\bunauthorized\b|authentication required|incorrect username or password|no basic auth credentials|invalid username\/password/gi, fault: () => classifyStatus(401) },
  { from: "GHCR, Docker Hub", re: /requested access to the resource is denied|\bforbidden\b|insufficient_scope/gi, fault: () => classifyStatus(403) },
  { from: "registries without a spec code", re: /repository name not known|\b(?:name|manifest) unknown\b|\bnot found\b/gi, fault: () => classifyStatus(404) },
  { from: "manifest rejections", re: /\bunsupported manifest\b/gi, fault: permanent("invalid manifest: the registry rejected the image manifest") },
  { from: "docker CLI (all)", re: /invalid reference format|repository name must be lowercase|\binvalid tag\b/gi, fault: permanent("invalid image name or tag") },
  { from: "Go resolver (all)", re: /\bno such host\b/gi, fault: permanent("unknown registry host (DNS: no such host)") },
  { from: "Go TLS (all)", re: /\bx509: |certificate signed by unknown authority|tls: failed to verify certificate/gi, fault: permanent("TLS certificate not trusted") },
  { from: "Go HTTP client (all)", re: /server gave HTTP response to HTTPS client/gi, fault: permanent("the registry speaks plain HTTP but is not an insecure registry for this engine") },
  { from: "registries without a spec code", re: /\bblob upload (?:unknown|invalid)\b/gi, fault: transient("the registry lost the upload session") },
  // Network faults: the connection broke or stalled; a new attempt usually works.
  { from: "Go net (all)", re: /connection reset(?: by peer)?|\bECONNRESET\b/gi, fault: transient("connection reset") },
  { from: "Go net (all)", re: /connection refused|\bECONNREFUSED\b/gi, fault: transient("connection refused") },
  { from: "Go net, HTTP/2 (all)", re: /broken pipe|\bEPIPE\b|use of closed network connection|server closed idle connection|http2: server sent GOAWAY/gi, fault: transient("connection closed") },
  { from: "Go HTTP client (all)", re: /\bunexpected EOF\b|: EOF\b|\bEOF$/gm, fault: transient("connection closed early (EOF)") },
  { from: "Go net, HTTP client (all)", re: /\bi\/o timeout\b|\bTLS handshake timeout\b|context deadline exceeded|Client\.Timeout exceeded|timeout awaiting response headers|\bETIMEDOUT\b|request canceled while waiting for connection/gi, fault: transient("timeout") },
  { from: "Go resolver (all)", re: /temporary failure in name resolution|server misbehaving|\bEAI_AGAIN\b/gi, fault: transient("DNS lookup failed temporarily") },
  { from: "Go net (all)", re: /network is unreachable|no route to host|\bENETUNREACH\b|\bEHOSTUNREACH\b/gi, fault: transient("network unreachable") }
];
function fallbackFault(text) {
  return lastMatch(text, FALLBACK_TEXTS.map((s) => ({ re: s.re, fault: () => s.fault() })))?.fault;
}
function lastMatch(output, signals) {
  let best;
  for (const signal of signals) {
    const re = new RegExp(signal.re.source, signal.re.flags);
    for (let m = re.exec(output); m; m = re.exec(output)) {
      const at = m.index + m[0].length;
      if (m[0].length === 0) re.lastIndex++;
      if (best && at <= best.at) continue;
      const fault = signal.fault(m);
      if (fault) best = { at, fault };
    }
  }
  return best;
}
function lastLine(output) {
  return output.split("\n").map((l) => l.trim()).filter(Boolean).pop() ?? "";
}
function classifyOutput(output) {
  const answer = lastMatch(output, [...ANSWER_FORMS]);
  const text = lastMatch(output, FALLBACK_TEXTS.map((s) => ({ re: s.re, fault: () => s.fault() })));
  const best = answer && (!text || answer.at >= text.at) ? answer : text;
  if (best) return best.fault;
  const line = lastLine(output);
  return { kind: "permanent", reason: line ? `unrecognised error: ${line}` : "failed without a message" };
}

// src/engine/retry.ts
var RetryableFailure = class extends Error {
  constructor(message, fault) {
    super(message);
    this.fault = fault;
    this.name = "RetryableFailure";
  }
  fault;
};
var NODE_TRANSIENT = /* @__PURE__ */ new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "ENETDOWN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CLOSED"
]);
function classifyError(error) {
  if (error instanceof RetryableFailure) return error.fault;
  const output = error?.output;
  if (typeof output === "string") return classifyOutput(output);
  for (let e = error, depth = 0; e && depth < 4; e = e.cause, depth++) {
    const { code, name } = e;
    if (typeof code === "string" && NODE_TRANSIENT.has(code)) return { kind: "transient", reason: `network error (${code})` };
    if (name === "TimeoutError" || name === "AbortError") return { kind: "transient", reason: "timeout" };
  }
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof TypeError && /fetch failed/i.test(message)) return { kind: "transient", reason: "network error" };
  return classifyOutput(message);
}
var DEFAULT_RETRY = {
  attempts: 5,
  initialDelayMs: 2e3,
  factor: 2,
  maxDelayMs: 3e4,
  totalMs: 5 * 6e4,
  jitter: 0.2
};
function retryDelay(policy, retry, random = Math.random) {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** Math.max(0, retry - 1));
  const spread = base * policy.jitter * (2 * random() - 1);
  return Math.max(0, Math.round(Math.min(policy.maxDelayMs, base + spread)));
}
var RetryError = class extends Error {
  constructor(what, fault, attempts, elapsedMs, last, stopped) {
    const detail = describeGiveUp(fault, attempts, elapsedMs, stopped);
    super(stopped === "permanent" ? `${what} failed: ${detail}` : `${what} failed ${detail}`);
    this.what = what;
    this.fault = fault;
    this.attempts = attempts;
    this.elapsedMs = elapsedMs;
    this.last = last;
    this.stopped = stopped;
    this.name = "RetryError";
    this.detail = detail;
  }
  what;
  fault;
  attempts;
  elapsedMs;
  last;
  stopped;
  /** The message without `what`: "after 5 attempts in 31s (no attempts left); the last error was transient: ...". */
  detail;
};
function seconds(ms) {
  return ms < 1e4 ? `${(ms / 1e3).toFixed(1)}s` : `${Math.round(ms / 1e3)}s`;
}
function describeGiveUp(fault, attempts, elapsedMs, stopped) {
  if (stopped === "permanent") return `${fault.reason}${attempts > 1 ? ` (attempt ${attempts})` : ""}`;
  const why = stopped === "time" ? "no time left to retry" : "no attempts left";
  return `after ${attempts} attempt${attempts === 1 ? "" : "s"} in ${seconds(elapsedMs)} (${why}); the last error was transient: ${fault.reason}`;
}
var realSleep = (ms) => new Promise((resolve2) => setTimeout(resolve2, ms));
async function withRetry(what, fn, options = {}) {
  const policy = options.policy ?? DEFAULT_RETRY;
  const classify = options.classify ?? classifyError;
  const log = options.log ?? ((m) => info(m));
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  const remaining = options.remaining ?? remainingMs;
  const started = now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (error instanceof PhaseTimeout || error instanceof CancelledError) throw error;
      const fault = classify(error);
      const elapsed = now() - started;
      if (fault.kind === "permanent") throw new RetryError(what, fault, attempt, elapsed, error, "permanent");
      if (attempt >= policy.attempts) throw new RetryError(what, fault, attempt, elapsed, error, "attempts");
      const delay = fault.retryAfterMs !== void 0 ? Math.min(policy.maxDelayMs, fault.retryAfterMs) : retryDelay(policy, attempt, options.random);
      const left = remaining();
      if (elapsed + delay > policy.totalMs || left !== void 0 && delay >= left) {
        throw new RetryError(what, fault, attempt, elapsed, error, "time");
      }
      log(`${what}: ${fault.reason}; retrying in ${seconds(delay)} (attempt ${attempt + 1} of ${policy.attempts})`);
      await sleep(delay);
    }
  }
}

// src/engine/login.ts
function credentialsFor(images, inputs, actor = "") {
  const registries = [...new Set(images.map((i) => i.registry))];
  const out = [];
  for (const registry of registries) {
    const explicit = inputs.registryAuth.find((a) => a.registry === registry);
    if (explicit) {
      out.push({ ...explicit, from: "registry-auth" });
    } else if (registry === "ghcr.io" && inputs.githubToken && (!inputs.username || registries.length > 1)) {
      out.push({ registry, username: actor || "x-access-token", password: inputs.githubToken, from: "github-token" });
    } else if (inputs.username && inputs.password) {
      out.push({ registry, username: inputs.username, password: inputs.password, from: "username/password" });
    }
  }
  return out;
}
function reserveDockerConfig(tempRoot) {
  const dir = fs.mkdtempSync(path.join(tempRoot, CONFIG_PREFIX));
  fs.chmodSync(dir, 448);
  return dir;
}
function writeDockerConfig(dir) {
  const source = userConfigDir();
  let config = {};
  try {
    config = JSON.parse(fs.readFileSync(path.join(source, "config.json"), "utf8"));
  } catch {
  }
  const store = config.credsStore;
  delete config.credsStore;
  if (typeof store === "string" && store) {
    const auths = config.auths ?? {};
    const helpers = { ...config.credHelpers ?? {} };
    for (const [key, entry] of Object.entries(auths)) {
      if (!entry?.auth && !entry?.identitytoken && !(key in helpers)) helpers[key] = store;
    }
    if (Object.keys(helpers).length) config.credHelpers = helpers;
  }
  fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify(config, null, 2), { mode: 384 });
  for (const sub of ["cli-plugins", "buildx", "contexts"]) {
    const from = path.join(source, sub);
    if (fs.existsSync(from)) fs.symlinkSync(from, path.join(dir, sub));
  }
}
function createDockerConfig(tempRoot) {
  const dir = reserveDockerConfig(tempRoot);
  writeDockerConfig(dir);
  return dir;
}
var CONFIG_PREFIX = "autobuild-docker-";
function removeDockerConfig(dir) {
  const resolved = path.resolve(dir);
  if (!path.basename(resolved).startsWith(CONFIG_PREFIX) || path.dirname(resolved) === resolved) {
    throw new Error(`refusing to remove '${dir}': not a docker config folder made by autobuild`);
  }
  fs.rmSync(resolved, { recursive: true, force: true });
}
function namesRegistry(key, registry) {
  return parseRegistry(key) === registry;
}
function keepLoginInFile(configDir, registry) {
  const file = path.join(configDir, "config.json");
  const config = JSON.parse(fs.readFileSync(file, "utf8"));
  const names = Object.keys(config.credHelpers ?? {}).filter((key) => namesRegistry(key, registry));
  if (!names.length) return;
  for (const n of names) delete config.credHelpers[n];
  fs.writeFileSync(file, JSON.stringify(config, null, 2), { mode: 384 });
}
function hasConfiguredLogin(configDir, registry) {
  let config;
  try {
    config = JSON.parse(fs.readFileSync(path.join(configDir, "config.json"), "utf8"));
  } catch {
    return false;
  }
  for (const [key, entry] of Object.entries(config.auths ?? {})) {
    if (namesRegistry(key, registry) && (entry?.auth || entry?.identitytoken || entry?.username)) return true;
  }
  return Object.keys(config.credHelpers ?? {}).some((key) => namesRegistry(key, registry));
}
function registryName(registry) {
  return registry === DOCKER_HUB ? "Docker Hub (docker.io)" : registry;
}
async function login(docker, cred, policy) {
  const where = registryName(cred.registry);
  if (docker.configDir) keepLoginInFile(docker.configDir, cred.registry);
  let refusals = 0;
  try {
    await withRetry(
      `Login to ${where}`,
      async () => {
        const r = await docker.run(["login", cred.registry, "--username", cred.username, "--password-stdin"], { input: cred.password });
        if (r.code !== 0) throw new CommandFailed("docker login", r);
      },
      {
        policy,
        classify: (error) => {
          const fault = classifyError(error);
          if (fault.status === 401 && refusals++ === 0) {
            return { kind: "transient", reason: `${fault.reason} (checking once more: the engine also reports 401 when the registry's first answer failed)`, retryAfterMs: 0 };
          }
          return fault;
        }
      }
    );
  } catch (error) {
    if (!(error instanceof RetryError)) throw error;
    const cause = error.last instanceof CommandFailed ? tail(error.last.result, 2) : String(error.last);
    const refused = error.fault.status === 401 || error.fault.status === 403;
    if (refused) {
      throw new UserError(`${where} refused the credentials for user '${cred.username}' (from ${cred.from}): ${error.fault.reason}. Docker said: ${cause}`);
    }
    throw new UserError(`Could not log in to ${where} as '${cred.username}': ${error.detail}. Docker said: ${cause}`);
  }
  info(`Logged in to ${where} as ${cred.username} (${cred.from}).`);
}

export {
  classifyStatus,
  classifyOutput,
  RetryableFailure,
  classifyError,
  DEFAULT_RETRY,
  RetryError,
  withRetry,
  credentialsFor,
  reserveDockerConfig,
  writeDockerConfig,
  createDockerConfig,
  removeDockerConfig,
  hasConfiguredLogin,
  registryName,
  login
};
//# sourceMappingURL=chunk-WBYOVNGI.js.map
