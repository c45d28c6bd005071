import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  isPost,
  markMainRan
} from "./chunks/chunk-MCZZ3UTU.js";
import "./chunks/chunk-DZYDVC4F.js";
import "./chunks/chunk-WQQSJJD7.js";

// src/index.ts
if (isPost()) {
  const { post } = await import("./chunks/post-CVUB22MH.js");
  await post();
} else {
  markMainRan();
  const [{ cancelOnSignals }, { run }] = await Promise.all([import("./chunks/exec-COX5ZZZC.js"), import("./chunks/main-67GSMTCV.js")]);
  cancelOnSignals();
  await run();
}
//# sourceMappingURL=index.js.map
