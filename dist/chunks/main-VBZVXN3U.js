import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  run
} from "./chunk-XHFJVLVP.js";
import "./chunk-GQXNIOD3.js";
import "./chunk-ZTAIHROF.js";
import "./chunk-NPUEETFK.js";
import "./chunk-2O2MGOO4.js";
import "./chunk-GE4BBDAF.js";
import "./chunk-WBM3YCI5.js";
import "./chunk-3UYLKA3L.js";
import "./chunk-URGTF424.js";
import {
  post
} from "./chunk-ED25CVAP.js";
import "./chunk-AFOLLFQS.js";
import "./chunk-LHJCWPA6.js";
import "./chunk-6GS7HBKY.js";
import "./chunk-WQQSJJD7.js";
export {
  post,
  run
};
//# sourceMappingURL=main-VBZVXN3U.js.map
