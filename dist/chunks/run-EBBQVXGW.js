import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  RUN_LABEL,
  isRunLocalTag,
  removeContainer,
  removeLocalTags,
  removeRunLeftovers,
  runTestCommand,
  testArgv
} from "./chunk-2QWDN2YA.js";
import "./chunk-5MXLCNUW.js";
import "./chunk-XNTVPW2M.js";
import "./chunk-AT66JDGX.js";
import "./chunk-LHJCWPA6.js";
import "./chunk-X4UWHUXT.js";
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
//# sourceMappingURL=run-EBBQVXGW.js.map
