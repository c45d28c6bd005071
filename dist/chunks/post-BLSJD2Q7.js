import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  post
} from "./chunk-O27G2GQF.js";
import "./chunk-AFOLLFQS.js";
import "./chunk-LHJCWPA6.js";
import "./chunk-X4UWHUXT.js";
import "./chunk-WQQSJJD7.js";
export {
  post
};
//# sourceMappingURL=post-BLSJD2Q7.js.map
