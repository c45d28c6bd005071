import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  UserError
} from "./chunk-LHJCWPA6.js";
import {
  debug
} from "./chunk-X4UWHUXT.js";

// src/engine/exec.ts
import { spawn } from "node:child_process";
import * as os from "node:os";

// src/engine/deadline.ts
import { AsyncLocalStorage } from "node:async_hooks";

// src/engine/inert-log.ts
import { randomBytes } from "node:crypto";
var live = /* @__PURE__ */ new Set();
function endInertLogs() {
  for (const log of [...live]) log.finish();
}
var InertLog = class {
  constructor(out = process.stdout) {
    this.out = out;
    live.add(this);
  }
  out;
  token;
  atLineStart = true;
  finished = false;
  write(chunk) {
    if (chunk.length === 0) return;
    if (!this.token) {
      this.token = randomBytes(16).toString("hex");
      this.out.write(`::stop-commands::${this.token}
`);
    }
    this.out.write(chunk);
    const last = typeof chunk === "string" ? chunk.charCodeAt(chunk.length - 1) : chunk[chunk.length - 1];
    this.atLineStart = last === 10;
    if (this.finished) this.end();
  }
  /** Ends the inert part: workflow commands work again. */
  end() {
    if (!this.token) return;
    this.out.write(`${this.atLineStart ? "" : "\n"}::${this.token}::
`);
    this.token = void 0;
    this.atLineStart = true;
  }
  /** The command is done with the log (or its phase is): ends the inert part for good. */
  finish() {
    this.end();
    this.finished = true;
    live.delete(this);
  }
};

