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
} from "./chunk-GPDM4GHM.js";
import "./chunk-5MXLCNUW.js";
import "./chunk-XNTVPW2M.js";
import "./chunk-AT66JDGX.js";
import "./chunk-LHJCWPA6.js";
import "./chunk-X4UWHUXT.js";
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
//# sourceMappingURL=login-D4C7VP7J.js.map
