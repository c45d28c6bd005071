import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  callsComposeV1,
  composeShim,
  findOnPath,
  gitShim,
  prepareHookTools,
  removeHookBuilders,
  userBuildxDir
} from "./chunk-CBOHD5GU.js";
import "./chunk-5MXLCNUW.js";
import "./chunk-XNTVPW2M.js";
import "./chunk-AT66JDGX.js";
import "./chunk-LHJCWPA6.js";
import "./chunk-X4UWHUXT.js";
import "./chunk-WQQSJJD7.js";
export {
  callsComposeV1,
  composeShim,
  findOnPath,
  gitShim,
  prepareHookTools,
  removeHookBuilders,
  userBuildxDir
};
//# sourceMappingURL=hook-tools-GIYZCDKY.js.map
