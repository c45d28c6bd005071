import { execFileSync } from 'node:child_process';
import { pruneOwnRecords } from '../../scripts/build-cache.mjs';

/**
 * Makes the shared engine look like a fresh runner for one test app, without touching anything
 * else on it: removes the images of `repository` and the build-cache records made by steps whose
 * command contains `marker` (and the records built on top of them). Base images stay, as a runner
 * image's preloaded base images would.
 */
export function freshRunner(repository: string, marker: string): void {
  const refs = execFileSync('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', repository], { encoding: 'utf8' })
    .split('\n')
    .filter((r) => r && !r.endsWith(':<none>'));
  if (refs.length) execFileSync('docker', ['image', 'rm', '--force', ...refs], { stdio: 'ignore' });
  pruneOwnRecords(marker);
}
