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
} from "./chunk-NJAQ4GIM.js";
import "./chunk-XNTVPW2M.js";
import "./chunk-HE6MXSHF.js";
import "./chunk-LHJCWPA6.js";
import "./chunk-6GS7HBKY.js";
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
//# sourceMappingURL=compose-IXLWK5VB.js.map
