import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  ComposeProject,
  failed,
  parsePs,
  pointAtImage,
  projectName,
  readAutotestFile,
  removeProjects,
  repositoryOf,
  toComposeV2
} from "./chunk-LGDTE4SK.js";
import "./chunk-XNTVPW2M.js";
import "./chunk-AT66JDGX.js";
import "./chunk-LHJCWPA6.js";
import "./chunk-X4UWHUXT.js";
import "./chunk-WQQSJJD7.js";
export {
  ComposeProject,
  failed,
  parsePs,
  pointAtImage,
  projectName,
  readAutotestFile,
  removeProjects,
  repositoryOf,
  toComposeV2
};
//# sourceMappingURL=compose-H7UM2G74.js.map
