#!/usr/bin/env node
import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  INPUT_NAMES,
  SECRET_INPUTS,
  checkPlanFiles,
  chooseBackend,
  dockerHubFiles,
  gatePush,
  inputsNeedYaml,
  makePlan,
  outputsOf,
  planCache,
  planGroupLines,
  readInputs,
  readLocalFacts,
  run
} from "./chunks/chunk-MFYWRXAA.js";
import "./chunks/chunk-KDORAQIE.js";
import {
  post
} from "./chunks/chunk-O27G2GQF.js";
import "./chunks/chunk-DPF6QIOO.js";
import "./chunks/chunk-ZTAIHROF.js";
import "./chunks/chunk-AFOLLFQS.js";
import {
  loadYaml
} from "./chunks/chunk-RNI3UYAG.js";
import "./chunks/chunk-XQNICVY6.js";
import "./chunks/chunk-TZPUTAMY.js";
import "./chunks/chunk-ZNLN72NC.js";
import "./chunks/chunk-XNTVPW2M.js";
import {
  cancelOnSignals
} from "./chunks/chunk-6CHDDAJH.js";
import {
  getErrorMessage
} from "./chunks/chunk-LHJCWPA6.js";
import {
  endGroup,
  info,
  setFailed,
  startGroup
} from "./chunks/chunk-X4UWHUXT.js";
import "./chunks/chunk-WQQSJJD7.js";

// src/cli.ts
import * as fs from "node:fs";
import * as os from "node:os";
import * as path2 from "node:path";
import { parseArgs } from "node:util";

// src/cli-plan.ts
import * as path from "node:path";

// src/plan/cache-outlook.ts
var NO_SERVICE = { token: false, gha: false, ghaReason: "not on a GitHub runner" };
var GHA_RUNNER = {
  where: "on a GitHub runner whose builder can export cache and whose buildx and BuildKit speak the runner's cache service",
  caps: { buildx: "0.29.0", driver: "docker", containerdStore: true, cacheExport: true, cacheService: { version: "v2", token: true, gha: true, ghaReason: "runner cache service v2" } }
};
var EXPORTING = {
  where: "where the builder can export cache (docker driver with the containerd image store, docker-container, remote)",
  caps: { buildx: "0.29.0", driver: "docker", containerdStore: true, cacheExport: true, cacheService: NO_SERVICE }
};
var CLASSIC = {
  where: "on the docker driver with the classic image store (GitHub-hosted runners out of the box)",
  caps: { buildx: "0.29.0", driver: "docker", containerdStore: false, cacheExport: false, cacheService: NO_SERVICE }
};
var NO_BUILDX = { where: "without buildx", caps: { containerdStore: false, cacheExport: false, cacheService: NO_SERVICE } };
var AUTO_RUNNERS = [GHA_RUNNER, EXPORTING, CLASSIC, NO_BUILDX];
var FORCED = {
  registry: { runner: EXPORTING, needs: "a builder that can export cache (the containerd image store, docker-container, remote)" },
  gha: { runner: GHA_RUNNER, needs: "a GitHub runner whose builder can export cache and whose buildx and BuildKit speak the runner's cache service" },
  local: { runner: GHA_RUNNER, needs: "a builder that can export cache, and the runner's cache service (a step of a GitHub Actions job)" },
  inline: { runner: CLASSIC, needs: "buildx" }
};
function describeCacheOutlook(facts, inputs, plan, env = { homeDir: "~" }) {
  if (plan.builds.length === 0) return [];
  const on = (runner, indent) => {
    const cache = planCache(runner.caps, facts, inputs, plan, env);
    if (cache.backend === "off") return { head: "", more: [] };
    if (cache.builds.length === 1) return { head: `${cache.builds[0].description}${cache.exportNote ? `; ${cache.exportNote}` : ""}`, more: [] };
    return { head: cache.exportNote ?? "", more: cache.builds.map((b, i) => `${indent}${plan.builds[i].name}: ${b.description}`) };
  };
  const line = (label, { head, more }) => [`${label}${head ? `: ${head}` : more.length ? ":" : ""}`, ...more];
  const requested = inputs.cache;
  if (requested === "off") return ["Cache: off (cache: off)"];
  if (requested !== "auto") {
    const forced = FORCED[requested];
    return [
      ...line(`Cache: ${requested} (cache: ${requested})`, on(forced.runner, "  ")),
      `  note: needs ${forced.needs}; the run checks that against the engine before login and build, and fails there without it`
    ];
  }
  const lines = ["Cache: auto, decided at run time against the engine and builder there (not asked now). It picks:"];
  for (const runner of AUTO_RUNNERS) lines.push(...line(`  ${chooseBackend(runner.caps, "auto").backend} ${runner.where}`, on(runner, "    ")));
  return lines;
}

