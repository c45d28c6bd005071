import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  Docker,
  LOCAL_REGISTRY,
  userConfigDir
} from "./chunk-LXPTHEKZ.js";
import "./chunk-XNTVPW2M.js";
import "./chunk-HE6MXSHF.js";
import "./chunk-LHJCWPA6.js";
import "./chunk-6GS7HBKY.js";
import "./chunk-WQQSJJD7.js";
export {
  Docker,
  LOCAL_REGISTRY,
  userConfigDir
};
//# sourceMappingURL=docker-5LQJCO6A.js.map
