import type { Facts } from '../context.js';
import { checkBuildFiles } from '../engine/build.js';
import type { Inputs } from '../inputs.js';
import { describePlan } from '../plan/describe.js';
import type { Plan } from '../plan/plan.js';
import { describeDockerHub, findHooks, type HookSet } from './hooks.js';
import { hubDescriptionPlanLine } from './hub-description.js';
import { loadYaml } from '../yaml.js';
import { autotestsFor, checkAutotests } from './test.js';

/** The Docker Hub files of each build of a plan: what is next to its Dockerfile, and what of it runs. */
export interface DockerHubFiles {
  /** hooks/ found next to each build's Dockerfile (with `hooks: off`, none). */
  found: HookSet[];
  /** The autotest compose files found for each build (see autotestsFor). */
  foundTests: string[][];
  /** Whether they run on the runner: not for code the plan does not trust there (plan.hostCode). */
  onHost: boolean;
  /** The hooks that run: `found`, or none when they do not run on the runner. */
  hooks: HookSet[];
  /** The autotest files that run: `foundTests`, or none. */
  autotests: string[][];
}

/** Looks for each build's hooks/ and autotest files. Reads folders only; runs nothing. */
export function dockerHubFiles(plan: Pick<Plan, 'builds' | 'hostCode'>, inputs: Pick<Inputs, 'hooks' | 'testCompose'>): DockerHubFiles {
  const found = plan.builds.map((b) => findHooks(b, inputs.hooks));
  const foundTests = plan.builds.map((b, i) => autotestsFor(b, inputs.testCompose, found[i]!));
  const onHost = plan.hostCode !== 'off';
  return {
    found,
    foundTests,
    onHost,
    hooks: onHost ? found : found.map((): HookSet => new Map()),
    autotests: onHost ? foundTests : foundTests.map((): string[] => []),
  };
}

/**
 * The lines of the Plan log group: the plan in words, each build's hooks and autotest files, then
 * what becomes of the Docker Hub description. `autobuild plan` gives `credentials: 'at-run-time'`:
 * it does not see the run's. Pure but for the README's size.
 */
export function planGroupLines(
  facts: Facts,
  inputs: Parameters<typeof hubDescriptionPlanLine>[1],
  plan: Plan,
  files: Pick<DockerHubFiles, 'found' | 'foundTests' | 'onHost'>,
  credentials: 'known' | 'at-run-time' = 'known',
): string[] {
  const notRun = files.onHost ? undefined : plan.trust.why;
  const hub = hubDescriptionPlanLine(facts, inputs, plan, credentials);
  return [
    ...describePlan(facts, plan),
    ...plan.builds.flatMap((b, i) => describeDockerHub(b.name, files.found[i]!, files.foundTests[i]!, facts.workspace, notRun)),
    ...(hub ? [hub] : []),
  ];
}

/**
 * What the run reads before any work: each build's context and Dockerfile, and each autotest file
 * that runs (one without a `sut` service fails here, naming the file). Throws a UserError.
 */
export async function checkPlanFiles(plan: Pick<Plan, 'builds'>, autotests: string[][], workspace: string): Promise<void> {
  for (const b of plan.builds) checkBuildFiles(b);
  if (autotests.some((files) => files.length)) await loadYaml();
  for (const files of autotests) checkAutotests(files, workspace);
}
