import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  post
} from "./chunk-AW4T5KST.js";
import "./chunk-AFOLLFQS.js";
import "./chunk-LHJCWPA6.js";
import "./chunk-X4UWHUXT.js";
import "./chunk-WQQSJJD7.js";
export {
  post
};
//# sourceMappingURL=post-DG7P5E7K.js.map
