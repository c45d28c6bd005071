import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  createDockerConfig,
  credentialsFor,
  hasConfiguredLogin,
  login,
  registryName,
  removeDockerConfig,
  reserveDockerConfig,
  writeDockerConfig
} from "./chunk-D5XPOJM2.js";
import "./chunk-GE4BBDAF.js";
import "./chunk-A6B54UQN.js";
import "./chunk-URGTF424.js";
import "./chunk-LHJCWPA6.js";
import "./chunk-6GS7HBKY.js";
import "./chunk-WQQSJJD7.js";
export {
  createDockerConfig,
  credentialsFor,
  hasConfiguredLogin,
  login,
  registryName,
  removeDockerConfig,
  reserveDockerConfig,
  writeDockerConfig
};
//# sourceMappingURL=login-5FMCSQ66.js.map
