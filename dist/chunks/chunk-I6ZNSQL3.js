import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  LOCAL_REGISTRY
} from "./chunk-57KFFATP.js";
import {
  CancelledError,
  CommandTimeout,
  PhaseTimeout
} from "./chunk-7FCH2HRT.js";
import {
  UserError
} from "./chunk-LHJCWPA6.js";

// src/engine/run.ts
var RUN_LABEL = "autobuild.run";
function testArgv(image, command, name, runId, platform, options = []) {
  const label = runId ? ["--label", `${RUN_LABEL}=${runId}`] : [];
  const on = platform ? ["--platform", platform] : [];
  return ["run", "--rm", "--name", name, ...label, ...on, ...options, "--entrypoint", "sh", image, "-c", command];
}
async function runTestCommand(docker, image, command, name, timeoutMs, platform, options = []) {
  try {
    const stop = () => removeContainer(docker, name);
    return await docker.run(testArgv(image, command, name, docker.runId, platform, options), { stream: true, timeoutMs, stop });
  } catch (error) {
    const removed = await removeContainer(docker, name);
    if (error instanceof PhaseTimeout || error instanceof CommandTimeout || error instanceof CancelledError) {
      throw new UserError(
        `${error.message} The test container ${name} was ${removed ? "killed and removed" : "stopped, but could not be removed"}; nothing was pushed.`
      );
    }
    throw error;
  }
}
async function removeContainer(docker, name) {
  try {
    const r = await docker.run(["rm", "--force", "--volumes", name], { cleanup: true });
    return r.code === 0 || /No such container/i.test(r.stderr);
  } catch {
    return false;
  }
}
function lines(text) {
  return text.split("\n").map((s) => s.trim()).filter(Boolean);
}
function isRunLocalTag(ref, runId) {
  return ref.startsWith(`${LOCAL_REGISTRY}/`) && new RegExp(`:${runId.replace(/[^\w-]/g, "")}-\\d+$`).test(ref);
}
async function removeLocalTags(docker, refs) {
  if (!refs.length) return true;
  return (await docker.removeImages(refs)).errors.length === 0;
}
async function removeRunLeftovers(docker, runId, leftovers) {
  let ids = [];
  if (leftovers.containers) {
    const list = await docker.run(["ps", "--all", "--quiet", "--filter", `label=${RUN_LABEL}=${runId}`], { cleanup: true });
    ids = list.code === 0 ? lines(list.stdout) : [];
    if (ids.length) await docker.run(["rm", "--force", "--volumes", ...ids], { cleanup: true });
  }
  const ours = leftovers.tags.filter((ref) => isRunLocalTag(ref, runId));
  const tags = ours.length ? (await docker.removeImages(ours)).untagged.length : 0;
  return { containers: ids.length, tags };
}

export {
  RUN_LABEL,
  testArgv,
  runTestCommand,
  removeContainer,
  isRunLocalTag,
  removeLocalTags,
  removeRunLeftovers
};
//# sourceMappingURL=chunk-I6ZNSQL3.js.map
