#!/usr/bin/env node
import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  INPUT_NAMES,
  SECRET_INPUTS,
  autotestsFor,
  checkPlanFiles,
  chooseBackend,
  dockerHubFiles,
  findHooks,
  gatePush,
  inputsNeedYaml,
  makePlan,
  outputsOf,
  parse,
  parseRules,
  planCache,
  planGroupLines,
  readInputs,
  readLocalFacts,
  run,
  sanitizeTag
} from "./chunks/chunk-EY3Q336D.js";
import "./chunks/chunk-I6ZNSQL3.js";
import {
  post
} from "./chunks/chunk-AW4T5KST.js";
import "./chunks/chunk-DPF6QIOO.js";
import "./chunks/chunk-ZTAIHROF.js";
import "./chunks/chunk-AFOLLFQS.js";
import {
  loadYaml,
  yamlLib
} from "./chunks/chunk-YLVLOKGC.js";
import "./chunks/chunk-MKP2NZNV.js";
import "./chunks/chunk-WBYOVNGI.js";
import "./chunks/chunk-57KFFATP.js";
import {
  DOCKER_HUB,
  parseImage
} from "./chunks/chunk-XNTVPW2M.js";
import {
  cancelOnSignals
} from "./chunks/chunk-7FCH2HRT.js";
import {
  UserError,
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
import * as fs3 from "node:fs";
import * as os from "node:os";
import * as path5 from "node:path";
import { parseArgs as parseArgs2 } from "node:util";

// src/cli-init.ts
import * as fs2 from "node:fs";
import * as path4 from "node:path";
import * as readline from "node:readline/promises";
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
  for (const line of planGroupLines(facts, inputs, plan, files, "at-run-time")) print(line);
  for (const line of planExtras(facts, inputs, plan, files)) print(line);
  if (!plan.skipped) await checkPlanFiles(plan, files.autotests, facts.workspace);
}

// src/init/discover.ts
import * as fs from "node:fs";
import * as path2 from "node:path";
var SKIPPED = /* @__PURE__ */ new Set(["node_modules", "vendor", "bower_components", "__pycache__"]);
var MAX_DEPTH = 8;
function isDockerfileName(name) {
  if (!/^Dockerfile$|^Dockerfile[.-][\w.-]+$|^[\w.-]+\.[Dd]ockerfile$/.test(name)) return false;
  return !/\.(dockerignore|md|txt|bak|orig|rej|swp|tmpl|template|tpl|j2|jinja2?|in|erb|sh|ya?ml|json|toml)$/i.test(name);
}
function findDockerfiles(root) {
  const files = [];
  const walk = (dir, depth2) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isDirectory()) {
        if (depth2 < MAX_DEPTH && !e.name.startsWith(".") && !SKIPPED.has(e.name)) walk(path2.join(dir, e.name), depth2 + 1);
      } else if (e.isFile() && isDockerfileName(e.name)) {
        files.push(path2.relative(root, path2.join(dir, e.name)).split(path2.sep).join("/"));
      }
    }
  };
  walk(root, 0);
  const depth = (f) => f.split("/").length;
  files.sort((a, b) => Number(b === "Dockerfile") - Number(a === "Dockerfile") || depth(a) - depth(b) || a.localeCompare(b));
  return files.map((file) => {
    const abs = path2.join(root, file);
    const hooks = findHooks({ file: abs }, "auto");
    const autotests = autotestsFor({ file: abs }, "auto", hooks).map((f) => path2.relative(root, f).split(path2.sep).join("/"));
    return { file, hooks: [...hooks.keys()], autotests };
  });
}

