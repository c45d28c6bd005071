import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  post
} from "./chunk-PSVX7SWL.js";
import "./chunk-AFOLLFQS.js";
import "./chunk-LHJCWPA6.js";
import "./chunk-6GS7HBKY.js";
import "./chunk-WQQSJJD7.js";
export {
  post
};
//# sourceMappingURL=post-XE4HK6GS.js.map
