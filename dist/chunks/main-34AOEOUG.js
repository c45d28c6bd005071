import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  run
} from "./chunk-RBYEWX63.js";
import "./chunk-GQXNIOD3.js";
import "./chunk-ZTAIHROF.js";
import "./chunk-NPUEETFK.js";
import "./chunk-F4FQ2KZZ.js";
import "./chunk-GE4BBDAF.js";
import "./chunk-XXWV5IQD.js";
import "./chunk-K43UZLZX.js";
import "./chunk-URGTF424.js";
import {
  post
} from "./chunk-DRMEQ3V2.js";
import "./chunk-AFOLLFQS.js";
import "./chunk-LHJCWPA6.js";
import "./chunk-6GS7HBKY.js";
import "./chunk-WQQSJJD7.js";
export {
  post,
  run
};
//# sourceMappingURL=main-34AOEOUG.js.map
