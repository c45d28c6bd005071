import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  RUN_LABEL,
  isRunLocalTag,
  removeContainer,
  removeLocalTags,
  removeRunLeftovers,
  runTestCommand,
  testArgv
} from "./chunk-TCSSW6JX.js";
import "./chunk-ISYC6MHU.js";
import "./chunk-ZECC5CS2.js";
import "./chunk-LHJCWPA6.js";
import "./chunk-DZYDVC4F.js";
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
//# sourceMappingURL=run-FWYSUNUR.js.map
