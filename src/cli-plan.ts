import * as path from 'node:path';
import type { Facts } from './context.js';
import { inputsNeedYaml, readInputs, type Inputs } from './inputs.js';
import { describeCacheOutlook } from './plan/cache-outlook.js';
import { makePlan, type Plan } from './plan/plan.js';
import { checkPlanFiles, dockerHubFiles, planGroupLines, type DockerHubFiles } from './phases/plan-group.js';
import { gatePush } from './phases/push-gate.js';
import { loadYaml } from './yaml.js';

/**
 * The image `autobuild plan` plans for when no `--image` is given: the repository's name
 * (origin's owner/name, else local/<folder>) as a Docker Hub repository name. Pure.
 */
export function placeholderImage(facts: Pick<Facts, 'repository'>): string {
  return facts.repository.fullName
    .split('/')
    .map((part) => part.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'app')
    .join('/');
}

/**
 * What `autobuild plan` says beyond the run's Plan group: builds without Docker Hub files, a
 * push that needs credentials the plan cannot see, and the cache (none for a build hooks/build replaces). Pure.
 */
export function planExtras(
  facts: Facts,
  inputs: Pick<Inputs, 'hooks' | 'testCompose' | 'cache' | 'target' | 'platforms' | 'push'>,
  plan: Plan,
  files: Pick<DockerHubFiles, 'found' | 'foundTests' | 'hooks'>,
): string[] {
  const lines: string[] = [];
  plan.builds.forEach((b, i) => {
    if (files.found[i]!.size || files.foundTests[i]!.length) return;
    const dir = path.relative(facts.workspace, path.dirname(b.file)) || '.';
    const off = [inputs.hooks === 'off' ? 'hooks: off' : '', inputs.testCompose === 'off' ? 'test-compose: off' : ''].filter(Boolean);
    lines.push(`Hooks and autotests of ${b.name}: ${off.length === 2 ? off.join(', ') : `none found next to the Dockerfile (${dir})${off.length ? `, ${off[0]}` : ''}`}`);
  });
  // The run drops a pull request's push when it has no credentials for a registry (push-gate.ts).
  const without = gatePush(plan.push, facts, inputs, plan.images, []);
  if (without.enabled !== plan.push.enabled) lines.push(`Push at run time without credentials: no, ${without.reason}`);
  lines.push(...describeCacheOutlook(facts, inputs, plan));
  plan.builds.forEach((b, i) => {
    if (files.hooks[i]!.has('build')) lines.push(`  note: hooks/build replaces the build of ${b.name}: it gets no cache from autobuild (the lines above are for the build autobuild would run)`);
  });
  return lines;
}

/**
 * `autobuild plan`: the run's own Plan group for these facts and inputs, and what the run would
 * find and pick, printed line by line; then the run's checks of the files it reads before any
 * work (they throw as in the run). Reads the repository's files only: no docker command, no
 * engine or registry request, no login.
 */
export async function printPlan(facts: Facts, getInput: (name: string) => string, print: (line: string) => void): Promise<void> {
  const given = getInput('image').trim();
  const image = given || placeholderImage(facts);
  const get = (name: string): string => (name === 'image' ? image : getInput(name));
  if (inputsNeedYaml(get)) await loadYaml();
  const inputs = readInputs(facts.workspace, get);
  const plan = makePlan(facts, inputs);
  const files = dockerHubFiles(plan, inputs);
  if (!given) print(`note: no --image given: planned for ${image}, the repository's name (give --image to plan for yours)`);
  for (const line of planGroupLines(facts, inputs, plan, files, 'at-run-time')) print(line);
  for (const line of planExtras(facts, inputs, plan, files)) print(line);
  if (!plan.skipped) await checkPlanFiles(plan, files.autotests, facts.workspace);
}
