import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  run
} from "./chunk-RAD4PAGB.js";
import {
  post
} from "./chunk-QXRBTNZI.js";
import "./chunk-GQXNIOD3.js";
import "./chunk-ZTAIHROF.js";
import "./chunk-AFOLLFQS.js";
import "./chunk-NJAQ4GIM.js";
import "./chunk-HZDRBIMR.js";
import "./chunk-DFCEJLNW.js";
import "./chunk-LXPTHEKZ.js";
import "./chunk-XNTVPW2M.js";
import "./chunk-HE6MXSHF.js";
import "./chunk-LHJCWPA6.js";
import "./chunk-6GS7HBKY.js";
import "./chunk-WQQSJJD7.js";
export {
  post,
  run
};
//# sourceMappingURL=main-3JWBVG4G.js.map
