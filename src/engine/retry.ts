import * as core from '@actions/core';
import { PhaseTimeout, remainingMs } from './deadline.js';
import { CancelledError } from './exec.js';
import { classifyOutput, type Fault } from './registry-errors.js';

/**
 * Retry policy for everything that talks to a registry: login, push, cache import/export and
 * registry queries. Transient faults (connection resets, timeouts, HTTP 429 and 5xx) are retried
 * with bounded exponential backoff; permanent ones (401/403/404, invalid manifests, bad names)
 * fail at once. Classification is pure and table-tested; `withRetry` takes its clock, sleep and
 * randomness as options so its schedule is tested without waiting.
 */

export { classifyOutput, classifyStatus, lastLine, parseRetryAfter, type Fault, type FaultKind } from './registry-errors.js';

/** A failure that carries its classification (for callers that know better than the output). */
export class RetryableFailure extends Error {
  constructor(
    message: string,
    readonly fault: Fault,
  ) {
    super(message);
    this.name = 'RetryableFailure';
  }
}

/** Node/undici network error codes and names that mean "try again". */
const NODE_TRANSIENT = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN',
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CLOSED',
]);

/**
 * Classifies anything thrown: a RetryableFailure keeps its fault; an error with an `output`
 * (exec.ts CommandFailed) is judged by that output; Node network errors (also
 * wrapped as `cause` by fetch) and timeouts are transient; other errors are judged by their text.
 */
export function classifyError(error: unknown): Fault {
  if (error instanceof RetryableFailure) return error.fault;
  const output = (error as { output?: unknown } | undefined)?.output;
  if (typeof output === 'string') return classifyOutput(output);
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, name } = e as { code?: unknown; name?: unknown };
    if (typeof code === 'string' && NODE_TRANSIENT.has(code)) return { kind: 'transient', reason: `network error (${code})` };
    if (name === 'TimeoutError' || name === 'AbortError') return { kind: 'transient', reason: 'timeout' };
  }
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof TypeError && /fetch failed/i.test(message)) return { kind: 'transient', reason: 'network error' };
  return classifyOutput(message);
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Wait before the first retry. */
  initialDelayMs: number;
  /** Each wait is this many times the one before... */
  factor: number;
  /** ...up to this. */
  maxDelayMs: number;
  /** No retry starts after this much time since the first attempt. */
  totalMs: number;
  /** Each wait varies by up to this fraction either way, so many jobs don't retry in lockstep. */
  jitter: number;
}

/** 5 attempts, waits of about 2, 4, 8 and 16 s: a registry gets half a minute to recover. */
export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 5,
  initialDelayMs: 2_000,
  factor: 2,
  maxDelayMs: 30_000,
  totalMs: 5 * 60_000,
  jitter: 0.2,
};

/** The wait before retry number `retry` (1 = the first retry). Pure given `random`. */
export function retryDelay(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const base = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** Math.max(0, retry - 1));
  const spread = base * policy.jitter * (2 * random() - 1);
  return Math.max(0, Math.round(Math.min(policy.maxDelayMs, base + spread)));
}

export interface RetryOptions {
  policy?: RetryPolicy;
  /** Judges a thrown error; `classifyError` when absent. */
  classify?: (error: unknown) => Fault;
  /** Each retry is logged through this (core.info when absent). */
  log?: (message: string) => void;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  /** Time left before an outer deadline (the phase timeout); `remainingMs()` when absent. */
  remaining?: () => number | undefined;
}

/** Thrown by withRetry when it gives up: the last error, its fault, and how many attempts ran. */
export class RetryError extends Error {
  constructor(
    readonly what: string,
    readonly fault: Fault,
    readonly attempts: number,
    readonly elapsedMs: number,
    readonly last: unknown,
    /** Why it stopped: a permanent fault, all attempts used, or no time left. */
    readonly stopped: 'permanent' | 'attempts' | 'time',
  ) {
    const detail = describeGiveUp(fault, attempts, elapsedMs, stopped);
    super(stopped === 'permanent' ? `${what} failed: ${detail}` : `${what} failed ${detail}`);
    this.name = 'RetryError';
    this.detail = detail;
  }

  /** The message without `what`: "after 5 attempts in 31s (no attempts left); the last error was transient: ...". */
  readonly detail: string;
}

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms / 1000)}s`;
}

function describeGiveUp(fault: Fault, attempts: number, elapsedMs: number, stopped: RetryError['stopped']): string {
  if (stopped === 'permanent') return `${fault.reason}${attempts > 1 ? ` (attempt ${attempts})` : ''}`;
  const why = stopped === 'time' ? 'no time left to retry' : 'no attempts left';
  return `after ${attempts} attempt${attempts === 1 ? '' : 's'} in ${seconds(elapsedMs)} (${why}); the last error was transient: ${fault.reason}`;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn` until it succeeds, a permanent fault, the attempts, the policy's total time or the
 * outer deadline run out. `fn` gets the attempt number (1-based). Throws a RetryError.
 */
export async function withRetry<T>(what: string, fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const policy = options.policy ?? DEFAULT_RETRY;
  const classify = options.classify ?? classifyError;
  const log = options.log ?? ((m: string) => core.info(m));
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  const remaining = options.remaining ?? remainingMs;
  const started = now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      // Out of time or cancelled: no retry, and the error stays what it is.
      if (error instanceof PhaseTimeout || error instanceof CancelledError) throw error;
      const fault = classify(error);
      const elapsed = now() - started;
      if (fault.kind === 'permanent') throw new RetryError(what, fault, attempt, elapsed, error, 'permanent');
      if (attempt >= policy.attempts) throw new RetryError(what, fault, attempt, elapsed, error, 'attempts');
      // The server (or the caller) said how long to wait: that, within the policy's bound.
      const delay = fault.retryAfterMs !== undefined ? Math.min(policy.maxDelayMs, fault.retryAfterMs) : retryDelay(policy, attempt, options.random);
      const left = remaining();
      // Give up rather than start an attempt that the policy or the phase timeout would cut short.
      if (elapsed + delay > policy.totalMs || (left !== undefined && delay >= left)) {
        throw new RetryError(what, fault, attempt, elapsed, error, 'time');
      }
      log(`${what}: ${fault.reason}; retrying in ${seconds(delay)} (attempt ${attempt + 1} of ${policy.attempts})`);
      await sleep(delay);
    }
  }
}
