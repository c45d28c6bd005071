import { execFileSync } from 'node:child_process';

/**
 * Makes the shared engine look like a fresh runner for one test app, without touching anything
 * else on it: removes the images of `repository` and the build-cache records made by steps whose
 * command contains `marker` (and the records built on top of them). Base images stay, as a runner
 * image's preloaded base images would.
 */
export function freshRunner(repository: string, marker: string): void {
  // (`buildx du --verbose` of a shared engine runs to megabytes.)
  const docker = (...args: string[]): string =>
    execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  const refs = docker('image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', repository)
    .split('\n')
    .filter((r) => r && !r.endsWith(':<none>'));
  if (refs.length) docker('image', 'rm', '--force', ...refs);
  for (let round = 0; round < 10; round++) {
    const ids = ownRecords(docker('buildx', 'du', '--verbose'), marker);
    if (!ids.length) return;
    // One id per call (the engine takes one filter value); children first, so parents become free.
    for (const id of ids.reverse()) docker('buildx', 'prune', '--force', '--filter', `id=${id}`);
  }
  throw new Error(`build cache records for ${marker} are still there after pruning`);
}

/** Record ids whose description contains the marker, and their descendants, parents first. */
export function ownRecords(du: string, marker: string): string[] {
  const records = du
    .split(/\n\s*\n/)
    .map((block) => Object.fromEntries([...block.matchAll(/^([A-Za-z ]+):\s*(.*)$/gm)].map((m) => [m[1]!.trim(), m[2]!.trim()])))
    .filter((r) => r.ID);
  const own: string[] = records.filter((r) => r.Description?.includes(marker)).map((r) => r.ID!);
  for (let grew = true; grew; ) {
    grew = false;
    for (const r of records) {
      if (r.Parent && own.includes(r.Parent) && !own.includes(r.ID!)) {
        own.push(r.ID!);
        grew = true;
      }
    }
  }
  return own;
}
