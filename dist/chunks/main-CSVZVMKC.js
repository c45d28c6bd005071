import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  run
} from "./chunk-ROKILXHB.js";
import {
  post
} from "./chunk-YGL7EZN7.js";
import "./chunk-GQXNIOD3.js";
import "./chunk-ZTAIHROF.js";
import "./chunk-AFOLLFQS.js";
import "./chunk-EG6AEANJ.js";
import "./chunk-OU3ZHFNB.js";
import "./chunk-GE4BBDAF.js";
import "./chunk-23IPE7HR.js";
import "./chunk-G45CP6ZC.js";
import "./chunk-URGTF424.js";
import "./chunk-LHJCWPA6.js";
import "./chunk-6GS7HBKY.js";
import "./chunk-WQQSJJD7.js";
export {
  post,
  run
};
//# sourceMappingURL=main-CSVZVMKC.js.map
