import { isPost, markMainRan } from './state.js';
import { post, run } from './main.js';

if (isPost()) {
  await post();
} else {
  markMainRan();
  await run();
}
