import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  leftovers,
  loadState,
  nothingLeft
} from "./chunk-AFOLLFQS.js";
import {
  getErrorMessage
} from "./chunk-LHJCWPA6.js";
import {
  debug,
  info,
  warning
} from "./chunk-X4UWHUXT.js";

// src/post.ts
async function post() {
  let state = {};
  try {
    state = loadState();
  } catch (error) {
    warning(`Could not read the main step's state: ${getErrorMessage(error)}`);
  }
  const left = leftovers(state);
  if (nothingLeft(left)) {
    debug("The main step left nothing to clean up.");
    return;
  }
  const { projects, configLeft } = left;
  const { Docker } = await import("./docker-I7VBHR4B.js");
  if (projects.length) {
    try {
      const { removeProjects } = await import("./compose-TVHFBP7I.js");
      const removed = await removeProjects(new Docker(configLeft ? state.dockerConfig : void 0), state.composeProjects);
      if (removed.length) info(`Removed compose test projects left by the main step: ${removed.join(", ")}.`);
    } catch (error) {
      warning(`Could not remove compose test projects: ${getErrorMessage(error)}`);
    }
  }
  if (configLeft) {
    const { removeHookBuilders } = await import("./hook-tools-JCZX3A47.js");
    await removeHookBuilders(state.dockerConfig);
    try {
      const { removeDockerConfig } = await import("./login-ZOFLTEEF.js");
      removeDockerConfig(state.dockerConfig);
      info("Logged out: removed the private docker config.");
    } catch (error) {
      warning(`Could not remove the private docker config ${state.dockerConfig}: ${getErrorMessage(error)}`);
    }
  }
  if (left.containers || left.tags.length) {
    try {
      const { removeRunLeftovers } = await import("./run-N6B2WYMJ.js");
      const removed = await removeRunLeftovers(new Docker(), state.runId, { containers: left.containers, tags: left.tags });
      if (removed.containers) info(`Removed ${removed.containers} container${removed.containers === 1 ? "" : "s"} left by this run.`);
      if (removed.tags) debug(`Untagged ${removed.tags} run-local image name${removed.tags === 1 ? "" : "s"}.`);
    } catch (error) {
      warning(`Cleanup did not finish: ${getErrorMessage(error)}`);
    }
  }
}

export {
  post
};
//# sourceMappingURL=chunk-AW4T5KST.js.map
