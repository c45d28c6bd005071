import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);
import {
  isPost,
  leftovers,
  loadState,
  nothingLeft
} from "./chunks/chunk-AFOLLFQS.js";
import "./chunks/chunk-WQQSJJD7.js";

// src/index.ts
import * as nodeModule from "node:module";
nodeModule.enableCompileCache?.();
if (isPost()) {
  if (!nothingLeft(leftovers(loadState()))) {
    const { post } = await import("./chunks/post-DG7P5E7K.js");
    await post();
  }
} else {
  const { markMainRan } = await import("./chunks/state-MTWHH5KW.js");
  markMainRan();
  const [{ cancelOnSignals }, { run }] = await Promise.all([import("./chunks/exec-76U5IEXV.js"), import("./chunks/main-WJR2YSX4.js")]);
  cancelOnSignals();
  await run();
}
//# sourceMappingURL=index.js.map
