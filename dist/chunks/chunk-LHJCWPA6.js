import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);

// src/errors.ts
var UserError = class extends Error {
  name = "UserError";
};
function getErrorMessage(error) {
  if (error instanceof Error) return error.message;
  if (typeof error === "string") return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}

export {
  UserError,
  getErrorMessage
};
//# sourceMappingURL=chunk-LHJCWPA6.js.map
