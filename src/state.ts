import * as core from '@actions/core';

/**
 * What the post step needs from the main step. Never holds a secret: only where the private
 * docker config lives (its contents are not state) and the run id that names this run's
 * containers and local tags.
 */
export interface PostState {
  /** The run's private docker config folder, removed by the post step. */
  dockerConfig?: string;
  /** JSON list of compose test projects ({name, file}) not yet removed, for the post step. */
  composeProjects?: string;
  /** This run's id (containers labelled autobuild.run=<id>, local tags autobuild.invalid/...:<id>-N). */
  runId?: string;
  /** JSON list of this run's local image names (Docker.localTag) not yet removed by the main step. */
  localTags?: string;
  /** 'true' while a test container of this run may exist (set before `docker run`, cleared once it is gone). */
  testContainers?: string;
}

const KEYS: Record<keyof PostState, string> = {
  dockerConfig: 'docker-config',
  composeProjects: 'compose-projects',
  runId: 'run-id',
  localTags: 'local-tags',
  testContainers: 'test-containers',
};

export function isPost(): boolean {
  return core.getState('isPost') === 'true';
}

export function markMainRan(): void {
  core.saveState('isPost', 'true');
}

/** Saves the post step's state. Call it before the docker config holds any credential. */
export function saveState(state: PostState): void {
  for (const [key, name] of Object.entries(KEYS)) {
    const value = state[key as keyof PostState];
    if (value !== undefined) core.saveState(name, value);
  }
}

export function loadState(): PostState {
  const out: PostState = {};
  for (const [key, name] of Object.entries(KEYS)) {
    const value = core.getState(name);
    if (value) out[key as keyof PostState] = value;
  }
  return out;
}
