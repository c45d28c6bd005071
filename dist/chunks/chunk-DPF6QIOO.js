import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  POST_MARK,
  STATE_KEYS
} from "./chunk-AFOLLFQS.js";
import {
  saveState
} from "./chunk-X4UWHUXT.js";

// src/state.ts
function markMainRan() {
  saveState(POST_MARK, "true");
}
function saveState2(state) {
  for (const [key, name] of Object.entries(STATE_KEYS)) {
    const value = state[key];
    if (value !== void 0) saveState(name, value);
  }
}

export {
  markMainRan,
  saveState2 as saveState
};
//# sourceMappingURL=chunk-DPF6QIOO.js.map
