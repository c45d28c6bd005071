import { vi } from 'vitest';

/** What @actions/core writes to stdout while `fn` runs (warnings are `::warning::` lines, masks `::add-mask::` lines). */
export function stdoutOf(fn: () => void): string {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    fn();
  } finally {
    spy.mockRestore();
  }
  return out;
}

/** What @actions/core writes to stdout while the promise of `fn` is pending. */
export async function stdoutOfAsync(fn: () => Promise<unknown>): Promise<string> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await fn();
  } finally {
    spy.mockRestore();
  }
  return out;
}
