import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  splitTag
} from "./chunk-XNTVPW2M.js";
import {
  check,
  execCommand,
  tail
} from "./chunk-7FCH2HRT.js";
import {
  UserError
} from "./chunk-LHJCWPA6.js";

// src/engine/docker.ts
import * as os from "node:os";
import * as path2 from "node:path";

// src/engine/api.ts
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
var EngineApi = class {
  constructor(socketPath) {
    this.socketPath = socketPath;
  }
  socketPath;
  /** Set when the socket did not answer: every later call goes to the docker CLI. */
  unreachable = false;
  /** Set when a request got no answer within its time (the socket took it, the engine is stuck). */
  timedOut = false;
  /**
   * One request. The answer reads like the docker CLI's (code 0 and the body on success; code 1
   * and "Error response from daemon: ..." otherwise), so callers check it as they check the CLI.
   * Undefined when the socket did not answer within the time: the caller asks the docker CLI,
   * which reports the fault in its own words.
   */
  async call(method, urlPath, opts = {}) {
    if (this.unreachable) return void 0;
    const { timeoutMs = 3e4, json } = opts;
    const body = json === void 0 ? void 0 : JSON.stringify(json);
    const headers = { host: "docker", ...body === void 0 ? {} : { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) } };
    const answer = await new Promise((resolve) => {
      const req = http.request({ socketPath: this.socketPath, path: urlPath, method, headers, timeout: timeoutMs }, (res) => {
        const chunks = [];
        res.on("data", (chunk) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", () => resolve(void 0));
      });
      req.on("timeout", () => {
        this.timedOut = true;
        req.destroy(new Error("timeout"));
      });
      req.on("error", () => resolve(void 0));
      req.end(body);
    });
    if (!answer) {
      this.unreachable = true;
      return void 0;
    }
    if (answer.status >= 200 && answer.status < 300) return { code: 0, stdout: answer.body, stderr: "" };
    let message = answer.body.trim();
    try {
      message = JSON.parse(answer.body).message ?? message;
    } catch {
    }
    return { code: 1, stdout: "", stderr: `Error response from daemon: ${message || `HTTP ${answer.status}`}` };
  }
};
var DEFAULT_SOCKET = "/var/run/docker.sock";
function localEngineSocket(env, configDir) {
  const host = env.DOCKER_HOST?.trim();
  if (host) return /^unix:\/\/\/./.test(host) ? host.slice("unix://".length) : void 0;
  const context = env.DOCKER_CONTEXT?.trim();
  if (context) return context === "default" ? DEFAULT_SOCKET : void 0;
  const file = path.join(configDir, "config.json");
  if (!fs.existsSync(file)) return DEFAULT_SOCKET;
  try {
    const current = JSON.parse(fs.readFileSync(file, "utf8"))?.currentContext;
    return !current || current === "default" ? DEFAULT_SOCKET : void 0;
  } catch {
    return void 0;
  }
}

