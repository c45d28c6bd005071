import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  Docker,
  LOCAL_REGISTRY
} from "./chunk-EHEZV6ON.js";
import "./chunk-JRHTETKG.js";
import "./chunk-LHJCWPA6.js";
import "./chunk-DZYDVC4F.js";
import "./chunk-WQQSJJD7.js";
export {
  Docker,
  LOCAL_REGISTRY
};
//# sourceMappingURL=docker-7NIIKDZW.js.map
