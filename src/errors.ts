/** An error a user can act on: its message is shown as is, without a stack trace. */
export class UserError extends Error {
  override name = 'UserError';
}

export function getErrorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}
