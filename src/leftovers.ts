import * as fs from 'node:fs';

/**
 * What the main step may leave for the post step, read from the post step's environment
 * (`STATE_<name>`, as @actions/core's getState reads it). No @actions/core here: after a run that
 * cleaned up after itself, the post step decides from this alone and loads nothing else.
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

/** The state names, as saved by the main step (state.ts). */
export const STATE_KEYS: Record<keyof PostState, string> = {
  dockerConfig: 'docker-config',
  composeProjects: 'compose-projects',
  runId: 'run-id',
  localTags: 'local-tags',
  testContainers: 'test-containers',
};

/** Set by the main step as it starts: the next run of the entry is the post step. */
export const POST_MARK = 'isPost';

function stateValue(name: string, env: NodeJS.ProcessEnv): string {
  return env[`STATE_${name}`] ?? '';
}

export function isPost(env: NodeJS.ProcessEnv = process.env): boolean {
  return stateValue(POST_MARK, env) === 'true';
}

export function loadState(env: NodeJS.ProcessEnv = process.env): PostState {
  const out: PostState = {};
  for (const [key, name] of Object.entries(STATE_KEYS)) {
    const value = stateValue(name, env);
    if (value) out[key as keyof PostState] = value;
  }
  return out;
}

export function parseList<T>(json: string | undefined): T[] {
  if (!json) return [];
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? (value as T[]) : [];
  } catch {
    return [];
  }
}

/** What is left to clean up: compose projects, the private config (if it still exists), test containers and run-local names. */
export function leftovers(state: PostState): { projects: { name: string }[]; configLeft: boolean; containers: boolean; tags: string[] } {
  const run = Boolean(state.runId);
  return {
    projects: parseList<{ name: string }>(state.composeProjects),
    configLeft: state.dockerConfig !== undefined && fs.existsSync(state.dockerConfig),
    containers: run && state.testContainers === 'true',
    tags: run ? parseList<string>(state.localTags) : [],
  };
}

export function nothingLeft(left: ReturnType<typeof leftovers>): boolean {
  return !left.projects.length && !left.configLeft && !left.containers && !left.tags.length;
}
