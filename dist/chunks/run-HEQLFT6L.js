import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  RUN_LABEL,
  isRunLocalTag,
  removeContainer,
  removeLocalTags,
  removeRunLeftovers,
  runTestCommand,
  testArgv
} from "./chunk-MIJRUXKZ.js";
import "./chunk-A6B54UQN.js";
import "./chunk-URGTF424.js";
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
//# sourceMappingURL=run-HEQLFT6L.js.map