// src/engine/docker.ts
function userConfigDir(env = process.env) {
  return env.DOCKER_CONFIG || path2.join(os.homedir(), ".docker");
}
var LOCAL_REGISTRY = "autobuild.invalid";
var Docker = class {
  constructor(configDir, runId, api) {
    this.configDir = configDir;
    this.runId = runId;
    this.api = api;
  }
  configDir;
  runId;
  api;
  /** The engine's API when the docker CLI would talk to a local socket (see localEngineSocket). */
  static localApi(env = process.env) {
    const socket = localEngineSocket(env, userConfigDir());
    return socket ? new EngineApi(socket) : void 0;
  }
  /** Environment for docker and for anything that calls docker for us (hooks, compose). */
  env(extra = {}) {
    return { ...this.configDir ? { DOCKER_CONFIG: this.configDir } : {}, ...extra };
  }
  /**
   * The local name a build is loaded under until it is pushed: unique to this run, so two runs
   * on one engine (same repository, same branch) can never swap images between build and push.
   * Under a `.invalid` host (RFC 2606), so it can never be pushed anywhere by mistake.
   */
  localTag(ref, index) {
    const repo = ref.replace(/:[^:/]+$/, "").replace(/^[^/]+\//, "");
    return `${LOCAL_REGISTRY}/${repo}:${this.runId ?? process.pid}-${index}`;
  }
  async run(args, opts = {}) {
    return execCommand("docker", args, { ...opts, env: this.env(opts.env) });
  }
  async ok(args, what, opts = {}) {
    return check(await this.run(args, opts), what);
  }
  /**
   * One `docker info`: whether the engine answers (one clear line when it does not), its version,
   * and what capabilities.ts reads (image store, buildx plugin).
   */
  async requireEngine() {
    const where = process.env.DOCKER_HOST ? ` at DOCKER_HOST=${process.env.DOCKER_HOST}` : "";
    const fromApi = await this.api?.call("GET", "/info", { timeoutMs: ENGINE_TIMEOUT_MS });
    if (this.api?.timedOut) throw new UserError(`The Docker engine${where} is not reachable: no answer within ${ENGINE_TIMEOUT_MS / 1e3}s`);
    const r = fromApi?.code === 0 ? fromApi : await this.run(["info", "--format", "{{json .}}"], { timeoutMs: ENGINE_TIMEOUT_MS });
    let info = {};
    try {
      info = JSON.parse(r.stdout) ?? {};
    } catch {
    }
    const version = info.ServerVersion?.trim();
    if (!version) {
      const said = info.ServerErrors?.length ? info.ServerErrors.join("; ") : r.stderr.trim() ? tail({ ...r, stdout: "" }, 1) : "";
      const cause = said.replace(/^.*?(Cannot connect|error during connect)/i, "$1");
      throw new UserError(`The Docker engine${where} is not reachable: ${cause || "no answer from docker info"}`);
    }
    return { version, info };
  }
  /**
   * `docker tag image ref`. The engine replaces a name by removing it and creating it again, so
   * another run naming the same reference at that moment makes one of them fail with "already
   * exists": then it is tried again (3 attempts in all).
   */
  async tag(image, ref) {
    const name = splitTag(ref);
    for (let attempt = 1; ; attempt++) {
      const viaApi = name && await this.api?.call("POST", `/images/${image}/tag?repo=${encodeURIComponent(name.repo)}&tag=${encodeURIComponent(name.tag)}`);
      const r = viaApi || await this.run(["tag", image, ref]);
      if (r.code === 0 || attempt >= 3 || !/already exists/i.test(r.stderr)) {
        check(r, `docker tag ${ref}`);
        return;
      }
    }
  }
  /** `docker image inspect`: what the engine knows of a local image, undefined when it has no such image. */
  async inspectImage(ref) {
    const fromApi = await this.api?.call("GET", `/images/${ref}/json`);
    const r = fromApi ?? await this.run(["image", "inspect", ref], { timeoutMs: 6e4 });
    if (r.code !== 0) return void 0;
    try {
      const parsed = JSON.parse(r.stdout);
      return (Array.isArray(parsed) ? parsed[0] : parsed) ?? void 0;
    } catch {
      return void 0;
    }
  }
  /**
   * `docker image rm` of names (the image itself stays while other names use it): which names
   * were removed, and the errors other than a name that was not there. A cleanup command.
   */
  async removeImages(refs, opts = {}) {
    const untagged = [];
    const errors = [];
    const results = this.api ? await Promise.all(refs.map((ref) => this.api.call("DELETE", `/images/${ref}${opts.noPrune ? "?noprune=1" : ""}`))) : [];
    if (results.length && results.every((r2) => r2 !== void 0)) {
      for (const [i, r2] of results.entries()) {
        if (r2.code === 0) untagged.push(refs[i]);
        else if (!/No such image/i.test(r2.stderr)) errors.push(r2.stderr);
      }
      return { untagged, errors };
    }
    const r = await this.run(["image", "rm", ...opts.noPrune ? ["--no-prune"] : [], ...refs], { cleanup: true });
    for (const line of r.stdout.split("\n")) {
      const ref = refs.find((x) => line.trim() === `Untagged: ${x}`);
      if (ref) untagged.push(ref);
    }
    if (r.code !== 0) errors.push(...r.stderr.split("\n").filter((l) => l.trim() && !/No such image/i.test(l)));
    return { untagged, errors };
  }
};
var ENGINE_TIMEOUT_MS = 3e4;

export {
  userConfigDir,
  LOCAL_REGISTRY,
  Docker
};
//# sourceMappingURL=chunk-57KFFATP.js.map
