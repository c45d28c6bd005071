import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  Docker,
  LOCAL_REGISTRY,
  userConfigDir
} from "./chunk-57KFFATP.js";
import "./chunk-XNTVPW2M.js";
import "./chunk-7FCH2HRT.js";
import "./chunk-LHJCWPA6.js";
import "./chunk-X4UWHUXT.js";
import "./chunk-WQQSJJD7.js";
export {
  Docker,
  LOCAL_REGISTRY,
  userConfigDir
};
//# sourceMappingURL=docker-I7VBHR4B.js.map
