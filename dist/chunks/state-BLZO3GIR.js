import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  markMainRan,
  saveState
} from "./chunk-GQXNIOD3.js";
import "./chunk-AFOLLFQS.js";
import "./chunk-6GS7HBKY.js";
import "./chunk-WQQSJJD7.js";
export {
  markMainRan,
  saveState
};
//# sourceMappingURL=state-BLZO3GIR.js.map
