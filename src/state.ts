import * as core from '@actions/core';
import { POST_MARK, STATE_KEYS, type PostState } from './leftovers.js';

// What the main step saves for the post step (read back in leftovers.ts). Never holds a secret:
// only where the private docker config lives (its contents are not state), the run id that
// names this run's containers and local tags, and what of those may be left.
export type { PostState } from './leftovers.js';

export function markMainRan(): void {
  core.saveState(POST_MARK, 'true');
}

/** Saves the post step's state. Call it before the docker config holds any credential. */
export function saveState(state: PostState): void {
  for (const [key, name] of Object.entries(STATE_KEYS)) {
    const value = state[key as keyof PostState];
    if (value !== undefined) core.saveState(name, value);
  }
}
