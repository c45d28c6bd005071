import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  userConfigDir
} from "./chunk-57KFFATP.js";
import {
  execCommand,
  tail
} from "./chunk-7FCH2HRT.js";
import {
  getErrorMessage
} from "./chunk-LHJCWPA6.js";
import {
  info,
  warning
} from "./chunk-X4UWHUXT.js";

// src/phases/hook-tools.ts
import * as fs from "node:fs";
import * as path from "node:path";
var HOOKS_DIR = "hooks";
var SEEDED = "seeded-builders.json";
function userBuildxDir(env = process.env) {
  return env.BUILDX_CONFIG || path.join(userConfigDir(env), "buildx");
}
function findOnPath(name, skip, pathVar = process.env.PATH ?? "") {
  for (const dir of pathVar.split(path.delimiter)) {
    if (!dir || path.resolve(dir) === path.resolve(skip)) continue;
    const file = path.join(dir, name);
    try {
      if (fs.statSync(file).isFile()) {
        fs.accessSync(file, fs.constants.X_OK);
        return file;
      }
    } catch {
    }
  }
  return void 0;
}
var quote = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
function composeShim(installed) {
  return `#!/usr/bin/env bash
# autobuild: Compose v1's docker-compose for Docker Hub hooks, run as Compose v2 (docker compose).
if ! docker compose version >/dev/null 2>&1; then
  ${installed ? `exec ${quote(installed)} "$@"` : `echo "docker-compose: Compose v2 (docker compose) is not installed on this runner" >&2; exit 127`}
fi
g=(--compatibility)
while [ $# -gt 0 ]; do
  case "$1" in
    --no-ansi) g+=(--ansi never); shift ;;
    --verbose|--skip-hostname-check) shift ;;
    --log-level) shift 2 ;;
    -H|--host) export DOCKER_HOST="$2"; shift 2 ;;
    --host=*) export DOCKER_HOST="\${1#--host=}"; shift ;;
    -f|--file|-p|--project-name|--project-directory|--env-file|--profile|--ansi) g+=("$1" "$2"); shift 2 ;;
    -*) g+=("$1"); shift ;;
    *) break ;;
  esac
done
[ "$1" = ps ] || exec docker compose "\${g[@]}" "$@"
shift
for a in "$@"; do
  case "$a" in -q|--quiet|--services|--format|--format=*) exec docker compose "\${g[@]}" ps -a "$@" ;; esac
done
rows=$(docker compose "\${g[@]}" ps -a --format '{{.Name}}	{{.Command}}	{{.State}}	{{.ExitCode}}	{{.Ports}}' "$@") || exit
printf '%s\\n' "$rows" | awk -F '\\t' '
  NF >= 4 {
    n++; name[n] = $1; cmd[n] = $2; gsub(/^"|"$/, "", cmd[n]); ports[n] = $5
    s = $3
    if (s == "exited") s = "Exit " $4
    else if (s == "running") s = "Up"
    else s = toupper(substr(s, 1, 1)) substr(s, 2)
    state[n] = s
  }
  END {
    w1 = 4; w2 = 7; w3 = 5
    for (i = 1; i <= n; i++) {
      if (length(name[i]) > w1) w1 = length(name[i])
      if (length(cmd[i]) > w2) w2 = length(cmd[i])
      if (length(state[i]) > w3) w3 = length(state[i])
    }
    f = "%-" w1 "s   %-" w2 "s   %-" w3 "s   %s\\n"
    printf f, "Name", "Command", "State", "Ports"
    line = ""; for (i = 0; i < w1 + w2 + w3 + 14; i++) line = line "-"
    print line
    for (i = 1; i <= n; i++) printf f, name[i], cmd[i], state[i], ports[i]
  }'
`;
}
function gitShim(real) {
  return `#!/usr/bin/env bash
# autobuild: git for Docker Hub hooks, whose clone on Docker Hub was shallow.
REAL=${quote(real)}
args=("$@"); pre=(); i=0
while [ $i -lt \${#args[@]} ]; do
  case "\${args[$i]}" in
    -C|-c|--git-dir|--work-tree|--namespace|--config-env) pre+=("\${args[$i]}" "\${args[$((i + 1))]}"); i=$((i + 2)) ;;
    -*) pre+=("\${args[$i]}"); i=$((i + 1)) ;;
    *) break ;;
  esac
done
cmd=\${args[$i]}
case "$cmd" in fetch|pull) ;; *) exec "$REAL" "$@" ;; esac
keep=(); found=
for a in "\${args[@]:$((i + 1))}"; do
  if [ "$a" = --unshallow ]; then found=1; else keep+=("$a"); fi
done
if [ -n "$found" ] && [ "$("$REAL" "\${pre[@]}" rev-parse --is-shallow-repository 2>/dev/null)" = false ]; then
  echo "autobuild: the repository is complete already (not shallow): git $cmd runs without --unshallow" >&2
  exec "$REAL" "\${pre[@]}" "$cmd" "\${keep[@]}"
fi
exec "$REAL" "$@"
`;
}
function builders(buildxDir) {
  try {
    return fs.readdirSync(path.join(buildxDir, "instances"), { withFileTypes: true }).filter((e) => e.isFile() && !e.name.startsWith(".")).map((e) => e.name).sort();
  } catch {
    return [];
  }
}
function prepareHookTools(configDir, env = process.env) {
  const dir = path.join(configDir, HOOKS_DIR);
  const bin = path.join(dir, "bin");
  const buildxConfig = path.join(dir, "buildx");
  fs.mkdirSync(bin, { recursive: true, mode: 448 });
  fs.mkdirSync(buildxConfig, { recursive: true, mode: 448 });
  const source = userBuildxDir(env);
  try {
    for (const entry of fs.readdirSync(source)) {
      if (entry === "refs") continue;
      fs.cpSync(path.join(source, entry), path.join(buildxConfig, entry), { recursive: true, dereference: true });
    }
  } catch (error) {
    if (error.code !== "ENOENT") warning(`Could not copy the buildx state ${source} for the hooks: ${getErrorMessage(error)}`);
  }
  fs.writeFileSync(path.join(dir, SEEDED), JSON.stringify(builders(buildxConfig)));
  fs.writeFileSync(path.join(bin, "docker-compose"), composeShim(findOnPath("docker-compose", bin, env.PATH)), { mode: 493 });
  const git = findOnPath("git", bin, env.PATH);
  if (git) fs.writeFileSync(path.join(bin, "git"), gitShim(git), { mode: 493 });
  return { bin, buildxConfig };
}
async function removeHookBuilders(configDir) {
  if (!configDir) return [];
  const dir = path.join(configDir, HOOKS_DIR);
  const buildxConfig = path.join(dir, "buildx");
  let seeded;
  try {
    seeded = JSON.parse(fs.readFileSync(path.join(dir, SEEDED), "utf8"));
  } catch {
    return [];
  }
  const removed = [];
  for (const name of builders(buildxConfig).filter((b) => !seeded.includes(b))) {
    try {
      const r = await execCommand("docker", ["buildx", "rm", name], { env: { DOCKER_CONFIG: configDir, BUILDX_CONFIG: buildxConfig }, cleanup: true, timeoutMs: 12e4 });
      if (r.code === 0) removed.push(name);
      else warning(`Could not remove the builder ${name} a hook created: ${tail(r, 2)}`);
    } catch (error) {
      warning(`Could not remove the builder ${name} a hook created: ${getErrorMessage(error)}`);
    }
  }
  if (removed.length) info(`Removed the builder${removed.length === 1 ? "" : "s"} the hooks created: ${removed.join(", ")}.`);
  return removed;
}
function callsComposeV1(text) {
  return text.split("\n").some((line) => !/^\s*#/.test(line) && /(?<![\w./-])docker-compose(?![\w.-])/.test(line.replace(/\s#.*$/, "")));
}

export {
  userBuildxDir,
  findOnPath,
  composeShim,
  gitShim,
  prepareHookTools,
  removeHookBuilders,
  callsComposeV1
};
//# sourceMappingURL=chunk-MKP2NZNV.js.map
