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
} from "./chunk-HWKADRK7.js";
import "./chunk-GG644IR2.js";
import "./chunk-XNTVPW2M.js";
import "./chunk-PRFN33IV.js";
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
//# sourceMappingURL=login-2ZAULX3A.js.map
