import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  run
} from "./chunk-ZDNIIRVV.js";
import "./chunk-ZTAIHROF.js";
import "./chunk-63U533AA.js";
import "./chunk-W2Q3DHCS.js";
import "./chunk-GE4BBDAF.js";
import "./chunk-TCSSW6JX.js";
import "./chunk-ISYC6MHU.js";
import "./chunk-ZECC5CS2.js";
import {
  post
} from "./chunk-R3HYPYXM.js";
import "./chunk-MCZZ3UTU.js";
import "./chunk-LHJCWPA6.js";
import "./chunk-DZYDVC4F.js";
import "./chunk-WQQSJJD7.js";
export {
  post,
  run
};
//# sourceMappingURL=main-KQ7RJN6O.js.map
