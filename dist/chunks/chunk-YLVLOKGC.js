import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  parseImage
} from "./chunk-XNTVPW2M.js";
import {
  tail
} from "./chunk-7FCH2HRT.js";
import {
  UserError
} from "./chunk-LHJCWPA6.js";
import {
  info
} from "./chunk-X4UWHUXT.js";

// src/engine/compose.ts
import * as fs from "node:fs";
import * as path from "node:path";

// src/yaml.ts
var lib;
async function loadYaml() {
  if (!lib) {
    const loaded = await import("./dist-WHGG2XSO.js");
    lib = typeof loaded.parseDocument === "function" ? loaded : loaded.default;
  }
  return lib;
}
function yamlLib() {
  if (!lib) throw new Error("internal error: YAML read before loadYaml()");
  return lib;
}

// src/engine/compose.ts
var V1_NET = /^(none|host|bridge|container:.+)$/;
function toComposeV2(doc) {
  const services = {};
  for (const [name, raw] of Object.entries(doc)) {
    const service = { ...raw };
    if (typeof service.net === "string" && V1_NET.test(service.net)) {
      service.network_mode = service.net;
      delete service.net;
    }
    if (typeof service.dockerfile === "string" && typeof service.build === "string") {
      service.build = { context: service.build, dockerfile: service.dockerfile };
      delete service.dockerfile;
    }
    services[name] = service;
  }
  return { services };
}
function isMapping(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
function readAutotestFile(file, shownAs = file) {
  let doc;
  try {
    doc = yamlLib().parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new UserError(`The autotest file ${shownAs} is not valid YAML: ${error.message.split("\n")[0]}.`);
  }
  if (!isMapping(doc)) throw new UserError(`The autotest file ${shownAs} is not a compose file (expected a mapping with services).`);
  const legacy = !("services" in doc) && !("version" in doc) && Object.values(doc).length > 0 && Object.values(doc).every(isMapping);
  const services = legacy ? doc : doc.services;
  if (!isMapping(services) || !isMapping(services.sut)) {
    const names = isMapping(services) ? Object.keys(services) : [];
    throw new UserError(
      `The autotest file ${shownAs} defines no service named 'sut' (it has ${names.length ? names.join(", ") : "no services"}). Docker Hub autotests start 'sut' and what it depends on, and its exit code decides; rename the test service to sut, or set test-compose: off.`
    );
  }
  return { file, doc: legacy ? toComposeV2(doc) : doc, legacy };
}
function repositoryOf(image) {
  let ref = image.trim().split("@")[0];
  const slash = ref.lastIndexOf("/");
  const colon = ref.lastIndexOf(":");
  if (colon > slash) ref = ref.slice(0, colon);
  const parsed = parseImage(ref);
  return typeof parsed === "string" ? void 0 : parsed.name;
}
function builtHere(build, image) {
  if (build === void 0 || build === null) return void 0;
  const b = typeof build === "string" ? { context: build } : isMapping(build) ? build : {};
  const context = typeof b.context === "string" ? b.context : "";
  if (!path.isAbsolute(context) || b.dockerfile_inline !== void 0) return false;
  const dockerfile = path.resolve(context, typeof b.dockerfile === "string" ? b.dockerfile : "Dockerfile");
  const ctx = path.resolve(context);
  const sameContext = ctx === path.resolve(image.context) || ctx === path.dirname(path.resolve(image.file));
  const sameTarget = typeof b.target !== "string" || b.target === image.target;
  return sameContext && dockerfile === path.resolve(image.file) && sameTarget;
}
function pointAtImage(model, image) {
  const services = {};
  const changed = [];
  for (const [name, original] of Object.entries(model.services ?? {})) {
    const service = { ...original };
    const built = builtHere(service.build, image);
    const repo = typeof service.image === "string" ? repositoryOf(service.image) : void 0;
    const namesOurs = repo !== void 0 && image.repositories.includes(repo);
    if (built === true || built === void 0 && namesOurs) {
      delete service.build;
      service.image = image.ref;
      service.pull_policy = "never";
      if (image.platform) service.platform = image.platform;
      changed.push(name);
    } else if (built === false && namesOurs) {
      delete service.image;
    }
    services[name] = service;
  }
  return { model: { ...model, services }, services: changed };
}
function parsePs(stdout) {
  const text = stdout.trim();
  if (!text) return [];
  const rows = text.startsWith("[") ? JSON.parse(text) : text.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
  return rows.map((r) => ({
    id: String(r.ID ?? ""),
    service: String(r.Service ?? ""),
    state: String(r.State ?? ""),
    exitCode: Number(r.ExitCode ?? 0),
    health: String(r.Health ?? "")
  }));
}
function failed(c) {
  return c.state === "exited" && c.exitCode !== 0 || c.health === "unhealthy" || c.state === "dead" || c.state === "restarting";
}
function projectName(...parts) {
  return parts.map(String).join("-").toLowerCase().replace(/[^a-z0-9_-]+/g, "-").replace(/^[^a-z0-9]+/, "");
}
var ComposeProject = class _ComposeProject {
  constructor(docker, name, dir, files, env = {}) {
    this.docker = docker;
    this.name = name;
    this.dir = dir;
    this.files = files;
    this.env = env;
  }
  docker;
  name;
  dir;
  files;
  env;
  argv(...rest) {
    return ["compose", "--ansi", "never", "--project-name", this.name, "--project-directory", this.dir, ...this.files.flatMap((f) => ["--file", f]), ...rest];
  }
  run(rest, stream = false, timeoutMs) {
    return this.docker.run(this.argv(...rest), { env: this.env, stream, timeoutMs, isolated: true });
  }
  /** The same project with other compose files. */
  withFiles(files) {
    return new _ComposeProject(this.docker, this.name, this.dir, files, this.env);
  }
  /** The fully resolved model (interpolated with this project's environment, paths absolute). */
  async config() {
    const r = await this.run(["config", "--format", "json"]);
    if (r.code !== 0 && /is not a docker command|unknown (shorthand )?flag|unknown command/i.test(r.stderr)) {
      throw new UserError(
        `Docker Compose v2 (docker compose) is needed for the autotest files but this docker has no usable compose plugin: ${tail(r, 1)}. Install it on the runner, or set test-compose: off.`
      );
    }
    if (r.code !== 0) throw new UserError(`docker compose could not read ${this.files.join(", ")}:
${tail(r, 6)}`);
    return JSON.parse(r.stdout);
  }
  /** Starts `service` and what it depends on, detached; the output streams to the log. */
  up(service, timeoutMs) {
    return this.run(["up", "--detach", "--quiet-pull", service], true, timeoutMs);
  }
  async ps() {
    const r = await this.run(["ps", "--all", "--format", "json"]);
    return r.code === 0 ? parsePs(r.stdout) : [];
  }
  /** Waits for a container to stop; its exit code. */
  async wait(containerId, timeoutMs) {
    const r = await this.docker.run(["wait", containerId], { timeoutMs });
    if (r.code !== 0) throw new UserError(`docker wait ${containerId} failed: ${tail(r, 2)}`);
    return Number(r.stdout.trim());
  }
  /** Prints the logs of some containers to the log, each under a header line. */
  async logs(containers) {
    for (const c of containers) {
      info(`----- ${c.service} (${c.health === "unhealthy" ? "unhealthy" : c.state === "exited" ? `exit ${c.exitCode}` : c.state}) -----`);
      await this.docker.run(["logs", c.id], { stream: true });
    }
  }
  /** Removes every container, network and volume of the project (and images it built). */
  down() {
    return this.run(["down", "--volumes", "--remove-orphans", "--rmi", "local", "--timeout", "1"]);
  }
};
async function removeProjects(docker, state) {
  const removed = [];
  for (const { name, file } of JSON.parse(state)) {
    const files = file && fs.existsSync(file) ? [file] : [];
    const r = await new ComposeProject(docker, name, path.dirname(file ?? "."), files).down();
    if (r.code !== 0) throw new UserError(`could not remove compose project ${name}: ${tail(r, 2)}`);
    removed.push(name);
  }
  return removed;
}

export {
  loadYaml,
  yamlLib,
  toComposeV2,
  readAutotestFile,
  repositoryOf,
  pointAtImage,
  parsePs,
  failed,
  projectName,
  ComposeProject,
  removeProjects
};
//# sourceMappingURL=chunk-YLVLOKGC.js.map
