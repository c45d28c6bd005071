import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  run
} from "./chunk-EY3Q336D.js";
import "./chunk-I6ZNSQL3.js";
import {
  post
} from "./chunk-AW4T5KST.js";
import "./chunk-DPF6QIOO.js";
import "./chunk-ZTAIHROF.js";
import "./chunk-AFOLLFQS.js";
import "./chunk-YLVLOKGC.js";
import "./chunk-MKP2NZNV.js";
import "./chunk-WBYOVNGI.js";
import "./chunk-57KFFATP.js";
import "./chunk-XNTVPW2M.js";
import "./chunk-7FCH2HRT.js";
import "./chunk-LHJCWPA6.js";
import "./chunk-X4UWHUXT.js";
import "./chunk-WQQSJJD7.js";
export {
  post,
  run
};
//# sourceMappingURL=main-WJR2YSX4.js.map
