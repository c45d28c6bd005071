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
} from "./chunk-YLVLOKGC.js";
import "./chunk-XNTVPW2M.js";
import "./chunk-7FCH2HRT.js";
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
//# sourceMappingURL=compose-TVHFBP7I.js.map
