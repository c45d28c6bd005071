import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  userConfigDir
} from "./chunk-UPZ66O24.js";
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
} from "./chunk-URGTF424.js";
import {
  UserError
} from "./chunk-LHJCWPA6.js";
import {
  info
} from "./chunk-6GS7HBKY.js";

// src/engine/login.ts
import * as fs from "node:fs";
import * as path from "node:path";

// src/engine/retry.ts
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
var permanent = (reason, status) => () => ({ kind: "permanent", reason, status });
var transient = (reason, status) => () => ({ kind: "transient", reason, status });
var SIGNALS = [
  // Statuses written as numbers: "failed with status: 503 Service Unavailable", "unexpected status: 429 Too Many Requests",
  // "received unexpected HTTP status: 500 Internal Server Error", "unexpected status from PUT request to ...: 401 Unauthorized".
  { re: /\bstatus(?: code)?(?: from \w+ request to \S+)?:? (\d{3})\b/gi, fault: (m) => classifyStatus(Number(m[1])) },
  { re: /\b(?:HTTP\/\d(?:\.\d)? |HTTP )(\d{3})\b/g, fault: (m) => classifyStatus(Number(m[1])) },
  // Registry error codes (distribution spec) and the words registries answer with.
  { re: /\btoomanyrequests\b|too many requests|rate limit/gi, fault: transient("rate limited (HTTP 429)", 429) },
  { re: /\b(?:service unavailable|bad gateway|gateway timeout|internal server error)\b/gi, fault: (m) => ({ ...classifyStatus(statusOfText(m[0])) }) },
  { re: /\bunauthorized\b|authentication required|incorrect username or password|no basic auth credentials|invalid username\/password/gi, fault: () => classifyStatus(401) },
  { re: /\bdenied: |requested access to the resource is denied|\bforbidden\b|insufficient_scope/gi, fault: () => classifyStatus(403) },
  { re: /\bDENIED\b/g, fault: () => classifyStatus(403) },
  { re: /\bname unknown\b|\bNAME_UNKNOWN\b|repository name not known|\bmanifest unknown\b|\bnot found\b/gi, fault: () => classifyStatus(404) },
  { re: /\bmanifest invalid\b|\bMANIFEST_INVALID\b|\bmanifest blob unknown\b|\bMANIFEST_BLOB_UNKNOWN\b|\bunsupported manifest\b/gi, fault: permanent("invalid manifest: the registry rejected the image manifest") },
  { re: /\bNAME_INVALID\b|\bTAG_INVALID\b|invalid reference format|repository name must be lowercase|\binvalid tag\b/gi, fault: permanent("invalid image name or tag") },
  { re: /\bno such host\b/gi, fault: permanent("unknown registry host (DNS: no such host)") },
  { re: /\bx509: |certificate signed by unknown authority|tls: failed to verify certificate/gi, fault: permanent("TLS certificate not trusted") },
  { re: /server gave HTTP response to HTTPS client/gi, fault: permanent("the registry speaks plain HTTP but is not an insecure registry for this engine") },
  // Network faults: the connection broke or stalled; a new attempt usually works.
  { re: /connection reset(?: by peer)?|\bECONNRESET\b/gi, fault: transient("connection reset") },
  { re: /connection refused|\bECONNREFUSED\b/gi, fault: transient("connection refused") },
  { re: /broken pipe|\bEPIPE\b|use of closed network connection|server closed idle connection|http2: server sent GOAWAY/gi, fault: transient("connection closed") },
  { re: /\bunexpected EOF\b|: EOF\b|\bEOF$/gm, fault: transient("connection closed early (EOF)") },
  { re: /\bi\/o timeout\b|\bTLS handshake timeout\b|context deadline exceeded|Client\.Timeout exceeded|timeout awaiting response headers|\bETIMEDOUT\b|request canceled while waiting for connection/gi, fault: transient("timeout") },
  { re: /temporary failure in name resolution|server misbehaving|\bEAI_AGAIN\b/gi, fault: transient("DNS lookup failed temporarily") },
  { re: /network is unreachable|no route to host|\bENETUNREACH\b|\bEHOSTUNREACH\b/gi, fault: transient("network unreachable") },
  { re: /\bblob upload unknown\b|\bBLOB_UPLOAD_UNKNOWN\b|\bblob upload invalid\b|\bBLOB_UPLOAD_INVALID\b/gi, fault: transient("the registry lost the upload session") }
];
function statusOfText(text) {
  const t = text.toLowerCase();
  return t.includes("bad gateway") ? 502 : t.includes("gateway timeout") ? 504 : t.includes("service unavailable") ? 503 : 500;
}
function lastLine(output) {
  return output.split("\n").map((l) => l.trim()).filter(Boolean).pop() ?? "";
}
function classifyOutput(output) {
  let best;
  for (const signal of SIGNALS) {
    signal.re.lastIndex = 0;
    for (let m = signal.re.exec(output); m; m = signal.re.exec(output)) {
      const at = m.index + m[0].length;
      if (!best || at > best.at) best = { at, fault: signal.fault(m) };
      if (m[0].length === 0) signal.re.lastIndex++;
    }
  }
  if (best) return best.fault;
  const line = lastLine(output);
  return { kind: "permanent", reason: line ? `unrecognised error: ${line}` : "failed without a message" };
}
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
//# sourceMappingURL=chunk-LI7MIQEA.js.map
