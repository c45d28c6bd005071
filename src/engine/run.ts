import { UserError } from '../errors.js';
import { PhaseTimeout } from './deadline.js';
import { LOCAL_REGISTRY, type Docker } from './docker.js';
import { CancelledError, CommandTimeout, type ExecResult } from './exec.js';

/** Label on every container a run starts; the post step removes what a cancelled run left behind. */
export const RUN_LABEL = 'autobuild.run';

/** argv to run a shell command inside an image, entrypoint cleared, labelled with the run's id. */
export function testArgv(image: string, command: string, name: string, runId?: string): string[] {
  const label = runId ? ['--label', `${RUN_LABEL}=${runId}`] : [];
  return ['run', '--rm', '--name', name, ...label, '--entrypoint', 'sh', image, '-c', command];
}

/**
 * Runs the test command in a fresh container. When it runs out of time (the `test` phase
 * timeout) or the step is cancelled, the container is killed and removed before the error is
 * reported.
 */
export async function runTestCommand(docker: Docker, image: string, command: string, name: string, timeoutMs?: number): Promise<ExecResult> {
  try {
    // A hung test is stopped by removing its container: the CLI then returns at once.
    const stop = (): Promise<boolean> => removeContainer(docker, name);
    return await docker.run(testArgv(image, command, name, docker.runId), { stream: true, timeoutMs, stop });
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

/**
 * For the post step: removes every container the run started (left running when the main step
 * was cancelled or crashed) and untags its run-local image names (the image keeps its other tags).
 */
export async function removeRunLeftovers(docker: Docker, runId: string): Promise<{ containers: number; tags: number }> {
  const list = await docker.run(['ps', '--all', '--quiet', '--filter', `label=${RUN_LABEL}=${runId}`], { cleanup: true });
  const ids = list.code === 0 ? lines(list.stdout) : [];
  if (ids.length) await docker.run(['rm', '--force', '--volumes', ...ids], { cleanup: true });
  const images = await docker.run(['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}'], { cleanup: true });
  const suffix = new RegExp(`:${runId}-\\d+$`);
  const ours = images.code === 0 ? lines(images.stdout).filter((ref) => ref.startsWith(`${LOCAL_REGISTRY}/`) && suffix.test(ref)) : [];
  if (ours.length) await docker.run(['image', 'rm', ...ours], { cleanup: true });
  return { containers: ids.length, tags: ours.length };
}
