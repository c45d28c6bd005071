import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  markMainRan,
  saveState
} from "./chunk-DPF6QIOO.js";
import "./chunk-AFOLLFQS.js";
import "./chunk-X4UWHUXT.js";
import "./chunk-WQQSJJD7.js";
export {
  markMainRan,
  saveState
};
//# sourceMappingURL=state-MTWHH5KW.js.map
