import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  CancelledError,
  CommandFailed,
  CommandTimeout,
  DEFAULT_TIMEOUT_MS,
  cancelOnSignals,
  check,
  childEnv,
  describeCommand,
  execCommand,
  tail
} from "./chunk-JRHTETKG.js";
import "./chunk-LHJCWPA6.js";
import "./chunk-DZYDVC4F.js";
import "./chunk-WQQSJJD7.js";
export {
  CancelledError,
  CommandFailed,
  CommandTimeout,
  DEFAULT_TIMEOUT_MS,
  cancelOnSignals,
  check,
  childEnv,
  describeCommand,
  execCommand,
  tail
};
//# sourceMappingURL=exec-COX5ZZZC.js.map
