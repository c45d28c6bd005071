import { AsyncLocalStorage } from 'node:async_hooks';
import { UserError } from '../errors.js';
import { endInertLogs } from './inert-log.js';

/**
 * Time bounds per phase. A phase runs inside `withinPhase`; every command started in it (through
 * engine/exec.ts) is stopped when the phase's time is up, and retries never sleep past it.
 */
export interface PhaseDeadline {
  phase: string;
  limitMs: number;
  endsAt: number;
}

const current = new AsyncLocalStorage<PhaseDeadline>();

/** The deadline of the phase this code runs in, if any. */
export function currentDeadline(): PhaseDeadline | undefined {
  return current.getStore();
}

/** Milliseconds left in the current phase (undefined outside a phase). */
export function remainingMs(): number | undefined {
  const d = current.getStore();
  return d ? d.endsAt - Date.now() : undefined;
}

/** "90s", "10m", "1h30m": the shortest exact way to write a duration. */
export function formatDuration(ms: number): string {
  if (ms % 1000 !== 0) return `${ms}ms`;
  let s = ms / 1000;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${s || (!h && !m) ? `${s}s` : ''}`;
}

/** The phase ran out of time: names the input that sets the limit. */
export class PhaseTimeout extends UserError {
  constructor(
    readonly phase: string,
    readonly limitMs: number,
    what?: string,
    /** `what` was still running and was stopped (false: it was not started, no time was left). */
    readonly stopped = true,
  ) {
    super(
      `The ${phase} phase did not finish within ${formatDuration(limitMs)}${what ? ` (${what} was ${stopped ? 'stopped' : 'not started: no time was left'})` : ''}. ` +
        `Raise the limit with the 'timeout' input, e.g. timeout: ${phase}=${formatDuration(limitMs * 2)}.`,
    );
    this.name = 'PhaseTimeout';
  }
}

/** Grace after the deadline for the phase to clean up (stop its command, remove its container) and report. */
const SETTLE_MS = 15_000;

/**
 * Runs one phase with a time limit. Commands inside are stopped at the deadline (exec.ts); as a
 * backstop, a phase that still has not settled shortly after gets a PhaseTimeout anyway. However
 * the phase ends, no inert log region of its commands stays open (endInertLogs), so the workflow
 * commands the action prints next (its groups, warnings and errors) are read as such.
 */
export async function withinPhase<T>(phase: string, limitMs: number | undefined, fn: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    if (!limitMs) return await fn();
    const deadline: PhaseDeadline = { phase, limitMs, endsAt: Date.now() + limitMs };
    const backstop = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new PhaseTimeout(phase, limitMs)), limitMs + SETTLE_MS);
      timer.unref();
    });
    return await Promise.race([current.run(deadline, fn), backstop]);
  } finally {
    clearTimeout(timer);
    endInertLogs();
  }
}
