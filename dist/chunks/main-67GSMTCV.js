import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  run
} from "./chunk-TXYZO67R.js";
import "./chunk-ZTAIHROF.js";
import "./chunk-JCCZ6OU4.js";
import "./chunk-ODNONVDP.js";
import "./chunk-GE4BBDAF.js";
import "./chunk-3MECZGAT.js";
import "./chunk-EHEZV6ON.js";
import "./chunk-JRHTETKG.js";
import {
  post
} from "./chunk-D2GZXZM4.js";
import "./chunk-MCZZ3UTU.js";
import "./chunk-LHJCWPA6.js";
import "./chunk-DZYDVC4F.js";
import "./chunk-WQQSJJD7.js";
export {
  post,
  run
};
//# sourceMappingURL=main-67GSMTCV.js.map
