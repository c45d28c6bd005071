// One test app's build-cache records on a shared engine, for the e2e tests and the benchmark:
// found by a marker in their step's command and pruned one id at a time, children first.
import { execFileSync } from 'node:child_process';

/**
 * Parses `docker buildx du --verbose` into records. buildx 0.13 writes one `Parent: ID` line;
 * buildx 0.2x writes `Parents:` followed by ` - ID` lines (a record may have several).
 */
export function parseDiskUsage(du) {
  return du
    .split(/\n\s*\n/)
    .map((block) => {
      const record = { parents: [] };
      let inParents = false;
      for (const line of block.split('\n')) {
        const item = /^\s+-\s+(\S+)\s*$/.exec(line);
        if (item && inParents) {
          record.parents.push(item[1]);
          continue;
        }
        const field = /^([A-Za-z ]+):\s*(.*)$/.exec(line);
        if (!field) continue;
        const key = field[1].trim();
        const value = field[2].trim();
        inParents = key === 'Parents';
        if (key === 'ID') record.id = value;
        else if (key === 'Description') record.description = value;
        else if ((key === 'Parent' || key === 'Parents') && value) record.parents.push(value);
      }
      return record;
    })
    .filter((r) => r.id);
}

/** Record ids whose description contains the marker, and their descendants, parents first. */
export function ownRecords(du, marker) {
  const records = parseDiskUsage(du);
  const own = records.filter((r) => r.description?.includes(marker)).map((r) => r.id);
  for (let grew = true; grew; ) {
    grew = false;
    for (const r of records) {
      if (!own.includes(r.id) && r.parents.some((p) => own.includes(p))) {
        own.push(r.id);
        grew = true;
      }
    }
  }
  return own;
}

/**
 * Prunes the build-cache records of steps whose command contains `marker` (and the records built
 * on top of them) from the engine the docker CLI talks to; throws when they are still there after
 * ten rounds. `env` is the docker CLI's environment (DOCKER_HOST, DOCKER_CONFIG).
 */
export function pruneOwnRecords(marker, env = process.env) {
  // (`buildx du --verbose` of a shared engine runs to megabytes.)
  const docker = (...args) => execFileSync('docker', args, { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  for (let round = 0; round < 10; round++) {
    const ids = ownRecords(docker('buildx', 'du', '--verbose'), marker);
    if (!ids.length) return;
    // One id per call (the engine takes one filter value); children first, so parents become free.
    // --all: without it a record the engine counts as shared (a build stage's result that a later
    // stage copied from) is kept, even when named by its id.
    for (const id of ids.reverse()) docker('buildx', 'prune', '--force', '--all', '--filter', `id=${id}`);
  }
  throw new Error(`build cache records for ${marker} are still there after pruning`);
}
