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
} from "./chunk-XTT754EC.js";
import "./chunk-XNTVPW2M.js";
import "./chunk-GTOEFTE7.js";
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
//# sourceMappingURL=compose-5KO3XICJ.js.map
