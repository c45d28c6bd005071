import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  run
} from "./chunk-FIOY3O33.js";
import "./chunk-ZTAIHROF.js";
import "./chunk-DUB2ZHZV.js";
import "./chunk-7NUEOYXA.js";
import "./chunk-PXJ3NZ7S.js";
import "./chunk-TCSSW6JX.js";
import "./chunk-ISYC6MHU.js";
import "./chunk-ZECC5CS2.js";
import {
  post
} from "./chunk-ZCF7NDNW.js";
import "./chunk-MCZZ3UTU.js";
import "./chunk-LHJCWPA6.js";
import "./chunk-DZYDVC4F.js";
import "./chunk-WQQSJJD7.js";
export {
  post,
  run
};
//# sourceMappingURL=main-535UDH5A.js.map
