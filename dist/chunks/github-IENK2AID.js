import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  context,
  getOctokit
} from "./chunk-WVQTVBWW.js";
import "./chunk-65ZNMOSP.js";
import "./chunk-WQQSJJD7.js";
export {
  context,
  getOctokit
};
//# sourceMappingURL=github-IENK2AID.js.map
