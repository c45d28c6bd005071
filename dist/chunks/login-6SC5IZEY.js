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
} from "./chunk-VBFS6DGR.js";
import "./chunk-TWNPUVYL.js";
import "./chunk-XNTVPW2M.js";
import "./chunk-GTOEFTE7.js";
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
//# sourceMappingURL=login-6SC5IZEY.js.map
