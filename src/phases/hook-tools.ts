import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * What Docker Hub's builders gave hooks and GitHub's runners do not, set up once per run inside
 * the run's private docker config (removed with it): `hooks/bin` goes first on the hooks' PATH,
 * with a `git` shim: a `git fetch --unshallow` on a repository that is complete already drops the
 * flag instead of failing (Docker Hub's clone was shallow, and post_checkout runs once per build
 * here, on one checkout).
 */
export interface HookTools {
  bin: string;
}

const HOOKS_DIR = 'hooks';

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

/** Sets up the hooks' PATH shims in the run's private config (see HookTools). */
export function prepareHookTools(configDir: string, env: Record<string, string | undefined> = process.env): HookTools {
  const dir = path.join(configDir, HOOKS_DIR);
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin, { recursive: true, mode: 0o700 });
  const git = findOnPath('git', bin, env.PATH);
  if (git) fs.writeFileSync(path.join(bin, 'git'), gitShim(git), { mode: 0o755 });
  return { bin };
}
