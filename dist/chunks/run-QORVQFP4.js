import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  RUN_LABEL,
  isRunLocalTag,
  removeContainer,
  removeLocalTags,
  removeRunLeftovers,
  runTestCommand,
  testArgv
} from "./chunk-3MECZGAT.js";
import "./chunk-EHEZV6ON.js";
import "./chunk-JRHTETKG.js";
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
//# sourceMappingURL=run-QORVQFP4.js.map
