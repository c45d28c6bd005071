import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  callsComposeV1,
  composeShim,
  findOnPath,
  gitShim,
  prepareHookTools,
  removeHookBuilders,
  userBuildxDir
} from "./chunk-XQNICVY6.js";
import "./chunk-ZNLN72NC.js";
import "./chunk-XNTVPW2M.js";
import "./chunk-6CHDDAJH.js";
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
//# sourceMappingURL=hook-tools-7QHCQ3J3.js.map
