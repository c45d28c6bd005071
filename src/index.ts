import { cancelOnSignals } from './engine/exec.js';
import { isPost, markMainRan } from './state.js';
import { post, run } from './main.js';

if (isPost()) {
  await post();
} else {
  markMainRan();
  // Cancelling the job stops the running command and cleans up; the post step still runs.
  cancelOnSignals();
  await run();
}
