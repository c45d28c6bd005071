import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  getState,
  saveState
} from "./chunk-DZYDVC4F.js";

// src/state.ts
var KEYS = {
  dockerConfig: "docker-config",
  composeProjects: "compose-projects",
  runId: "run-id",
  localTags: "local-tags",
  testContainers: "test-containers"
};
function isPost() {
  return getState("isPost") === "true";
}
function markMainRan() {
  saveState("isPost", "true");
}
function saveState2(state) {
  for (const [key, name] of Object.entries(KEYS)) {
    const value = state[key];
    if (value !== void 0) saveState(name, value);
  }
}
function loadState() {
  const out = {};
  for (const [key, name] of Object.entries(KEYS)) {
    const value = getState(name);
    if (value) out[key] = value;
  }
  return out;
}

export {
  isPost,
  markMainRan,
  saveState2 as saveState,
  loadState
};
//# sourceMappingURL=chunk-MCZZ3UTU.js.map
