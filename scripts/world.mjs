// Where scripts/test-world.sh left the test world, for the e2e tests and the benchmark.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The test world's state folder. */
export const WORLD_DIR = process.env.AUTOBUILD_WORLD_DIR ?? '/var/lib/autobuild-test-world';

/** The registry's port: 5000 unless the world had to pass over a port held by something else (it keeps the port in its state folder). */
export function registryPort() {
  try {
    return fs.readFileSync(path.join(WORLD_DIR, 'registry.port'), 'utf8').trim() || '5000';
  } catch {
    return '5000';
  }
}