// src/init/workflow.ts
import * as crypto from "node:crypto";
import * as path3 from "node:path";
var ACTION_REF = "OWNER/autobuild@v1";
var CHECKOUT_REF = "actions/checkout@v5";
var WORKFLOW_PATH = ".github/workflows/image.yml";
function yamlScalar(value) {
  if (value.includes("\n")) return JSON.stringify(value);
  const plain = /^[A-Za-z0-9_/.][A-Za-z0-9_/.,()[\]^$+*?|\\ -]*$/.test(value) && !/ $/.test(value) && !/^(true|false|yes|no|on|off|null|~|y|n)$/i.test(value) && !/^[-+]?(\.?[0-9]|0[xob])/i.test(value) && !/^[.][A-Za-z]/.test(value);
  return plain ? value : `'${value.replace(/'/g, "''")}'`;
}
function rulesYaml(rules) {
  const lines = [];
  for (const r of rules) {
    lines.push(`- source-type: ${r["source-type"]}`);
    lines.push(`  source: ${yamlScalar(r.source)}`);
    lines.push(`  tag: ${yamlScalar(r.tag)}`);
    if (r.dockerfile !== void 0) lines.push(`  dockerfile: ${yamlScalar(r.dockerfile)}`);
    if (r.context !== void 0) lines.push(`  context: ${yamlScalar(r.context)}`);
    if (r.autobuild === false) lines.push("  autobuild: false");
  }
  return lines;
}
function variantName(file) {
  const dir = path3.posix.dirname(file);
  const base = path3.posix.basename(file);
  const extra = base === "Dockerfile" ? "" : base.replace(/^Dockerfile[.-]?/, "").replace(/[.-]?[Dd]ockerfile$/, "");
  const parts = [dir === "." ? "" : dir.replace(/\//g, "-"), extra].filter(Boolean);
  return parts.length ? sanitizeTag(parts.join("-").toLowerCase()) : "";
}
function rulesForDockerfiles(files, defaultBranch) {
  const used = /* @__PURE__ */ new Set();
  const named = files.map((f) => {
    let name = variantName(f.file);
    for (let n = 2; used.has(name); n++) name = `${variantName(f.file) || "default"}-${n}`;
    used.add(name);
    return { f, name };
  });
  const rules = [];
  for (const { f, name } of named) {
    const dir = path3.posix.dirname(f.file);
    const paths = { dockerfile: path3.posix.basename(f.file), context: dir === "." ? "/" : dir };
    rules.push({ "source-type": "branch", source: defaultBranch, tag: name || "latest", ...paths });
    rules.push({ "source-type": "tag", source: "/^v([0-9.]+)$/", tag: name ? `{\\1}-${name}` : "{\\1}", ...paths });
  }
  return rules;
}
function weeklyCron(image) {
  const h = crypto.createHash("sha256").update(image).digest();
  const minute = h[0] % 60;
  const hour = h[1] % 24;
  const day = h[2] % 7;
  const days = ["Sundays", "Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays"];
  return { cron: `${minute} ${hour} * * ${day}`, when: `${days[day]} ${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")} UTC` };
}
function hostName(registry) {
  return registry.toUpperCase().replace(/[^A-Z0-9]+/g, "_").replace(/^_+|_+$/g, "");
}
function loginFor(images) {
  const registries = [...new Set(images.map((i) => i.registry))];
  const login = { lines: [], packagesWrite: false, settings: [], notes: [] };
  const others = registries.filter((r) => r !== DOCKER_HUB && r !== "ghcr.io");
  const extra = [];
  if (registries.includes(DOCKER_HUB)) {
    login.lines.push(["username", "${{ vars.DOCKERHUB_USERNAME }}"], ["password", "${{ secrets.DOCKERHUB_TOKEN }}", "a Docker Hub access token"]);
    login.settings.push(
      { kind: "variable", name: "DOCKERHUB_USERNAME", what: "your Docker Hub user (or organization member) name" },
      { kind: "secret", name: "DOCKERHUB_TOKEN", what: "a Docker Hub personal access token with Read & Write access (Account settings > Personal access tokens)" }
    );
    extra.push(...others);
  } else if (others.length === 1) {
    login.lines.push(["username", "${{ vars.REGISTRY_USERNAME }}"], ["password", "${{ secrets.REGISTRY_PASSWORD }}", `for ${others[0]}`]);
    login.settings.push(
      { kind: "variable", name: "REGISTRY_USERNAME", what: `your user name on ${others[0]}` },
      { kind: "secret", name: "REGISTRY_PASSWORD", what: `a password or access token for ${others[0]} that can push` }
    );
  } else {
    extra.push(...others);
  }
  if (extra.length) {
    const auth = extra.flatMap((r) => [
      `- registry: ${r}`,
      `  username: \${{ vars.${hostName(r)}_USERNAME }}`,
      `  password: \${{ secrets.${hostName(r)}_PASSWORD }}`
    ]);
    login.lines.push(["registry-auth", `|
${auth.join("\n")}`, "one entry a registry"]);
    for (const r of extra) {
      login.settings.push(
        { kind: "variable", name: `${hostName(r)}_USERNAME`, what: `your user name on ${r}` },
        { kind: "secret", name: `${hostName(r)}_PASSWORD`, what: `a password or access token for ${r} that can push` }
      );
    }
  }
  if (registries.includes("ghcr.io")) {
    login.packagesWrite = true;
    login.notes.push("ghcr.io: nothing to set; the job's GITHUB_TOKEN pushes (permissions: packages: write). A new package starts private: make it public in its package settings if it should be.");
  }
  return login;
}
function parseImages(value) {
  const names = value.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);
  if (!names.length) throw new Error("--image is empty: give a repository such as acme/app (Docker Hub) or ghcr.io/acme/app");
  return names.map((name) => {
    const ref = parseImage(name);
    if (typeof ref === "string") throw new Error(`--image '${name}' is not a repository name: ${ref}`);
    return ref;
  });
}
function pushFilters(rules, defaultBranch) {
  if (!rules) return { branches: [defaultBranch], tags: ["v*"] };
  const on = rules.filter((r) => r.autobuild !== false);
  const filter = (type) => {
    const sources = on.filter((r) => r["source-type"] === type).map((r) => r.source);
    if (sources.some((s) => s.startsWith("/"))) return ["**"];
    return [...new Set(sources)];
  };
  return { branches: filter("branch"), tags: filter("tag") };
}
function flowList(items) {
  return `[${items.map((i) => /^[A-Za-z0-9_.\/-]+$/.test(i) && yamlScalar(i) === i ? i : `'${i.replace(/'/g, "''")}'`).join(", ")}]`;
}
function makeWorkflow(input) {
  const images = parseImages(input.image);
  const imageValue = images.map((i) => i.input).join(", ");
  const files = input.dockerfiles;
  const rules = input.rules ?? (files.length > 1 ? rulesForDockerfiles(files, input.defaultBranch) : void 0);
  const login = loginFor(images);
  const { cron, when } = weeklyCron(images.map((i) => i.name).join(","));
  const { branches, tags } = pushFilters(rules, input.defaultBranch);
  const withLines = [];
  const add = (key, value, comment) => {
    if (value.startsWith("|\n")) {
      withLines.push(`${key}: |${comment ? `  # ${comment}` : ""}`);
      for (const line of value.slice(2).split("\n")) withLines.push(`  ${line}`);
    } else {
      withLines.push(`${key}: ${value}${comment ? `  # ${comment}` : ""}`);
    }
  };
  add("image", yamlScalar(imageValue), images.length > 1 ? "the same tested image goes to each" : void 0);
  for (const [key, value, comment] of login.lines) add(key, value, comment);
  const single = !rules && files.length === 1 ? files[0] : void 0;
  if (single) {
    const dir = path3.posix.dirname(single.file);
    if (dir !== ".") add("context", yamlScalar(dir), "the Dockerfile's folder, where its hooks/ and autotests are");
    if (path3.posix.basename(single.file) !== "Dockerfile") add("file", yamlScalar(single.file));
  }
  if (rules) add("rules", `|
${rulesYaml(rules).join("\n")}`, input.rules ? "your Docker Hub build rules" : "one pair of rules a Dockerfile found: edit the tags to your scheme");
  const tested = files.some((f) => f.autotests.length || f.hooks.includes("test"));
  if (input.testCommand) add("test-command", yamlScalar(input.testCommand), "run inside the image before any push");
  const found = files.flatMap((f) => {
    const dir = path3.posix.dirname(f.file);
    const rel = (n) => dir === "." ? n : `${dir}/${n}`;
    return [f.file, ...f.hooks.map((h) => rel(`hooks/${h}`)), ...f.autotests];
  });
  const out = [];
  out.push("# Build the image, test it, push it: Docker Hub automated builds as one step (autobuild).");
  out.push("# Each run builds once, runs the tests inside the image it built (hooks/ and autotest files next");
  out.push("# to the Dockerfile run as on Docker Hub) and pushes that same image only when they pass.");
  if (found.length) {
    out.push("# Found in the repository:");
    for (const line of wrap(found.join(", "), 94)) out.push(`#   ${line}`);
  }
  out.push("# Written by `autobuild init`; edit it freely. Preview a ref: npx autobuild plan --ref REF (and these inputs)");
  out.push("name: image");
  out.push("");
  out.push("on:");
  if (rules) {
    out.push("  # Pushes of the branches and tags the build rules name; the rules decide the tags.");
  } else {
    out.push(`  # A push to ${input.defaultBranch}: latest, ${sanitizeTag(input.defaultBranch)}, sha-<7>. A tag v1.2.3 is a release: 1.2.3, 1.2, 1, latest.`);
  }
  out.push("  push:");
  if (branches.length) out.push(`    branches: ${flowList(branches)}`);
  if (tags.length) out.push(`    tags: ${flowList(tags)}`);
  if (!branches.length && !tags.length) out.push(`    branches: ${flowList([input.defaultBranch])}`);
  out.push("  # Pull requests are built and tested, never pushed (a fork gets no secrets).");
  out.push("  pull_request:");
  out.push("  # Run it by hand from the Actions tab, as Docker Hub's Trigger button did.");
  out.push("  workflow_dispatch:");
  out.push(`  # Weekly (${when}), on ${input.defaultBranch}: the rebuild job below.`);
  out.push("  schedule:");
  out.push(`    - cron: '${cron}'`);
  out.push("");
  out.push("# One run per branch or tag at a time; a pull request's new commits cancel its older run.");
  out.push("concurrency:");
  out.push("  group: image-${{ github.ref }}");
  out.push("  cancel-in-progress: ${{ github.event_name == 'pull_request' }}");
  out.push("");
  out.push("permissions:");
  out.push("  contents: read");
  if (login.packagesWrite) out.push("  packages: write  # push to ghcr.io with the job token");
  out.push("");
  out.push("jobs:");
  const job = (name, comment, condition, more) => {
    out.push(`  ${name}:`);
    out.push(`    # ${comment}`);
    out.push(`    if: ${condition}`);
    out.push("    runs-on: ubuntu-latest");
    out.push("    steps:");
    out.push(`      - uses: ${CHECKOUT_REF}`);
    out.push(`      - uses: ${ACTION_REF}`);
    out.push("        with:");
    for (const line of [...withLines, ...more]) out.push(`          ${line}`);
  };
  const testHint = !tested && !input.testCommand ? ["# test-command: ./run-tests.sh  # a command run inside the image before any push"] : [];
  job("image", "Pushes, pull requests and manual runs.", "github.event_name != 'schedule'", testHint);
  out.push("");
  job(
    "rebuild",
    "The weekly run: pushes a rebuild only when the base image changed (Docker Hub's base image trigger).",
    "github.event_name == 'schedule'",
    ["rebuild: base-changed"]
  );
  return { text: `${out.join("\n")}
`, rules, settings: login.settings, notes: login.notes, cron };
}
function wrap(text, width) {
  const lines = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

// src/init/rule-table.ts
var COLUMNS = {
  sourcetype: "source-type",
  type: "source-type",
  source: "source",
  dockertag: "tag",
  tag: "tag",
  dockerfilelocation: "dockerfile",
  dockerfile: "dockerfile",
  buildcontext: "context",
  context: "context",
  autobuild: "autobuild",
  buildcaching: "build-caching"
};
var ON = /^(on|true|yes|y|enabled|1|x|✓|✔)$/i;
var OFF = /^(off|false|no|n|disabled|0|-)$/i;
function checkRules(placed) {
  try {
    return parseRules(rulesYaml(placed.map((p) => p.spec)).join("\n"));
  } catch (error) {
    const m = /^Input 'rules', rule (\d+): ([\s\S]*)$/.exec(error.message);
    if (m) throw new UserError(`${placed[Number(m[1]) - 1].where}: ${m[2]}`);
    throw error;
  }
}
function specOf(rule) {
  return {
    "source-type": rule.sourceType,
    source: rule.source,
    tag: rule.tag,
    ...rule.dockerfile !== void 0 ? { dockerfile: rule.dockerfile } : {},
    ...rule.context !== void 0 ? { context: rule.context } : {},
    ...rule.autobuild ? {} : { autobuild: false }
  };
}
function isHeader(line) {
  return /source\s*type/i.test(line) && /(docker\s*)?tag/i.test(line) && /\t|\||,/.test(line);
}
function tableRows(text, name) {
  const lines = text.split(/\r?\n/);
  const first = lines.findIndex((l) => l.trim() && !l.trim().startsWith("#"));
  const header = lines[first];
  const rows = [];
  if (header.trim().startsWith("|")) {
    lines.forEach((l, i) => {
      const t = l.trim();
      if (i < first || !t || t.startsWith("#") || /^\|?[\s:|-]+\|?$/.test(t)) return;
      rows.push({ line: i + 1, cells: t.replace(/^\||\|$/g, "").split("|").map((c) => c.trim().replace(/^`(.*)`$/, "$1")) });
    });
  } else if (header.includes("	")) {
    lines.forEach((l, i) => {
      if (i < first || !l.trim() || l.trim().startsWith("#")) return;
      rows.push({ line: i + 1, cells: l.split("	").map((c) => c.trim()) });
    });
  } else {
    let records;
    try {
      records = parse(text, { info: true, relax_column_count: true, skip_empty_lines: true, trim: true, comment: "#", comment_no_infix: true });
    } catch (error) {
      throw new UserError(`${name}: not a valid CSV table: ${error.message}`);
    }
    for (const r of records) rows.push({ line: r.info.lines, cells: r.record });
  }
  return rows;
}
function parseTable(text, name) {
  const [head, ...rows] = tableRows(text, name);
  const keys = head.cells.map((cell) => {
    const key = COLUMNS[cell.toLowerCase().replace(/[^a-z]/g, "")];
    if (!key) {
      throw new UserError(
        `${name} line ${head.line}: unknown column '${cell}' (accepted: Source Type, Source, Docker Tag, Dockerfile location, Build Context, Autobuild, Build Caching)`
      );
    }
    return key;
  });
  for (const [key, column] of [["source-type", "Source Type"], ["source", "Source"], ["tag", "Docker Tag"]]) {
    if (!keys.includes(key)) throw new UserError(`${name} line ${head.line}: the table has no ${column} column`);
  }
  return rows.map(({ line, cells }) => {
    const where = `${name} line ${line}`;
    if (cells.length > keys.length) throw new UserError(`${where}: ${cells.length} cells, but the header names ${keys.length} columns`);
    const value = (key) => cells[keys.indexOf(key)] ?? "";
    const type = value("source-type").toLowerCase();
    if (type !== "branch" && type !== "tag") throw new UserError(`${where}: Source Type '${value("source-type")}' is not accepted (expected Branch or Tag)`);
    const flag = (key, column) => {
      const v = value(key);
      if (v === "" || ON.test(v)) return true;
      if (OFF.test(v)) return false;
      throw new UserError(`${where}: ${column} '${v}' is not accepted (expected on or off)`);
    };
    const autobuild = keys.includes("autobuild") ? flag("autobuild", "Autobuild") : true;
    if (keys.includes("build-caching")) flag("build-caching", "Build Caching");
    const spec = { "source-type": type, source: value("source"), tag: value("tag") };
    if (value("dockerfile")) spec.dockerfile = value("dockerfile");
    if (value("context")) spec.context = value("context");
    if (!autobuild) spec.autobuild = false;
    return { spec, where };
  });
}
function parseYamlRules(text, name) {
  const { isSeq, LineCounter, parseDocument } = yamlLib();
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  const lineOf = (index) => {
    const item = isSeq(doc.contents) ? doc.contents.items[index - 1] : void 0;
    const start = item?.range?.[0];
    return start === void 0 ? void 0 : counter.linePos(start).line;
  };
  let rules;
  try {
    rules = parseRules(text);
  } catch (error) {
    const message = error.message;
    const m = /^Input 'rules', rule (\d+): ([\s\S]*)$/.exec(message);
    if (m) throw new UserError(`${name} line ${lineOf(Number(m[1])) ?? "?"} (rule ${m[1]}): ${m[2]}`);
    throw new UserError(`${name}: ${message.replace(/^Input 'rules'/, "the rules")}`);
  }
  if (!rules.length) throw new UserError(`${name}: no rules in it`);
  return rules.map((rule) => ({ spec: specOf(rule), where: `${name} line ${lineOf(rule.index) ?? "?"}` }));
}
function parseRuleFile(text, name) {
  const clean = text.replace(/^\uFEFF/, "");
  const first = clean.split(/\r?\n/).find((l) => l.trim() && !l.trim().startsWith("#"));
  if (!first) throw new UserError(`${name}: no rules in it`);
  const placed = isHeader(first) ? parseTable(clean, name) : parseYamlRules(clean, name);
  if (!placed.length) throw new UserError(`${name}: the table has a header but no rules`);
  checkRules(placed);
  return placed;
}
function parseRuleFlag(value, n) {
  const where = `--rule ${n} ('${value}')`;
  const parts = value.trim().split(/\s+/).filter(Boolean);
  if (parts.length < 3 || parts.length > 5) {
    throw new UserError(`${where}: expected SOURCE-TYPE SOURCE TAG [DOCKERFILE [CONTEXT]], such as --rule 'tag /^v([0-9.]+)$/ {\\1},latest'`);
  }
  const type = parts[0].toLowerCase();
  if (type !== "branch" && type !== "tag") throw new UserError(`${where}: source type '${parts[0]}' is not accepted (expected branch or tag)`);
  const spec = { "source-type": type, source: parts[1], tag: parts[2] };
  if (parts[3]) spec.dockerfile = parts[3];
  if (parts[4]) spec.context = parts[4];
  return { spec, where };
}

// src/cli-init.ts
var INIT_HELP = `autobuild init: write .github/workflows/image.yml for this repository, a workflow that builds,
tests and pushes its image with autobuild, as Docker Hub automated builds did.

Usage: autobuild init [--image NAME] [--rules FILE] [--rule RULE]... [options] [DIR]

  DIR                     the repository (default: the current folder; its git top level is used)
  --image NAME[,NAME]     repositories to push to: acme/app (Docker Hub), ghcr.io/acme/app, or any
                          registry's; asked when left out and standard input is a terminal
  --rules FILE            your Docker Hub build rules: the table of Docker Hub's build settings
                          (tab separated as copied from the page, CSV, or a Markdown table, with the
                          header Source Type, Source, Docker Tag, Dockerfile location, Build Context,
                          Autobuild, Build Caching), or the YAML list the rules input takes; - reads
                          standard input
  --rule RULE             one build rule, SOURCE-TYPE SOURCE TAG [DOCKERFILE [CONTEXT]], as in
                          --rule 'tag /^v([0-9.]+)$/ {\\1},latest'; may be repeated
  --test-command CMD      a command run inside the image before any push
  --default-branch NAME   the branch pushes of which build latest (default: origin's HEAD, main or master)
  --force                 overwrite an existing .github/workflows/image.yml
  --stdout                print the workflow instead of writing it
Finds the Dockerfiles (skipping dot-folders, node_modules and vendor), their hooks/ and autotest
files (docker-compose.test.yml, *.test.yml, *-test.yml next to the Dockerfile). One Dockerfile
is built as it is; several, or given rules, become a rules: block. Prints the repository
secrets and variables the workflow reads.
`;
var OPTIONS = {
  image: { type: "string" },
  rules: { type: "string" },
  rule: { type: "string", multiple: true },
  "test-command": { type: "string" },
  "default-branch": { type: "string" },
  force: { type: "boolean" },
  stdout: { type: "boolean" },
  help: { type: "boolean", short: "h" }
};
function initRequested(argv) {
  const strings = [...INPUT_NAMES, "ref", "base", "default-branch", "distribute-dir", "rule"];
  const options = Object.fromEntries(strings.map((n) => [n, { type: "string" }]));
  const { tokens } = parseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  return tokens.find((t) => t.kind === "positional")?.value === "init";
}
async function quietly(fn) {
  const write = process.stdout.write;
  process.stdout.write = ((chunk, ...rest) => {
    const text = (typeof chunk === "string" ? chunk : Buffer.from(chunk).toString()).replace(/^::[\w-]+(?: [^:]*)?::.*\n?/gm, "");
    return text ? write.call(process.stdout, text, ...rest) : true;
  });
  try {
    return await fn();
  } finally {
    process.stdout.write = write;
  }
}
async function askImage(suggested) {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    for (; ; ) {
      const answer = (await rl.question(`Image to push to (acme/app for Docker Hub, ghcr.io/acme/app, ...)${suggested ? ` [${suggested}]` : ""}: `)).trim() || suggested || "";
      try {
        parseImages(answer);
        return answer;
      } catch (error) {
        process.stderr.write(`${error.message.replace(/^--image/, "the image")}
`);
      }
    }
  } finally {
    rl.close();
  }
}
function readRules(file, flags, cwd) {
  const placed = [];
  if (file !== void 0) {
    let text;
    if (file === "-") {
      text = fs2.readFileSync(0, "utf8");
    } else {
      const abs = path4.resolve(cwd, file);
      if (!fs2.existsSync(abs) || !fs2.statSync(abs).isFile()) {
        const inline = /\n|source-type/.test(file) ? " (init reads the rules from a file; --rules - reads them from standard input)" : "";
        throw new UserError(`--rules: no file ${file}${inline}`);
      }
      text = fs2.readFileSync(abs, "utf8");
    }
    placed.push(...parseRuleFile(text, file === "-" ? "standard input" : file));
  }
  flags.forEach((value, i) => placed.push(parseRuleFlag(value, i + 1)));
  if (!placed.length) return void 0;
  checkRules(placed);
  return placed;
}
function missingDockerfiles(root, rules) {
  return rules.flatMap(({ spec, where }) => {
    if (spec.autobuild === false) return [];
    const context = (spec.context ?? "").replace(/^\/+/, "");
    const dockerfile = (spec.dockerfile ?? "").replace(/^\/+/, "") || "Dockerfile";
    const file = spec.context?.trim() ? path4.join(root, context, dockerfile) : path4.join(root, dockerfile);
    return fs2.existsSync(file) ? [] : [`warning: ${where}: ${path4.relative(root, file)} is not in the repository`];
  });
}
function describeFound(files) {
  return files.map((f) => {
    const extra = [f.hooks.length ? `hooks ${f.hooks.join(", ")}` : "", f.autotests.length ? `autotest ${f.autotests.map((a) => path4.posix.basename(a)).join(", ")}` : ""].filter(Boolean);
    return `  ${f.file}${extra.length ? `: ${extra.join("; ")}` : ""}`;
  });
}
function describeSettings(settings) {
  if (!settings.length) return [];
  const width = Math.max(...settings.map((s) => s.name.length));
  return [
    "",
    "Set these in the repository, Settings > Secrets and variables > Actions, before the first run:",
    ...settings.map((s) => `  ${s.kind.padEnd(8)} ${s.name.padEnd(width)}  ${s.what}`),
    "or with the GitHub CLI, from the repository:",
    ...settings.map((s) => s.kind === "variable" ? `  gh variable set ${s.name} --body VALUE` : `  gh secret set ${s.name}   # asks for the value`)
  ];
}
async function runInit(argv) {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  const folders = positionals.slice(positionals.indexOf("init") + 1);
  if (values.help) {
    process.stdout.write(INIT_HELP);
    return 0;
  }
  if (folders.length > 1) throw new Error(`init takes one folder, the repository; got ${folders.length}: ${folders.join(" ")}`);
  const say = (line) => void (values.stdout ? process.stderr : process.stdout).write(`${line}
`);
  const dir = path4.resolve(folders[0] ?? ".");
  if (!fs2.existsSync(dir) || !fs2.statSync(dir).isDirectory()) throw new Error(`init: ${folders[0]} is not a folder`);
  try {
    const facts = await quietly(() => readLocalFacts(dir, { defaultBranch: values["default-branch"] }));
    const root = facts.workspace;
    const target = path4.join(root, WORKFLOW_PATH);
    const shown = path4.relative(process.cwd(), target) || target;
    if (!values.stdout && !values.force && fs2.existsSync(target)) {
      throw new UserError(`${shown} already exists; nothing was written. Give --force to overwrite it, or --stdout to print the new workflow.`);
    }
    await loadYaml();
    const rules = readRules(values.rules, values.rule ?? [], process.cwd());
    const dockerfiles = findDockerfiles(root);
    if (!dockerfiles.length && !rules) {
      throw new UserError(`no Dockerfile found in ${root} (looked for Dockerfile, Dockerfile.*, *.Dockerfile; dot-folders, node_modules and vendor skipped). Give --rules for a Dockerfile made at build time.`);
    }
    let image = values.image;
    if (image === void 0) {
      if (!process.stdin.isTTY) {
        throw new Error("init needs the image to push to: give --image NAME (acme/app for Docker Hub, ghcr.io/acme/app, ...); standard input is not a terminal to ask on");
      }
      const suggested = facts.repository.fullName.startsWith("local/") ? void 0 : placeholderImage(facts);
      image = await askImage(suggested);
    }
    let result;
    try {
      result = makeWorkflow({ image, dockerfiles, rules: rules?.map((r) => r.spec), defaultBranch: facts.defaultBranch, testCommand: values["test-command"] });
    } catch (error) {
      throw new UserError(error.message);
    }
    const warnings = rules ? missingDockerfiles(root, rules) : [];
    if (values.stdout) {
      process.stdout.write(result.text);
    } else {
      fs2.mkdirSync(path4.dirname(target), { recursive: true });
      fs2.writeFileSync(target, result.text);
    }
    say(values.stdout ? `A workflow for ${root}:` : `Wrote ${shown}`);
    if (dockerfiles.length) {
      say(`Dockerfiles found:`);
      for (const line of describeFound(dockerfiles)) say(line);
    }
    if (result.rules) say(`Build rules: ${result.rules.length}${rules ? " (yours)" : ", one pair a Dockerfile (review their tags)"}`);
    for (const w of warnings) say(w);
    say(`Triggers: pushes, pull requests (never pushed), manual runs, and weekly (cron '${result.cron}') a rebuild when the base image changed`);
    for (const line of describeSettings(result.settings)) say(line);
    for (const note of result.notes) say(`
${note}`);
    if (!result.rules) say(`
What a push to ${facts.defaultBranch} would do: npx autobuild plan --image ${image.split(",")[0].trim()} --ref ${facts.defaultBranch}`);
    if (!values.stdout) say(`Then commit it: git add ${WORKFLOW_PATH} && git commit -m 'Build the image with autobuild'`);
    return 0;
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    process.stderr.write(`autobuild init: ${error.message}
`);
    return 1;
  }
}

// src/cli.ts
var INPUTS = INPUT_NAMES.filter((n) => !SECRET_INPUTS.includes(n));
var HELP = `autobuild: build, test inside the image, and push, from a local git checkout.

Usage: autobuild --image NAME [options] [DIR]
       autobuild plan [--ref REF] [--image NAME] [options] [DIR]
       autobuild init [--image NAME] [--rules FILE] [--force] [DIR]

  plan                    print what a run would do (tags and why, push or not, cache, Docker
                          Hub hooks and autotests) without building or asking docker anything;
                          see autobuild plan --help. A folder named plan: ./plan
  init                    write .github/workflows/image.yml for the repository: its Dockerfiles,
                          hooks/, autotest files and Docker Hub build rules, push and pull
                          request triggers and a weekly rebuild; see autobuild init --help
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
  if (initRequested(process.argv.slice(2))) return runInit(process.argv.slice(2));
  const { values, positionals } = parseArgs2({
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
  const dir = path5.resolve(folders[0] ?? ".");
  const given = values;
  const local = { ref: values.ref, defaultBranch: values["default-branch"], base: values.base, fork: values.fork };
  if (planning) {
    const getInput2 = (name) => name === "password" ? process.env.AUTOBUILD_PASSWORD ?? "" : typeof given[name] === "string" ? given[name] : "";
    present(Boolean(values.verbose));
    if (!folders.length && fs3.existsSync("plan") && fs3.statSync("plan").isDirectory()) {
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
  const password = values["password-stdin"] ? fs3.readFileSync(0, "utf8").trim() : process.env.AUTOBUILD_PASSWORD ?? "";
  const getInput = (name) => name === "password" ? password : typeof given[name] === "string" ? given[name] : "";
  if (values["distribute-dir"]) process.env.AUTOBUILD_DISTRIBUTE_DIR = path5.resolve(values["distribute-dir"]);
  const temp = fs3.mkdtempSync(path5.join(os.tmpdir(), "autobuild-cli-"));
  process.env.RUNNER_TEMP ??= temp;
  process.env.GITHUB_OUTPUT = path5.join(temp, "output");
  process.env.GITHUB_STATE = path5.join(temp, "state");
  fs3.writeFileSync(process.env.GITHUB_OUTPUT, "");
  fs3.writeFileSync(process.env.GITHUB_STATE, "");
  present(Boolean(values.verbose));
  cancelOnSignals();
  const facts = await readLocalFacts(dir, local);
  const report = await run({ facts, getInput });
  for (const block of fs3.existsSync(process.env.GITHUB_STATE) ? fs3.readFileSync(process.env.GITHUB_STATE, "utf8").split(/\n(?=\S+<<)/) : []) {
    const m = /^(\S+)<<(\S+)\n([\s\S]*?)\n\2/.exec(block);
    if (m) process.env[`STATE_${m[1]}`] = m[3];
  }
  await post();
  fs3.rmSync(temp, { recursive: true, force: true });
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
