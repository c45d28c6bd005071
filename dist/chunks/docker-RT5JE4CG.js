import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  Docker,
  LOCAL_REGISTRY,
  userConfigDir
} from "./chunk-A6B54UQN.js";
import "./chunk-URGTF424.js";
import "./chunk-LHJCWPA6.js";
import "./chunk-6GS7HBKY.js";
import "./chunk-WQQSJJD7.js";
export {
  Docker,
  LOCAL_REGISTRY,
  userConfigDir
};
//# sourceMappingURL=docker-RT5JE4CG.js.map
