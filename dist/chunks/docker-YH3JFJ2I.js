import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  Docker,
  LOCAL_REGISTRY,
  userConfigDir
} from "./chunk-TWNPUVYL.js";
import "./chunk-XNTVPW2M.js";
import "./chunk-GTOEFTE7.js";
import "./chunk-LHJCWPA6.js";
import "./chunk-6GS7HBKY.js";
import "./chunk-WQQSJJD7.js";
export {
  Docker,
  LOCAL_REGISTRY,
  userConfigDir
};
//# sourceMappingURL=docker-YH3JFJ2I.js.map
