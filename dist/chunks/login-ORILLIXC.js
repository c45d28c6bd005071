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
} from "./chunk-ODNONVDP.js";
import "./chunk-GE4BBDAF.js";
import "./chunk-EHEZV6ON.js";
import "./chunk-JRHTETKG.js";
import "./chunk-LHJCWPA6.js";
import "./chunk-DZYDVC4F.js";
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
//# sourceMappingURL=login-ORILLIXC.js.map
