import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  run
} from "./chunk-52R3MWXC.js";
import {
  post
} from "./chunk-73MRGA5N.js";
import "./chunk-GQXNIOD3.js";
import "./chunk-ZTAIHROF.js";
import "./chunk-AFOLLFQS.js";
import "./chunk-3G5CQ76W.js";
import "./chunk-APRQ7JTU.js";
import "./chunk-EIX76BLD.js";
import "./chunk-WPJMLA4X.js";
import "./chunk-XNTVPW2M.js";
import "./chunk-XMEERXO3.js";
import "./chunk-LHJCWPA6.js";
import "./chunk-6GS7HBKY.js";
import "./chunk-WQQSJJD7.js";
export {
  post,
  run
};
//# sourceMappingURL=main-OL4H3E3T.js.map
