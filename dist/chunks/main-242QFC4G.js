import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  run
} from "./chunk-CE3KQA3B.js";
import {
  post
} from "./chunk-ZZXVBZC4.js";
import "./chunk-GQXNIOD3.js";
import "./chunk-ZTAIHROF.js";
import "./chunk-AFOLLFQS.js";
import "./chunk-B7FZL4M3.js";
import "./chunk-E6JSKXXK.js";
import "./chunk-W5ILA3Z5.js";
import "./chunk-ZQVJZYMS.js";
import "./chunk-XNTVPW2M.js";
import "./chunk-PBX6ILE3.js";
import "./chunk-LHJCWPA6.js";
import "./chunk-6GS7HBKY.js";
import "./chunk-WQQSJJD7.js";
export {
  post,
  run
};
//# sourceMappingURL=main-242QFC4G.js.map
