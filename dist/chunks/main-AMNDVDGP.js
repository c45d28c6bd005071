import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  run
} from "./chunk-PD3KZ5CO.js";
import "./chunk-2QWDN2YA.js";
import {
  post
} from "./chunk-526PUYOA.js";
import "./chunk-DPF6QIOO.js";
import "./chunk-ZTAIHROF.js";
import "./chunk-AFOLLFQS.js";
import "./chunk-LGDTE4SK.js";
import "./chunk-CBOHD5GU.js";
import "./chunk-GPDM4GHM.js";
import "./chunk-5MXLCNUW.js";
import "./chunk-XNTVPW2M.js";
import "./chunk-AT66JDGX.js";
import "./chunk-LHJCWPA6.js";
import "./chunk-X4UWHUXT.js";
import "./chunk-WQQSJJD7.js";
export {
  post,
  run
};
//# sourceMappingURL=main-AMNDVDGP.js.map
