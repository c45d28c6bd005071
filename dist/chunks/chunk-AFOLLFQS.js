import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);

// src/leftovers.ts
import * as fs from "node:fs";
var STATE_KEYS = {
  dockerConfig: "docker-config",
  composeProjects: "compose-projects",
  runId: "run-id",
  localTags: "local-tags",
  testContainers: "test-containers"
};
var POST_MARK = "isPost";
function stateValue(name, env) {
  return env[`STATE_${name}`] ?? "";
}
function isPost(env = process.env) {
  return stateValue(POST_MARK, env) === "true";
}
function loadState(env = process.env) {
  const out = {};
  for (const [key, name] of Object.entries(STATE_KEYS)) {
    const value = stateValue(name, env);
    if (value) out[key] = value;
  }
  return out;
}
function parseList(json) {
  if (!json) return [];
  try {
    const value = JSON.parse(json);
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}
function leftovers(state) {
  const run = Boolean(state.runId);
  return {
    projects: parseList(state.composeProjects),
    configLeft: state.dockerConfig !== void 0 && fs.existsSync(state.dockerConfig),
    containers: run && state.testContainers === "true",
    tags: run ? parseList(state.localTags) : []
  };
}
function nothingLeft(left) {
  return !left.projects.length && !left.configLeft && !left.containers && !left.tags.length;
}

export {
  STATE_KEYS,
  POST_MARK,
  isPost,
  loadState,
  leftovers,
  nothingLeft
};
//# sourceMappingURL=chunk-AFOLLFQS.js.map
