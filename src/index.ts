// The action's entry, for the main and the post step alike (action.yml runs this file for both).
// Each step loads only its own code: the post step never parses the pipeline.
import { isPost, markMainRan } from './state.js';

if (isPost()) {
  const { post } = await import('./post.js');
  await post();
} else {
  markMainRan();
  const [{ cancelOnSignals }, { run }] = await Promise.all([import('./engine/exec.js'), import('./main.js')]);
  // Cancelling the job stops the running command and cleans up; the post step still runs.
  cancelOnSignals();
  await run();
}
