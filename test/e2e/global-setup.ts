import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Brings up the real engine and registry (installing them on a bare machine) and checks dist/ exists. */
export default function setup(): void {
  const root = path.resolve(import.meta.dirname, '../..');
  execFileSync('bash', [path.join(root, 'scripts/test-world.sh')], { stdio: 'inherit' });
  if (!fs.existsSync(path.join(root, 'dist/index.js'))) {
    execFileSync('node', [path.join(root, 'scripts/bundle.mjs')], { cwd: root, stdio: 'inherit' });
  }
}
