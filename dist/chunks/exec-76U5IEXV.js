import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  CancelledError,
  CommandFailed,
  CommandTimeout,
  DEFAULT_TIMEOUT_MS,
  HOST_ENV_ALLOWED,
  cancelOnSignals,
  check,
  childEnv,
  describeCommand,
  execCommand,
  tail
} from "./chunk-7FCH2HRT.js";
import "./chunk-LHJCWPA6.js";
import "./chunk-X4UWHUXT.js";
import "./chunk-WQQSJJD7.js";
export {
  CancelledError,
  CommandFailed,
  CommandTimeout,
  DEFAULT_TIMEOUT_MS,
  HOST_ENV_ALLOWED,
  cancelOnSignals,
  check,
  childEnv,
  describeCommand,
  execCommand,
  tail
};
//# sourceMappingURL=exec-76U5IEXV.js.map
