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