// src/cli-plan.ts
function placeholderImage(facts) {
  return facts.repository.fullName.split("/").map((part) => part.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "app").join("/");
}
function planExtras(facts, inputs, plan, files) {
  const lines = [];
  plan.builds.forEach((b, i) => {
    if (files.found[i].size || files.foundTests[i].length) return;
    const dir = path.relative(facts.workspace, path.dirname(b.file)) || ".";
    const off = [inputs.hooks === "off" ? "hooks: off" : "", inputs.testCompose === "off" ? "test-compose: off" : ""].filter(Boolean);
    lines.push(`Hooks and autotests of ${b.name}: ${off.length === 2 ? off.join(", ") : `none found next to the Dockerfile (${dir})${off.length ? `, ${off[0]}` : ""}`}`);
  });
  const without = gatePush(plan.push, facts, inputs, plan.images, []);
  if (without.enabled !== plan.push.enabled) lines.push(`Push at run time without credentials: no, ${without.reason}`);
  lines.push(...describeCacheOutlook(facts, inputs, plan));
  plan.builds.forEach((b, i) => {
    if (files.hooks[i].has("build")) lines.push(`  note: hooks/build replaces the build of ${b.name}: it gets no cache from autobuild (the lines above are for the build autobuild would run)`);
  });
  return lines;
}
async function printPlan(facts, getInput, print) {
  const given = getInput("image").trim();
  const image = given || placeholderImage(facts);
  const get = (name) => name === "image" ? image : getInput(name);
  if (inputsNeedYaml(get)) await loadYaml();
  const inputs = readInputs(facts.workspace, get);
  const plan = makePlan(facts, inputs);
  const files = dockerHubFiles(plan, inputs);
  if (!given) print(`note: no --image given: planned for ${image}, the repository's name (give --image to plan for yours)`);
  for (const line of planGroupLines(facts, plan, files)) print(line);
  for (const line of planExtras(facts, inputs, plan, files)) print(line);
  if (!plan.skipped) await checkPlanFiles(plan, files.autotests, facts.workspace);
}

