import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  check,
  execCommand,
  tail
} from "./chunk-URGTF424.js";
import {
  UserError
} from "./chunk-LHJCWPA6.js";

// src/engine/docker.ts
var LOCAL_REGISTRY = "autobuild.invalid";
var Docker = class {
  constructor(configDir, runId) {
    this.configDir = configDir;
    this.runId = runId;
  }
  configDir;
  runId;
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
    const r = await this.run(["info", "--format", "{{json .}}"], { timeoutMs: 3e4 });
    let info = {};
    try {
      info = JSON.parse(r.stdout) ?? {};
    } catch {
    }
    const version = info.ServerVersion?.trim();
    if (!version) {
      const where = process.env.DOCKER_HOST ? ` at DOCKER_HOST=${process.env.DOCKER_HOST}` : "";
      const said = info.ServerErrors?.length ? info.ServerErrors.join("; ") : r.stderr.trim() ? tail({ ...r, stdout: "" }, 1) : "";
      const cause = said.replace(/^.*?(Cannot connect|error during connect)/i, "$1");
      throw new UserError(`The Docker engine${where} is not reachable: ${cause || "no answer from docker info"}`);
    }
    return { version, info };
  }
};

export {
  LOCAL_REGISTRY,
  Docker
};
//# sourceMappingURL=chunk-K43UZLZX.js.map
