import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  callsComposeV1,
  composeShim,
  findOnPath,
  gitShim,
  prepareHookTools,
  removeHookBuilders,
  userBuildxDir
} from "./chunk-MKP2NZNV.js";
import "./chunk-57KFFATP.js";
import "./chunk-XNTVPW2M.js";
import "./chunk-7FCH2HRT.js";
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
//# sourceMappingURL=hook-tools-JCZX3A47.js.map
