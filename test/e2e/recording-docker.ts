import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface RecordingDocker {
  /** Put this folder first on PATH. */
  dir: string;
  /** Every docker call so far: its argv and its environment (`env` output). */
  calls: () => { argv: string[]; env: string }[];
}

/**
 * A `docker` in front of the real one that records every call's argv and environment, so the
 * test can see what the action handed to its child processes. The folder goes into `temps` for clean-up.
 */
export function recordingDocker(temps: string[]): RecordingDocker {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-e2e-docker-'));
  temps.push(dir);
  const real = execFileSync('sh', ['-c', 'command -v docker'], { encoding: 'utf8' }).trim();
  fs.writeFileSync(
    path.join(dir, 'docker'),
    `#!/bin/sh
n=$(date +%s%N)-$$
for a in "$@"; do printf '%s\\0' "$a"; done > "${dir}/call-$n.argv"
env > "${dir}/call-$n.env"
exec ${real} "$@"
`,
    { mode: 0o755 },
  );
  return {
    dir,
    calls: () =>
      fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.argv'))
        .map((f) => ({
          argv: fs.readFileSync(path.join(dir, f), 'utf8').split('\0').slice(0, -1),
          env: fs.readFileSync(path.join(dir, f.replace(/\.argv$/, '.env')), 'utf8'),
        })),
  };
}

