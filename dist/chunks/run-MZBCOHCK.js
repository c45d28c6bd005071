import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  RUN_LABEL,
  isRunLocalTag,
  removeContainer,
  removeLocalTags,
  removeRunLeftovers,
  runTestCommand,
  testArgv
} from "./chunk-7FP6BB5N.js";
import "./chunk-TWNPUVYL.js";
import "./chunk-XNTVPW2M.js";
import "./chunk-GTOEFTE7.js";
import "./chunk-LHJCWPA6.js";
import "./chunk-6GS7HBKY.js";
import "./chunk-WQQSJJD7.js";
export {
  RUN_LABEL,
  isRunLocalTag,
  removeContainer,
  removeLocalTags,
  removeRunLeftovers,
  runTestCommand,
  testArgv
};
//# sourceMappingURL=run-MZBCOHCK.js.map
