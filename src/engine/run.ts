import { UserError } from '../errors.js';
import { PhaseTimeout } from './deadline.js';
import { LOCAL_REGISTRY, type Docker } from './docker.js';
import { CancelledError, CommandTimeout, type ExecResult } from './exec.js';

/** Label on every container a run starts; the post step removes what a cancelled run left behind. */
export const RUN_LABEL = 'autobuild.run';

/**
 * argv to run a shell command inside an image, entrypoint cleared, labelled with the run's id;
 * with a platform, inside that platform's image of a multi-platform one.
 */
export function testArgv(image: string, command: string, name: string, runId?: string, platform?: string, options: readonly string[] = []): string[] {
  const label = runId ? ['--label', `${RUN_LABEL}=${runId}`] : [];
  const on = platform ? ['--platform', platform] : [];
  return ['run', '--rm', '--name', name, ...label, ...on, ...options, '--entrypoint', 'sh', image, '-c', command];
}

/**
 * Runs the test command in a fresh container. When it runs out of time (the `test` phase
 * timeout) or the step is cancelled, the container is killed and removed before the error is
 * reported.
 */
export async function runTestCommand(
  docker: Docker,
  image: string,
  command: string,
  name: string,
  timeoutMs?: number,
  platform?: string,
  options: readonly string[] = [],
): Promise<ExecResult> {
  try {
    // A hung test is stopped by removing its container: the CLI then returns at once.
    const stop = (): Promise<boolean> => removeContainer(docker, name);
    return await docker.run(testArgv(image, command, name, docker.runId, platform, options), { stream: true, timeoutMs, stop });
  } catch (error) {
    const removed = await removeContainer(docker, name);
    if (error instanceof PhaseTimeout || error instanceof CommandTimeout || error instanceof CancelledError) {
      throw new UserError(
        `${error.message} The test container ${name} was ${removed ? 'killed and removed' : 'stopped, but could not be removed'}; nothing was pushed.`,
      );
    }
    throw error;
  }
}

/** Kills and removes a container; true when it is gone. Never throws. */
export async function removeContainer(docker: Docker, name: string): Promise<boolean> {
  try {
    const r = await docker.run(['rm', '--force', '--volumes', name], { cleanup: true });
    return r.code === 0 || /No such container/i.test(r.stderr);
  } catch {
    return false;
  }
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Whether a name is one of this run's local image names (Docker.localTag): the only names cleanup removes. */
export function isRunLocalTag(ref: string, runId: string): boolean {
  return ref.startsWith(`${LOCAL_REGISTRY}/`) && new RegExp(`:${runId.replace(/[^\w-]/g, '')}-\\d+$`).test(ref);
}

/**
 * Removes this run's local image names (the image stays while other names use it). True when
 * none is left (a name already gone counts as removed). A cleanup command: it runs after
 * cancellation too.
 */
export async function removeLocalTags(docker: Docker, refs: string[]): Promise<boolean> {
  if (!refs.length) return true;
  return (await docker.removeImages(refs)).errors.length === 0;
}

/**
 * For the post step: removes what the main step may have left behind, as its state says: the
 * containers it started (left running when it was cancelled or crashed during a test) and its
 * run-local image names (the image keeps its other names). Nothing is asked of the engine for
 * what the main step already removed.
 */
export async function removeRunLeftovers(
  docker: Docker,
  runId: string,
  leftovers: { containers: boolean; tags: string[] },
): Promise<{ containers: number; tags: number }> {
  let ids: string[] = [];
  if (leftovers.containers) {
    const list = await docker.run(['ps', '--all', '--quiet', '--filter', `label=${RUN_LABEL}=${runId}`], { cleanup: true });
    ids = list.code === 0 ? lines(list.stdout) : [];
    if (ids.length) await docker.run(['rm', '--force', '--volumes', ...ids], { cleanup: true });
  }
  const ours = leftovers.tags.filter((ref) => isRunLocalTag(ref, runId));
  const tags = ours.length ? (await docker.removeImages(ours)).untagged.length : 0;
  return { containers: ids.length, tags };
}
