import * as core from '@actions/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { getErrorMessage } from '../errors.js';
import { userConfigDir } from '../engine/docker.js';
import { execCommand, tail } from '../engine/exec.js';

/**
 * What Docker Hub's builders gave hooks and GitHub's runners do not, set up once per run inside
 * the run's private docker config (removed with it):
 * - `hooks/bin` goes first on the hooks' PATH, with two small shims: `docker-compose` (Compose v1,
 *   which Docker Hub had, run as Compose v2) and `git` (a `git fetch --unshallow` on a repository
 *   that is complete already drops the flag instead of failing: Docker Hub's clone was shallow,
 *   and post_checkout runs once per build here, on one checkout).
 * - `hooks/buildx` is the hooks' BUILDX_CONFIG: a copy of the user's buildx state (their builders
 *   stay usable, the current one stays selected), so `docker buildx create --use` in a hook
 *   selects and records its builder here, never in the runner user's ~/.docker/buildx. The
 *   builders hooks created are removed at the end of the step (removeHookBuilders), with their
 *   containers, as Docker Hub threw its builder away after each build.
 */
export interface HookTools {
  bin: string;
  buildxConfig: string;
}

const HOOKS_DIR = 'hooks';
const SEEDED = 'seeded-builders.json';

/** The user's buildx state, as the docker CLI finds it: BUILDX_CONFIG, else `buildx` in the docker config. */
export function userBuildxDir(env: Record<string, string | undefined> = process.env): string {
  return env.BUILDX_CONFIG || path.join(userConfigDir(env), 'buildx');
}

/** An executable `name` on PATH outside `skip` (the shims' own folder), or undefined. */
export function findOnPath(name: string, skip: string, pathVar = process.env.PATH ?? ''): string | undefined {
  for (const dir of pathVar.split(path.delimiter)) {
    if (!dir || path.resolve(dir) === path.resolve(skip)) continue;
    const file = path.join(dir, name);
    try {
      if (fs.statSync(file).isFile()) {
        fs.accessSync(file, fs.constants.X_OK);
        return file;
      }
    } catch {
      // not here
    }
  }
  return undefined;
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * `docker-compose` as Compose v1 answered Docker Hub hooks, run by Compose v2. --compatibility
 * keeps v1's container names (ci_sut_1); `ps` lists exited containers too (v2 needs -a) with v1's
 * State column ("Exit 0", "Up"), so `docker-compose -p ci ps sut | grep "Exit 0"` works as there.
 * Without Compose v2 it runs the docker-compose installed on the runner, if there is one.
 */
export function composeShim(installed: string | undefined): string {
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
rows=$(docker compose "\${g[@]}" ps -a --format '{{.Name}}\t{{.Command}}\t{{.State}}\t{{.ExitCode}}\t{{.Ports}}' "$@") || exit
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

/**
 * `git` for hooks: the real one, except that `git fetch --unshallow` (or pull) on a repository
 * that is not shallow runs without the flag (git refuses it: "--unshallow on a complete
 * repository does not make sense"), saying so.
 */
export function gitShim(real: string): string {
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

/** Names of the builders recorded in a buildx state folder. */
function builders(buildxDir: string): string[] {
  try {
    return fs
      .readdirSync(path.join(buildxDir, 'instances'), { withFileTypes: true })
      .filter((e) => e.isFile() && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/** Sets up the hooks' PATH shims and buildx state in the run's private config (see HookTools). */
export function prepareHookTools(configDir: string, env: Record<string, string | undefined> = process.env): HookTools {
  const dir = path.join(configDir, HOOKS_DIR);
  const bin = path.join(dir, 'bin');
  const buildxConfig = path.join(dir, 'buildx');
  fs.mkdirSync(bin, { recursive: true, mode: 0o700 });
  fs.mkdirSync(buildxConfig, { recursive: true, mode: 0o700 });
  // The user's builders, their selection and settings; not `refs` (buildx's record of past
  // builds, which can be large and which hooks do not need).
  const source = userBuildxDir(env);
  try {
    for (const entry of fs.readdirSync(source)) {
      if (entry === 'refs') continue;
      fs.cpSync(path.join(source, entry), path.join(buildxConfig, entry), { recursive: true, dereference: true });
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') core.warning(`Could not copy the buildx state ${source} for the hooks: ${getErrorMessage(error)}`);
  }
  fs.writeFileSync(path.join(dir, SEEDED), JSON.stringify(builders(buildxConfig)));
  fs.writeFileSync(path.join(bin, 'docker-compose'), composeShim(findOnPath('docker-compose', bin, env.PATH)), { mode: 0o755 });
  const git = findOnPath('git', bin, env.PATH);
  if (git) fs.writeFileSync(path.join(bin, 'git'), gitShim(git), { mode: 0o755 });
  return { bin, buildxConfig };
}

/**
 * Removes the builders the hooks created (`docker buildx rm`: their containers and state volumes
 * too), read from the hooks' buildx state in a private config. The main step calls it as it ends,
 * the post step when the main step could not. Returns the names removed; never throws.
 */
export async function removeHookBuilders(configDir: string | undefined): Promise<string[]> {
  if (!configDir) return [];
  const dir = path.join(configDir, HOOKS_DIR);
  const buildxConfig = path.join(dir, 'buildx');
  let seeded: string[];
  try {
    seeded = JSON.parse(fs.readFileSync(path.join(dir, SEEDED), 'utf8')) as string[];
  } catch {
    return []; // no hook ran
  }
  const removed: string[] = [];
  for (const name of builders(buildxConfig).filter((b) => !seeded.includes(b))) {
    try {
      const r = await execCommand('docker', ['buildx', 'rm', name], { env: { DOCKER_CONFIG: configDir, BUILDX_CONFIG: buildxConfig }, cleanup: true, timeoutMs: 120_000 });
      if (r.code === 0) removed.push(name);
      else core.warning(`Could not remove the builder ${name} a hook created: ${tail(r, 2)}`);
    } catch (error) {
      core.warning(`Could not remove the builder ${name} a hook created: ${getErrorMessage(error)}`);
    }
  }
  if (removed.length) core.info(`Removed the builder${removed.length === 1 ? '' : 's'} the hooks created: ${removed.join(', ')}.`);
  return removed;
}

/**
 * Whether a hook's text runs Compose v1's `docker-compose` (not a file name such as
 * docker-compose.test.yml, not a comment). Pure.
 */
export function callsComposeV1(text: string): boolean {
  return text.split('\n').some((line) => !/^\s*#/.test(line) && /(?<![\w./-])docker-compose(?![\w.-])/.test(line.replace(/\s#.*$/, '')));
}