// src/cli.ts
var INPUTS = INPUT_NAMES.filter((n) => !SECRET_INPUTS.includes(n));
var HELP = `autobuild: build, test inside the image, and push, from a local git checkout.

Usage: autobuild --image NAME [options] [DIR]
       autobuild plan [--ref REF] [--image NAME] [options] [DIR]

  plan                    print what a run would do (tags and why, push or not, cache, Docker
                          Hub hooks and autotests) without building or asking docker anything;
                          see autobuild plan --help. A folder named plan: ./plan
  DIR                     the repository (default: the current folder)
  --image NAME[,NAME]     repositories to push to (required)
  --context PATH          build context, relative to DIR (default .)
  --file PATH             Dockerfile (default: Dockerfile in the context)
  --test-command CMD      run inside the built image before any push
  --push auto|true|false  (default auto: push)
  --username USER         registry user; the password comes from AUTOBUILD_PASSWORD
                          or --password-stdin
  --ref REF               build as if for this ref (branch name, refs/heads/X, refs/tags/vX,
                          or a pull request: refs/pull/N/merge)
  --base BRANCH           with a pull request ref: the branch it targets (default: the default branch)
  --fork                  with a pull request ref: the pull request comes from a fork
  --default-branch NAME   the branch that gets 'latest' (default: origin's HEAD, main or master)
  --distribute-dir DIR    with --distribute: the folder every machine of the image sees, where
                          each leaves its platforms' reports (in place of the artifact service)
  --verbose               show debug lines
Every other action input is accepted as --NAME VALUE (see action.yml), e.g. --tags, --rules, --cache.
`;
var PLAN_HELP = `autobuild plan: what a run would do for a ref, worked out by the run's own planner, without
building, logging in, or any docker command, engine or registry request.

Usage: autobuild plan [--ref REF] [--image NAME] [options] [DIR]

  DIR                     the repository (default: the current folder)
  --ref REF               plan for this ref: a branch name, refs/heads/X, refs/tags/vX, or a pull
                          request, refs/pull/N/merge (default: the checked-out branch or tag)
  --base BRANCH           with a pull request ref: the branch it targets (default: the default branch)
  --fork                  with a pull request ref: the pull request comes from a fork
  --image NAME[,NAME]     repositories (default: the repository's name stands in)
  --default-branch NAME   the branch that gets 'latest' (default: origin's HEAD, main or master)
Every other action input is accepted as --NAME VALUE, as for a run: --tags, --rules, --flavor,
--cache, --push, --pr-preview, --context, --file, --hooks, --test-compose, ...
Prints the tags and why, whether it would push and why, the cache it would use, and the Docker
Hub hooks and autotest files found. Bad input fails as the run does (exit code 1).
`;
function present(verbose) {
  let stopped;
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk, ...rest) => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString();
    const out = text.split("\n").map((line) => {
      if (stopped) {
        if (line !== `::${stopped}::`) return line;
        stopped = void 0;
        return null;
      }
      const stop = /^::stop-commands::(\S+)$/.exec(line);
      if (stop) {
        stopped = stop[1];
        return null;
      }
      const m = /^::(\w[\w-]*)(?: [^:]*)?::(.*)$/.exec(line);
      if (!m) return line;
      const [, cmd, msg] = m;
      if (cmd === "group") return `
== ${msg}`;
      if (cmd === "endgroup" || cmd === "add-mask" || cmd === "save-state" || cmd === "set-output") return null;
      if (cmd === "debug") return verbose ? `debug: ${msg}` : null;
      return `${cmd}: ${msg.replace(/%0A/g, "\n").replace(/%25/g, "%")}`;
    }).filter((l) => l !== null).join("\n");
    return write(out, ...rest);
  });
}
async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      ...Object.fromEntries(INPUTS.map((n) => [n, { type: "string" }])),
      ref: { type: "string" },
      base: { type: "string" },
      fork: { type: "boolean" },
      "default-branch": { type: "string" },
      "distribute-dir": { type: "string" },
      "password-stdin": { type: "boolean" },
      verbose: { type: "boolean" },
      help: { type: "boolean", short: "h" }
    }
  });
  const planning = positionals[0] === "plan";
  const folders = planning ? positionals.slice(1) : positionals;
  if (values.help) {
    process.stdout.write(planning ? PLAN_HELP : HELP);
    return 0;
  }
  if (planning && folders.length > 1) throw new Error(`plan takes one folder, the repository; got ${folders.length}: ${folders.join(" ")}`);
  const dir = path2.resolve(folders[0] ?? ".");
  const given = values;
  const local = { ref: values.ref, defaultBranch: values["default-branch"], base: values.base, fork: values.fork };
  if (planning) {
    const getInput2 = (name) => name === "password" ? process.env.AUTOBUILD_PASSWORD ?? "" : typeof given[name] === "string" ? given[name] : "";
    present(Boolean(values.verbose));
    if (!folders.length && fs.existsSync("plan") && fs.statSync("plan").isDirectory()) {
      info("note: planning the current folder; for the folder named plan, give it as a path: autobuild plan ./plan (or autobuild ./plan to build it)");
    }
    const facts2 = await readLocalFacts(dir, local);
    startGroup("Plan (nothing is built, logged in to or pushed; docker is not asked)");
    try {
      await printPlan(facts2, getInput2, (line) => info(line));
    } catch (error) {
      setFailed(getErrorMessage(error));
      return 1;
    } finally {
      endGroup();
    }
    return 0;
  }
  const password = values["password-stdin"] ? fs.readFileSync(0, "utf8").trim() : process.env.AUTOBUILD_PASSWORD ?? "";
  const getInput = (name) => name === "password" ? password : typeof given[name] === "string" ? given[name] : "";
  if (values["distribute-dir"]) process.env.AUTOBUILD_DISTRIBUTE_DIR = path2.resolve(values["distribute-dir"]);
  const temp = fs.mkdtempSync(path2.join(os.tmpdir(), "autobuild-cli-"));
  process.env.RUNNER_TEMP ??= temp;
  process.env.GITHUB_OUTPUT = path2.join(temp, "output");
  process.env.GITHUB_STATE = path2.join(temp, "state");
  fs.writeFileSync(process.env.GITHUB_OUTPUT, "");
  fs.writeFileSync(process.env.GITHUB_STATE, "");
  present(Boolean(values.verbose));
  cancelOnSignals();
  const facts = await readLocalFacts(dir, local);
  const report = await run({ facts, getInput });
  for (const block of fs.existsSync(process.env.GITHUB_STATE) ? fs.readFileSync(process.env.GITHUB_STATE, "utf8").split(/\n(?=\S+<<)/) : []) {
    const m = /^(\S+)<<(\S+)\n([\s\S]*?)\n\2/.exec(block);
    if (m) process.env[`STATE_${m[1]}`] = m[3];
  }
  await post();
  fs.rmSync(temp, { recursive: true, force: true });
  process.stdout.write("\n== Outputs\n");
  const outputs = outputsOf(report);
  for (const name of ["tags", "version", "digest", "imageid", "pushed"]) {
    const value = outputs[name] ?? "";
    process.stdout.write(`${name}: ${value.includes("\n") ? `
  ${value.split("\n").join("\n  ")}` : value}
`);
  }
  return report.error ? 1 : 0;
}
main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`autobuild: ${error instanceof Error ? error.message : String(error)}
`);
    process.exit(2);
  }
);
//# sourceMappingURL=cli.js.map
