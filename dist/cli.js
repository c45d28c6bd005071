#!/usr/bin/env node
import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  INPUT_NAMES,
  SECRET_INPUTS,
  outputsOf,
  readLocalFacts,
  run
} from "./chunks/chunk-NEPFVUQG.js";
import {
  post
} from "./chunks/chunk-PSVX7SWL.js";
import "./chunks/chunk-GQXNIOD3.js";
import "./chunks/chunk-ZTAIHROF.js";
import "./chunks/chunk-AFOLLFQS.js";
import "./chunks/chunk-XTT754EC.js";
import "./chunks/chunk-VBFS6DGR.js";
import "./chunks/chunk-7FP6BB5N.js";
import "./chunks/chunk-TWNPUVYL.js";
import "./chunks/chunk-XNTVPW2M.js";
import {
  cancelOnSignals
} from "./chunks/chunk-GTOEFTE7.js";
import "./chunks/chunk-LHJCWPA6.js";
import "./chunks/chunk-6GS7HBKY.js";
import "./chunks/chunk-WQQSJJD7.js";

// src/cli.ts
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
var INPUTS = INPUT_NAMES.filter((n) => !SECRET_INPUTS.includes(n));
var HELP = `autobuild: build, test inside the image, and push, from a local git checkout.

Usage: autobuild --image NAME [options] [DIR]

  DIR                     the repository (default: the current folder)
  --image NAME[,NAME]     repositories to push to (required)
  --context PATH          build context, relative to DIR (default .)
  --file PATH             Dockerfile (default: Dockerfile in the context)
  --test-command CMD      run inside the built image before any push
  --push auto|true|false  (default auto: push)
  --username USER         registry user; the password comes from AUTOBUILD_PASSWORD
                          or --password-stdin
  --ref REF               build as if for this ref (branch name, refs/heads/X, refs/tags/vX)
  --default-branch NAME   the branch that gets 'latest' (default: origin's HEAD, main or master)
  --distribute-dir DIR    with --distribute: the folder every machine of the image sees, where
                          each leaves its platforms' reports (in place of the artifact service)
  --verbose               show debug lines
Every other action input is accepted as --NAME VALUE (see action.yml), e.g. --tags, --rules, --cache.
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
      "default-branch": { type: "string" },
      "distribute-dir": { type: "string" },
      "password-stdin": { type: "boolean" },
      verbose: { type: "boolean" },
      help: { type: "boolean", short: "h" }
    }
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const dir = path.resolve(positionals[0] ?? ".");
  const given = values;
  const password = values["password-stdin"] ? fs.readFileSync(0, "utf8").trim() : process.env.AUTOBUILD_PASSWORD ?? "";
  const getInput = (name) => name === "password" ? password : typeof given[name] === "string" ? given[name] : "";
  if (values["distribute-dir"]) process.env.AUTOBUILD_DISTRIBUTE_DIR = path.resolve(values["distribute-dir"]);
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), "autobuild-cli-"));
  process.env.RUNNER_TEMP ??= temp;
  process.env.GITHUB_OUTPUT = path.join(temp, "output");
  process.env.GITHUB_STATE = path.join(temp, "state");
  fs.writeFileSync(process.env.GITHUB_OUTPUT, "");
  fs.writeFileSync(process.env.GITHUB_STATE, "");
  present(Boolean(values.verbose));
  cancelOnSignals();
  const facts = await readLocalFacts(dir, { ref: values.ref, defaultBranch: values["default-branch"] });
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
