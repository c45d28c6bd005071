import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  run
} from "./chunk-NEPFVUQG.js";
import {
  post
} from "./chunk-PSVX7SWL.js";
import "./chunk-GQXNIOD3.js";
import "./chunk-ZTAIHROF.js";
import "./chunk-AFOLLFQS.js";
import "./chunk-XTT754EC.js";
import "./chunk-VBFS6DGR.js";
import "./chunk-7FP6BB5N.js";
import "./chunk-TWNPUVYL.js";
import "./chunk-XNTVPW2M.js";
import "./chunk-GTOEFTE7.js";
import "./chunk-LHJCWPA6.js";
import "./chunk-6GS7HBKY.js";
import "./chunk-WQQSJJD7.js";
export {
  post,
  run
};
//# sourceMappingURL=main-QNUKHTHB.js.map
