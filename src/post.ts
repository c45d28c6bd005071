import * as core from '@actions/core';
import { getErrorMessage } from './errors.js';
import { leftovers, loadState, nothingLeft, type PostState } from './leftovers.js';

/**
 * The post step: removes what the main step could not (it was cancelled, killed or crashed): its
 * compose test projects, its private docker config with the logins, its test containers and
 * run-local image names. The main step keeps in its state what may be left, and cleans up after
 * itself when it ends; after such a run this step has nothing to do, asks nothing of the engine,
 * and loads only this much code. Never fails the job.
 */
export async function post(): Promise<void> {
  let state: PostState = {};
  try {
    state = loadState();
  } catch (error) {
    core.warning(`Could not read the main step's state: ${getErrorMessage(error)}`);
  }
  const left = leftovers(state);
  if (nothingLeft(left)) {
    core.debug('The main step left nothing to clean up.');
    return;
  }
  const { projects, configLeft } = left;
  const { Docker } = await import('./engine/docker.js');
  if (projects.length) {
    try {
      const { removeProjects } = await import('./engine/compose.js');
      // With the private config when it is still there (the runner's own config otherwise).
      const removed = await removeProjects(new Docker(configLeft ? state.dockerConfig : undefined), state.composeProjects!);
      if (removed.length) core.info(`Removed compose test projects left by the main step: ${removed.join(', ')}.`);
    } catch (error) {
      core.warning(`Could not remove compose test projects: ${getErrorMessage(error)}`);
    }
  }
  if (configLeft) {
    // The builders hooks created are recorded in the private config: removed before it.
    const { removeHookBuilders } = await import('./phases/hook-tools.js');
    await removeHookBuilders(state.dockerConfig);
    try {
      const { removeDockerConfig } = await import('./engine/login.js');
      removeDockerConfig(state.dockerConfig!);
      core.info('Logged out: removed the private docker config.');
    } catch (error) {
      core.warning(`Could not remove the private docker config ${state.dockerConfig}: ${getErrorMessage(error)}`);
    }
  }
  if (left.containers || left.tags.length) {
    try {
      const { removeRunLeftovers } = await import('./engine/run.js');
      const removed = await removeRunLeftovers(new Docker(), state.runId!, { containers: left.containers, tags: left.tags });
      if (removed.containers) core.info(`Removed ${removed.containers} container${removed.containers === 1 ? '' : 's'} left by this run.`);
      if (removed.tags) core.debug(`Untagged ${removed.tags} run-local image name${removed.tags === 1 ? '' : 's'}.`);
    } catch (error) {
      core.warning(`Cleanup did not finish: ${getErrorMessage(error)}`);
    }
  }
}
