import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  run
} from "./chunk-BZTVGLF7.js";
import {
  post
} from "./chunk-XIQH6TC6.js";
import "./chunk-GQXNIOD3.js";
import "./chunk-ZTAIHROF.js";
import "./chunk-AFOLLFQS.js";
import "./chunk-354K7OWW.js";
import "./chunk-HWKADRK7.js";
import "./chunk-Y7IDNRZ5.js";
import "./chunk-GG644IR2.js";
import "./chunk-XNTVPW2M.js";
import "./chunk-PRFN33IV.js";
import "./chunk-LHJCWPA6.js";
import "./chunk-6GS7HBKY.js";
import "./chunk-WQQSJJD7.js";
export {
  post,
  run
};
//# sourceMappingURL=main-CVENFP7B.js.map
