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
} from "./chunk-JCCZ6OU4.js";
import "./chunk-GE4BBDAF.js";
import "./chunk-JRHTETKG.js";
import "./chunk-LHJCWPA6.js";
import "./chunk-DZYDVC4F.js";
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
//# sourceMappingURL=compose-ZGFBXQ5A.js.map
