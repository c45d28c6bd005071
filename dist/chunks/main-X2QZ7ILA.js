import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  run
} from "./chunk-VGAOTGOV.js";
import {
  post
} from "./chunk-HBYKO4ST.js";
import "./chunk-GQXNIOD3.js";
import "./chunk-ZTAIHROF.js";
import "./chunk-AFOLLFQS.js";
import "./chunk-EG6AEANJ.js";
import "./chunk-D5XPOJM2.js";
import "./chunk-GE4BBDAF.js";
import "./chunk-MIJRUXKZ.js";
import "./chunk-A6B54UQN.js";
import "./chunk-URGTF424.js";
import "./chunk-LHJCWPA6.js";
import "./chunk-6GS7HBKY.js";
import "./chunk-WQQSJJD7.js";
export {
  post,
  run
};
//# sourceMappingURL=main-X2QZ7ILA.js.map
