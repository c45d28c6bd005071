import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  run
} from "./chunk-ZHKLBGTE.js";
import "./chunk-KDORAQIE.js";
import {
  post
} from "./chunk-O27G2GQF.js";
import "./chunk-DPF6QIOO.js";
import "./chunk-ZTAIHROF.js";
import "./chunk-AFOLLFQS.js";
import "./chunk-RNI3UYAG.js";
import "./chunk-XQNICVY6.js";
import "./chunk-TZPUTAMY.js";
import "./chunk-ZNLN72NC.js";
import "./chunk-XNTVPW2M.js";
import "./chunk-6CHDDAJH.js";
import "./chunk-LHJCWPA6.js";
import "./chunk-X4UWHUXT.js";
import "./chunk-WQQSJJD7.js";
export {
  post,
  run
};
//# sourceMappingURL=main-WG2ECHUI.js.map
