import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  post
} from "./chunk-D2GZXZM4.js";
import "./chunk-MCZZ3UTU.js";
import "./chunk-LHJCWPA6.js";
import "./chunk-DZYDVC4F.js";
import "./chunk-WQQSJJD7.js";
export {
  post
};
//# sourceMappingURL=post-CVUB22MH.js.map
