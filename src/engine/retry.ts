import * as core from '@actions/core';
import { PhaseTimeout, remainingMs } from './deadline.js';
import { CancelledError } from './exec.js';

/**
 * Retry policy for everything that talks to a registry: login, push, cache import/export and
 * registry queries. Transient faults (connection resets, timeouts, HTTP 429 and 5xx) are retried
 * with bounded exponential backoff; permanent ones (401/403/404, invalid manifests, bad names)
 * fail at once. Classification is pure and table-tested; `withRetry` takes its clock, sleep and
 * randomness as options so its schedule is tested without waiting.
 */

export type FaultKind = 'transient' | 'permanent';

export interface Fault {
  kind: FaultKind;
  /** Short cause in words: "HTTP 503 Service Unavailable", "connection reset", "unauthorized (HTTP 401)". */
  reason: string;
  /** HTTP status, when the failure named one. */
  status?: number;
  /** Wait exactly this long before the next attempt (HTTP Retry-After), instead of the backoff. */
  retryAfterMs?: number;
}

interface Signal {
  re: RegExp;
  fault: (m: RegExpExecArray) => Fault;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  416: 'Range Not Satisfiable',
  425: 'Too Early',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** Transient or permanent, from an HTTP status alone. 408, 425, 429 and 5xx (but 501) are transient. */
export function classifyStatus(status: number, retryAfter?: string | null): Fault {
  const text = STATUS_TEXT[status];
  const reason = `HTTP ${status}${text ? ` ${text}` : ''}`;
  const transient = status === 408 || status === 425 || status === 429 || (status >= 500 && status <= 599 && status !== 501);
  const fault: Fault = { kind: transient ? 'transient' : 'permanent', reason, status };
  if (status === 401) fault.reason = 'unauthorized (HTTP 401): wrong or missing credentials';
  if (status === 403) fault.reason = 'access denied (HTTP 403): the credentials may not push to this repository';
  if (status === 404) fault.reason = 'not found (HTTP 404): the repository or registry path does not exist';
  const wait = parseRetryAfter(retryAfter);
  if (transient && wait !== undefined) fault.retryAfterMs = wait;
  return fault;
}

/** HTTP Retry-After: seconds, or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const permanent = (reason: string, status?: number) => (): Fault => ({ kind: 'permanent', reason, status });
const transient = (reason: string, status?: number) => (): Fault => ({ kind: 'transient', reason, status });

/**
 * What the docker CLI, the engine, BuildKit and containerd print when a registry call fails.
 * When several match, the one that occurs last in the output decides: that is the error the
 * command ended with (earlier lines may be retries the engine already made).
 */
const SIGNALS: Signal[] = [
  // Statuses written as numbers: "failed with status: 503 Service Unavailable", "unexpected status: 429 Too Many Requests",
  // "received unexpected HTTP status: 500 Internal Server Error", "unexpected status from PUT request to ...: 401 Unauthorized".
  { re: /\bstatus(?: code)?(?: from \w+ request to \S+)?:? (\d{3})\b/gi, fault: (m) => classifyStatus(Number(m[1])) },
  { re: /\b(?:HTTP\/\d(?:\.\d)? |HTTP )(\d{3})\b/g, fault: (m) => classifyStatus(Number(m[1])) },
  // Registry error codes (distribution spec) and the words registries answer with.
  { re: /\btoomanyrequests\b|too many requests|rate limit/gi, fault: transient('rate limited (HTTP 429)', 429) },
  { re: /\b(?:service unavailable|bad gateway|gateway timeout|internal server error)\b/gi, fault: (m) => ({ ...classifyStatus(statusOfText(m[0])) }) },
  { re: /\bunauthorized\b|authentication required|incorrect username or password|no basic auth credentials|invalid username\/password/gi, fault: () => classifyStatus(401) },
  { re: /\bdenied: |requested access to the resource is denied|\bforbidden\b|insufficient_scope/gi, fault: () => classifyStatus(403) },
  { re: /\bDENIED\b/g, fault: () => classifyStatus(403) },
  { re: /\bname unknown\b|\bNAME_UNKNOWN\b|repository name not known|\bmanifest unknown\b|\bnot found\b/gi, fault: () => classifyStatus(404) },
  { re: /\bmanifest invalid\b|\bMANIFEST_INVALID\b|\bmanifest blob unknown\b|\bMANIFEST_BLOB_UNKNOWN\b|\bunsupported manifest\b/gi, fault: permanent('invalid manifest: the registry rejected the image manifest') },
  { re: /\bNAME_INVALID\b|\bTAG_INVALID\b|invalid reference format|repository name must be lowercase|\binvalid tag\b/gi, fault: permanent('invalid image name or tag') },
  { re: /\bno such host\b/gi, fault: permanent('unknown registry host (DNS: no such host)') },
  { re: /\bx509: |certificate signed by unknown authority|tls: failed to verify certificate/gi, fault: permanent('TLS certificate not trusted') },
  { re: /server gave HTTP response to HTTPS client/gi, fault: permanent('the registry speaks plain HTTP but is not an insecure registry for this engine') },
  // Network faults: the connection broke or stalled; a new attempt usually works.
  { re: /connection reset(?: by peer)?|\bECONNRESET\b/gi, fault: transient('connection reset') },
  { re: /connection refused|\bECONNREFUSED\b/gi, fault: transient('connection refused') },
  { re: /broken pipe|\bEPIPE\b|use of closed network connection|server closed idle connection|http2: server sent GOAWAY/gi, fault: transient('connection closed') },
  { re: /\bunexpected EOF\b|: EOF\b|\bEOF$/gm, fault: transient('connection closed early (EOF)') },
  { re: /\bi\/o timeout\b|\bTLS handshake timeout\b|context deadline exceeded|Client\.Timeout exceeded|timeout awaiting response headers|\bETIMEDOUT\b|request canceled while waiting for connection/gi, fault: transient('timeout') },
  { re: /temporary failure in name resolution|server misbehaving|\bEAI_AGAIN\b/gi, fault: transient('DNS lookup failed temporarily') },
  { re: /network is unreachable|no route to host|\bENETUNREACH\b|\bEHOSTUNREACH\b/gi, fault: transient('network unreachable') },
  { re: /\bblob upload unknown\b|\bBLOB_UPLOAD_UNKNOWN\b|\bblob upload invalid\b|\bBLOB_UPLOAD_INVALID\b/gi, fault: transient('the registry lost the upload session') },
];

function statusOfText(text: string): number {
  const t = text.toLowerCase();
  return t.includes('bad gateway') ? 502 : t.includes('gateway timeout') ? 504 : t.includes('service unavailable') ? 503 : 500;
}

/** The last non-empty line of a command's output: the cause shown when nothing better is known. */
export function lastLine(output: string): string {
  return (
    output
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .pop() ?? ''
  );
}

/**
 * Classifies a failed docker command from its output. Unknown failures are permanent: retrying
 * what nobody understands only makes a job slower.
 */
export function classifyOutput(output: string): Fault {
  let best: { at: number; fault: Fault } | undefined;
  for (const signal of SIGNALS) {
    signal.re.lastIndex = 0;
    for (let m = signal.re.exec(output); m; m = signal.re.exec(output)) {
      const at = m.index + m[0].length;
      // Ties (two signals ending at the same place) keep the earlier, more specific signal.
      if (!best || at > best.at) best = { at, fault: signal.fault(m) };
      if (m[0].length === 0) signal.re.lastIndex++;
    }
  }
  if (best) return best.fault;
  const line = lastLine(output);
  return { kind: 'permanent', reason: line ? `unrecognised error: ${line}` : 'failed without a message' };
}

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
