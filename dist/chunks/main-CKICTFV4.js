import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  run
} from "./chunk-D5WINUGI.js";
import {
  post
} from "./chunk-BQPYCTEY.js";
import "./chunk-GQXNIOD3.js";
import "./chunk-ZTAIHROF.js";
import "./chunk-AFOLLFQS.js";
import "./chunk-YS4WXV5T.js";
import "./chunk-HZDRBIMR.js";
import "./chunk-MY63ICSE.js";
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
//# sourceMappingURL=main-CKICTFV4.js.map
