// The action's entry, for the main and the post step alike (action.yml runs this file for both).
// Each step loads only its own code: the post step never parses the pipeline, and after a run
// that cleaned up after itself it reads its state and ends, loading nothing else.
import * as nodeModule from 'node:module';
import { isPost, leftovers, loadState, nothingLeft } from './leftovers.js';

// Node >= 22.1 keeps the code it compiles in its cache folder (under the temp folder), for the
// post step and later runs on this machine: ~7 ms less at each start. Older nodes go without.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

if (isPost()) {
  if (!nothingLeft(leftovers(loadState()))) {
    const { post } = await import('./post.js');
    await post();
  }
} else {
  // First of all, so that the post step is a post step even if this one is cancelled right away.
  const { markMainRan } = await import('./state.js');
  markMainRan();
  const [{ cancelOnSignals }, { run }] = await Promise.all([import('./engine/exec.js'), import('./main.js')]);
  // Cancelling the job stops the running command and cleans up; the post step still runs.
  cancelOnSignals();
  await run();
}