// src/engine/deadline.ts
var current = new AsyncLocalStorage();
function currentDeadline() {
  return current.getStore();
}
function remainingMs() {
  const d = current.getStore();
  return d ? d.endsAt - Date.now() : void 0;
}
function formatDuration(ms) {
  if (ms % 1e3 !== 0) return `${ms}ms`;
  let s = ms / 1e3;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${h ? `${h}h` : ""}${m ? `${m}m` : ""}${s || !h && !m ? `${s}s` : ""}`;
}
var PhaseTimeout = class extends UserError {
  constructor(phase, limitMs, what, stopped = true) {
    super(
      `The ${phase} phase did not finish within ${formatDuration(limitMs)}${what ? ` (${what} was ${stopped ? "stopped" : "not started: no time was left"})` : ""}. Raise the limit with the 'timeout' input, e.g. timeout: ${phase}=${formatDuration(limitMs * 2)}.`
    );
    this.phase = phase;
    this.limitMs = limitMs;
    this.stopped = stopped;
    this.name = "PhaseTimeout";
  }
  phase;
  limitMs;
  stopped;
};
var SETTLE_MS = 15e3;
async function withinPhase(phase, limitMs, fn) {
  let timer;
  try {
    if (!limitMs) return await fn();
    const deadline = { phase, limitMs, endsAt: Date.now() + limitMs };
    const backstop = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new PhaseTimeout(phase, limitMs)), limitMs + SETTLE_MS);
      timer.unref();
    });
    return await Promise.race([current.run(deadline, fn), backstop]);
  } finally {
    clearTimeout(timer);
    endInertLogs();
  }
}

// src/engine/exec.ts
var DEFAULT_TIMEOUT_MS = 10 * 6e4;
var CLEANUP_TIMEOUT_MS = 6e4;
var KILL_GRACE_MS = 5e3;
var CancelledError = class extends UserError {
  constructor(signal, what) {
    super(`Cancelled (${signal})${what ? ` while running ${what}` : ""}.`);
    this.name = "CancelledError";
  }
};
var CommandTimeout = class extends UserError {
  constructor(what, limitMs) {
    super(`${what} did not finish within ${formatDuration(limitMs)} and was stopped.`);
    this.limitMs = limitMs;
    this.name = "CommandTimeout";
  }
  limitMs;
};
var running = /* @__PURE__ */ new Set();
var cancelled;
var handlersInstalled = false;
function killTree(child, signal) {
  if (child.pid === void 0 || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
    }
  }
}
function stop(child) {
  child.stopGently?.().catch(() => void 0);
  killTree(child, "SIGTERM");
  const hard = setTimeout(() => killTree(child, "SIGKILL"), KILL_GRACE_MS);
  hard.unref();
  child.once("close", () => clearTimeout(hard));
}
function cancelOnSignals() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const onSignal = (signal) => {
    if (cancelled) {
      for (const child of running) killTree(child, "SIGKILL");
      process.exit(130);
    }
    cancelled = signal;
    for (const child of running) if (!child.cleanup) stop(child);
    try {
      process.stdout.write(`Received ${signal}: stopping the running commands and cleaning up.${os.EOL}`);
    } catch {
    }
    setTimeout(() => process.exit(130), 2e4).unref();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
}
var HOST_ENV_ALLOWED = [
  "PATH",
  "HOME",
  "USER",
  "LOGNAME",
  "SHELL",
  "TERM",
  "TZ",
  "LANG",
  "LANGUAGE",
  /^LC_[A-Z]+$/,
  "TMPDIR",
  "TEMP",
  "TMP",
  "CI",
  "DOCKER_HOST",
  "DOCKER_CONTEXT",
  "DOCKER_TLS_VERIFY",
  "DOCKER_CERT_PATH",
  "DOCKER_API_VERSION",
  "BUILDX_BUILDER",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy"
];
var allowed = (name, env) => HOST_ENV_ALLOWED.some((a) => typeof a === "string" ? a === name : a.test(name)) || // An engine reached over ssh:// needs the SSH agent for the docker CLI that hooks and compose run.
name === "SSH_AUTH_SOCK" && /^ssh:\/\//.test(env.DOCKER_HOST ?? "");
function childEnv(extra = {}, isolated = false) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === void 0 || k.toUpperCase().startsWith("INPUT_")) continue;
    if (isolated && !allowed(k, process.env)) continue;
    env[k] = v;
  }
  for (const [k, v] of Object.entries(extra)) {
    if (v === void 0) delete env[k];
    else env[k] = v;
  }
  return env;
}
async function execCommand(cmd, args, opts = {}) {
  const what = describeCommand(cmd, args);
  debug(`exec: ${cmd} ${args.map(quoteArg).join(" ")}`);
  if (cancelled && !opts.cleanup) throw new CancelledError(cancelled, what);
  const deadline = opts.cleanup ? void 0 : currentDeadline();
  const phaseLeft = deadline ? deadline.endsAt - Date.now() : void 0;
  const own = opts.timeoutMs ?? (opts.cleanup ? CLEANUP_TIMEOUT_MS : deadline ? void 0 : DEFAULT_TIMEOUT_MS);
  if (phaseLeft !== void 0 && phaseLeft <= 0) throw new PhaseTimeout(deadline.phase, deadline.limitMs, what, false);
  const limit = Math.min(own ?? Infinity, phaseLeft ?? Infinity);
  return new Promise((resolve, reject) => {
    let child;
    try {
      child = spawn(cmd, args, { cwd: opts.cwd, env: childEnv(opts.env, opts.isolated), stdio: ["pipe", "pipe", "pipe"], detached: true });
    } catch (error) {
      reject(startError(cmd, error));
      return;
    }
    child.cleanup = opts.cleanup;
    child.stopGently = opts.stop;
    running.add(child);
    let stdout = "";
    let stderr = "";
    let ended;
    const log = opts.stream ? new InertLog() : void 0;
    let enough = false;
    child.stdout.on("data", (d) => {
      if (opts.onStdout) {
        if (!enough && opts.onStdout(d) === true) {
          enough = true;
          stop(child);
        }
        return;
      }
      stdout += d.toString();
      log?.write(d);
    });
    child.stderr.on("data", (d) => {
      stderr += d.toString();
      log?.write(d);
    });
    child.stdin.on("error", () => void 0);
    child.stdin.end(opts.input === void 0 ? void 0 : Buffer.from(opts.input));
    const timer = limit === Infinity ? void 0 : setTimeout(() => {
      ended = phaseLeft !== void 0 && phaseLeft <= (own ?? Infinity) ? "phase" : "own";
      stop(child);
    }, limit);
    child.on("error", (error) => {
      if (timer) clearTimeout(timer);
      running.delete(child);
      log?.finish();
      reject(startError(cmd, error));
    });
    child.on("close", (code, signal) => {
      if (timer) clearTimeout(timer);
      running.delete(child);
      log?.finish();
      if (ended === "phase") reject(new PhaseTimeout(deadline.phase, deadline.limitMs, what));
      else if (ended === "own") reject(new CommandTimeout(what, limit));
      else if (cancelled && !opts.cleanup && (code !== 0 || signal)) reject(new CancelledError(cancelled, what));
      else resolve({ code: code ?? 128 + (signal ? os.constants.signals[signal] ?? 0 : 0), stdout, stderr });
    });
  });
}
function startError(cmd, error) {
  const e = error;
  if (e.code === "ENOENT") return new UserError(`'${cmd}' was not found on PATH. Install it on the runner before this step.`);
  return e instanceof Error ? e : new Error(String(error));
}
function tail(result, lines = 8) {
  const text = (result.stderr.trim() || result.stdout.trim()).split("\n");
  return text.filter((l) => l.trim() !== "").slice(-lines).join("\n");
}
var CommandFailed = class extends Error {
  constructor(what, result) {
    super(tail(result, 3) || `${what} failed (exit ${result.code})`);
    this.what = what;
    this.result = result;
    this.name = "CommandFailed";
    this.output = `${result.stdout}
${result.stderr}`;
  }
  what;
  result;
  output;
};
function check(result, what) {
  if (result.code !== 0) throw new UserError(`${what} failed (exit ${result.code}):
${tail(result)}`);
  return result;
}
function describeCommand(cmd, args) {
  const words = [];
  for (const a of args) {
    if (a.startsWith("-") || words.length === 2) break;
    words.push(a);
  }
  return `'${[cmd, ...words].join(" ")}'`;
}
function quoteArg(a) {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}

export {
  currentDeadline,
  remainingMs,
  formatDuration,
  PhaseTimeout,
  withinPhase,
  DEFAULT_TIMEOUT_MS,
  CancelledError,
  CommandTimeout,
  cancelOnSignals,
  HOST_ENV_ALLOWED,
  childEnv,
  execCommand,
  tail,
  CommandFailed,
  check,
  describeCommand
};
//# sourceMappingURL=chunk-7FCH2HRT.js.map
