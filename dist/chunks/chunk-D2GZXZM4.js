import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  loadState
} from "./chunk-MCZZ3UTU.js";
import {
  getErrorMessage
} from "./chunk-LHJCWPA6.js";
import {
  debug,
  info,
  warning
} from "./chunk-DZYDVC4F.js";

// src/post.ts
import * as fs from "node:fs";
function parseList(json) {
  if (!json) return [];
  try {
    const value = JSON.parse(json);
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}
async function post() {
  let state = {};
  try {
    state = loadState();
  } catch (error) {
    warning(`Could not read the main step's state: ${getErrorMessage(error)}`);
  }
  const projects = parseList(state.composeProjects);
  const leftovers = { containers: state.testContainers === "true", tags: parseList(state.localTags) };
  const configLeft = state.dockerConfig !== void 0 && fs.existsSync(state.dockerConfig);
  if (!projects.length && !configLeft && !(state.runId && (leftovers.containers || leftovers.tags.length))) {
    debug("The main step left nothing to clean up.");
    return;
  }
  const { Docker } = await import("./docker-7NIIKDZW.js");
  if (projects.length) {
    try {
      const { removeProjects } = await import("./compose-ZGFBXQ5A.js");
      const removed = await removeProjects(new Docker(configLeft ? state.dockerConfig : void 0), state.composeProjects);
      if (removed.length) info(`Removed compose test projects left by the main step: ${removed.join(", ")}.`);
    } catch (error) {
      warning(`Could not remove compose test projects: ${getErrorMessage(error)}`);
    }
  }
  if (configLeft) {
    try {
      const { removeDockerConfig } = await import("./login-ORILLIXC.js");
      removeDockerConfig(state.dockerConfig);
      info("Logged out: removed the private docker config.");
    } catch (error) {
      warning(`Could not remove the private docker config ${state.dockerConfig}: ${getErrorMessage(error)}`);
    }
  }
  if (state.runId && (leftovers.containers || leftovers.tags.length)) {
    try {
      const { removeRunLeftovers } = await import("./run-QORVQFP4.js");
      const left = await removeRunLeftovers(new Docker(), state.runId, leftovers);
      if (left.containers) info(`Removed ${left.containers} container${left.containers === 1 ? "" : "s"} left by this run.`);
      if (left.tags) debug(`Untagged ${left.tags} run-local image name${left.tags === 1 ? "" : "s"}.`);
    } catch (error) {
      warning(`Cleanup did not finish: ${getErrorMessage(error)}`);
    }
  }
}

export {
  post
};
//# sourceMappingURL=chunk-D2GZXZM4.js.map
