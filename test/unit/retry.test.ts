import { describe, expect, it } from 'vitest';
import { PhaseTimeout } from '../../src/engine/deadline.js';
import { CommandFailed } from '../../src/engine/exec.js';
import {
  classifyError,
  classifyOutput,
  classifyStatus,
  DEFAULT_RETRY,
  parseRetryAfter,
  RetryableFailure,
  retryDelay,
  RetryError,
  withRetry,
  type RetryPolicy,
} from '../../src/engine/retry.js';

// Real output of docker 26/28 (containerd image store) and the registry, captured through the
// fault proxy of the e2e tests, plus Docker Hub's and GHCR's documented answers.
const H = 'http://127.0.0.1:36105';
const cases: [string, string, 'transient' | 'permanent', string | RegExp][] = [
  ['login, 503', `Error response from daemon: login attempt to ${H}/v2/ failed with status: 503 Service Unavailable`, 'transient', 'HTTP 503 Service Unavailable'],
  ['login, 429', `Error response from daemon: login attempt to ${H}/v2/ failed with status: 429 Too Many Requests`, 'transient', 'rate limited (HTTP 429)'],
  ['login, connection reset', `Error response from daemon: Get "${H}/v2/": EOF`, 'transient', 'connection closed early (EOF)'],
  ['login, refused', `Error response from daemon: Get "${H}/v2/": dial tcp 127.0.0.1:36105: connect: connection refused`, 'transient', 'connection refused'],
  ['login, 401', `Error response from daemon: login attempt to ${H}/v2/ failed with status: 401 Unauthorized`, 'permanent', /^unauthorized \(HTTP 401\)/],
  ['login, Docker Hub', 'Error response from daemon: Get "https://registry-1.docker.io/v2/": unauthorized: incorrect username or password', 'permanent', /HTTP 401/],
  ['login, TLS timeout', 'Error response from daemon: Get "https://ghcr.io/v2/": net/http: TLS handshake timeout', 'transient', 'timeout'],
  ['login, DNS blip', 'Error response from daemon: Get "https://ghcr.io/v2/": dial tcp: lookup ghcr.io on 127.0.0.53:53: server misbehaving', 'transient', 'DNS lookup failed temporarily'],
  ['login, unknown host', 'Error response from daemon: Get "https://regsitry.example/v2/": dial tcp: lookup regsitry.example: no such host', 'permanent', /no such host/],
  ['push, 503 on upload', `unexpected status from POST request to ${H}/v2/e2e/app/blobs/uploads/?mount=sha256:87dd&from=e2e/x: 503 Service Unavailable`, 'transient', 'HTTP 503 Service Unavailable'],
  ['push, 502', `unexpected status from PUT request to ${H}/v2/e2e/app/manifests/1: 502 Bad Gateway`, 'transient', 'HTTP 502 Bad Gateway'],
  ['push, reset on manifest', `failed commit on ref "manifest-sha256:d27e": failed to do request: Put "https://127.0.0.1:42619/v2/e2e/fx/manifests/1": EOF`, 'transient', 'connection closed early (EOF)'],
  ['push, cut upload', `failed to copy: failed to do request: Put "${H}/v2/e2e/fx/blobs/uploads/55a7?_state=x": readfrom tcp 127.0.0.1:50504->127.0.0.1:36703: write tcp 127.0.0.1:50504->127.0.0.1:36703: use of closed network connection`, 'transient', 'connection closed'],
  ['push, reset by peer', 'write tcp 10.1.0.4:51234->140.82.114.33:443: write: connection reset by peer', 'transient', 'connection reset'],
  ['push, broken pipe', 'Put "https://ghcr.io/v2/acme/app/blobs/uploads/x": write tcp 10.1.0.4:1->1.2.3.4:443: write: broken pipe', 'transient', 'connection closed'],
  ['push, i/o timeout', 'dial tcp 1.2.3.4:443: i/o timeout', 'transient', 'timeout'],
  ['push, client timeout', 'Head "https://ghcr.io/v2/x/blobs/sha256:1": net/http: request canceled (Client.Timeout exceeded while awaiting headers)', 'transient', 'timeout'],
  ['push, Docker Hub rate limit', 'toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading', 'transient', 'rate limited (HTTP 429)'],
  ['push, 401 on manifest', `failed commit on ref "manifest-sha256:d9c1": unexpected status from PUT request to ${H}/v2/e2e/fx/manifests/1: 401 Unauthorized`, 'permanent', /HTTP 401/],
  ['push, denied (Docker Hub)', 'denied: requested access to the resource is denied', 'permanent', /HTTP 403/],
  ['push, GHCR scope', 'denied: installation not allowed to Create organization package', 'permanent', /HTTP 403/],
  ['push, 403 status', `unexpected status from HEAD request to ${H}/v2/x/blobs/sha256:1: 403 Forbidden`, 'permanent', /HTTP 403/],
  ['push, 404 name unknown', 'name unknown: repository name not known to registry', 'permanent', /HTTP 404/],
  ['push, invalid manifest', 'manifest invalid: manifest invalid', 'permanent', /invalid manifest/],
  ['push, MANIFEST_BLOB_UNKNOWN', 'errors: MANIFEST_BLOB_UNKNOWN: blob unknown to registry', 'permanent', /invalid manifest/],
  ['push, bad name', 'invalid reference format: repository name must be lowercase', 'permanent', 'invalid image name or tag'],
  ['push, upload session lost', 'blob upload unknown: blob upload unknown to registry', 'transient', 'the registry lost the upload session'],
  ['classic store, 500', 'received unexpected HTTP status: 500 Internal Server Error', 'transient', 'HTTP 500 Internal Server Error'],
  ['classic store, retry then denied', '5257a611671d: Retrying in 5 seconds\n5257a611671d: Retrying in 1 second\ndenied: requested access to the resource is denied', 'permanent', /HTTP 403/],
  ['last error decides: 503 then a reset', `unexpected status: 503 Service Unavailable\nretrying\nread tcp 1.2.3.4:5->6.7.8.9:443: read: connection reset by peer`, 'transient', 'connection reset'],
  ['last error decides: reset then 401', `read: connection reset by peer\nunexpected status from PUT request to ${H}/v2/x/manifests/1: 401 Unauthorized`, 'permanent', /HTTP 401/],
  ['https to a plain-HTTP registry', 'Error response from daemon: Get "https://reg.example:5000/v2/": http: server gave HTTP response to HTTPS client', 'permanent', /plain HTTP/],
  ['untrusted certificate', 'Error response from daemon: Get "https://reg.example/v2/": tls: failed to verify certificate: x509: certificate signed by unknown authority', 'permanent', /TLS certificate/],
  ['unknown error', 'tag does not exist: localhost:5000/acme/app:1', 'permanent', 'unrecognised error: tag does not exist: localhost:5000/acme/app:1'],
  ['no output', '', 'permanent', 'failed without a message'],
];

describe('classifyOutput', () => {
  it.each(cases)('%s', (_name, output, kind, reason) => {
    const fault = classifyOutput(output);
    expect(fault.kind).toBe(kind);
    if (typeof reason === 'string') expect(fault.reason).toBe(reason);
    else expect(fault.reason).toMatch(reason);
  });

  it('does not read "denied" in a local file error as a registry refusal', () => {
    expect(classifyOutput('open /home/runner/.docker/config.json: permission denied').reason).toMatch(/^unrecognised error/);
  });
});

describe('classifyStatus', () => {
  it.each([
    [200, 'permanent'],
    [400, 'permanent'],
    [401, 'permanent'],
    [403, 'permanent'],
    [404, 'permanent'],
    [408, 'transient'],
    [429, 'transient'],
    [500, 'transient'],
    [501, 'permanent'],
    [502, 'transient'],
    [503, 'transient'],
    [504, 'transient'],
    [599, 'transient'],
  ] as const)('HTTP %i is %s', (status, kind) => {
    expect(classifyStatus(status).kind).toBe(kind);
    expect(classifyStatus(status).status).toBe(status);
  });

  it('keeps Retry-After for transient answers only', () => {
    expect(classifyStatus(429, '7').retryAfterMs).toBe(7000);
    expect(classifyStatus(503, null).retryAfterMs).toBeUndefined();
    expect(classifyStatus(401, '7').retryAfterMs).toBeUndefined();
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe('classifyError', () => {
  it('judges a failed command by its whole output', () => {
    const failed = new CommandFailed('docker push', { code: 1, stdout: 'The push refers to repository [x]\n', stderr: 'unexpected status: 503 Service Unavailable\n' });
    expect(classifyError(failed)).toMatchObject({ kind: 'transient', status: 503 });
  });

  it('treats Node and fetch network errors as transient, also when wrapped as the cause', () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(classifyError(reset).kind).toBe('transient');
    expect(classifyError(new TypeError('fetch failed', { cause: reset })).kind).toBe('transient');
    expect(classifyError(new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'UND_ERR_CONNECT_TIMEOUT' }) })).reason).toBe(
      'network error (UND_ERR_CONNECT_TIMEOUT)',
    );
    expect(classifyError(new DOMException('The operation was aborted due to timeout', 'TimeoutError')).kind).toBe('transient');
  });

  it('keeps the fault a caller attached', () => {
    expect(classifyError(new RetryableFailure('x', { kind: 'transient', reason: 'mine' }))).toEqual({ kind: 'transient', reason: 'mine' });
  });
});

describe('retryDelay', () => {
  const policy: RetryPolicy = { ...DEFAULT_RETRY, jitter: 0 };

  it('doubles from the initial delay up to the maximum', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => retryDelay(policy, n))).toEqual([2000, 4000, 8000, 16000, 30000, 30000]);
  });

  it('varies by at most the jitter fraction, never past the maximum', () => {
    const p = { ...DEFAULT_RETRY, jitter: 0.2 };
    expect(retryDelay(p, 1, () => 0)).toBe(1600);
    expect(retryDelay(p, 1, () => 1)).toBe(2400);
    expect(retryDelay(p, 10, () => 1)).toBe(30000);
  });
});

/** A fake clock: sleeping moves time on, instantly. */
function clock(): { now: () => number; sleep: (ms: number) => Promise<void>; slept: number[] } {
  let t = 0;
  const slept: number[] = [];
  return {
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
    slept,
  };
}

const fast: RetryPolicy = { attempts: 4, initialDelayMs: 100, factor: 2, maxDelayMs: 1000, totalMs: 10_000, jitter: 0 };
const transientError = (): Error => new CommandFailed('docker push', { code: 1, stdout: '', stderr: 'unexpected status: 503 Service Unavailable' });
const permanentError = (): Error => new CommandFailed('docker push', { code: 1, stdout: '', stderr: 'unexpected status: 401 Unauthorized' });

describe('withRetry', () => {
  it('retries transient faults with growing waits and logs each retry', async () => {
    const c = clock();
    const logs: string[] = [];
    let calls = 0;
    const result = await withRetry(
      'Push of x',
      async (attempt) => {
        calls++;
        if (attempt < 3) throw transientError();
        return 'ok';
      },
      { policy: fast, ...c, log: (m) => logs.push(m), remaining: () => undefined },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    expect(c.slept).toEqual([100, 200]);
    expect(logs).toEqual([
      'Push of x: HTTP 503 Service Unavailable; retrying in 0.1s (attempt 2 of 4)',
      'Push of x: HTTP 503 Service Unavailable; retrying in 0.2s (attempt 3 of 4)',
    ]);
  });

  it('fails at once on a permanent fault', async () => {
    const c = clock();
    let calls = 0;
    const error = await withRetry('Push of x', async () => {
      calls++;
      throw permanentError();
    }, { policy: fast, ...c, log: () => undefined, remaining: () => undefined }).catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect(c.slept).toEqual([]);
    expect(error).toBeInstanceOf(RetryError);
    expect((error as RetryError).stopped).toBe('permanent');
    expect((error as RetryError).message).toBe('Push of x failed: unauthorized (HTTP 401): wrong or missing credentials');
  });

  it('stops after the last attempt and says so', async () => {
    const c = clock();
    let calls = 0;
    const error = (await withRetry('Push of x', async () => {
      calls++;
      throw transientError();
    }, { policy: fast, ...c, log: () => undefined, remaining: () => undefined }).catch((e: unknown) => e)) as RetryError;
    expect(calls).toBe(4);
    expect(c.slept).toEqual([100, 200, 400]);
    expect(error.stopped).toBe('attempts');
    expect(error.attempts).toBe(4);
    expect(error.message).toBe('Push of x failed after 4 attempts in 0.7s (no attempts left); the last error was transient: HTTP 503 Service Unavailable');
    expect(error.last).toBeInstanceOf(CommandFailed);
  });

  it('never sleeps past the total time of the policy', async () => {
    const c = clock();
    const policy = { ...fast, attempts: 100, totalMs: 1000 };
    const error = (await withRetry('x', async () => {
      throw transientError();
    }, { policy, ...c, log: () => undefined, remaining: () => undefined }).catch((e: unknown) => e)) as RetryError;
    expect(error.stopped).toBe('time');
    // 100 + 200 + 400 = 700; the next wait (800) would end past 1000.
    expect(c.slept).toEqual([100, 200, 400]);
  });

  it('never sleeps past the phase deadline', async () => {
    const c = clock();
    const error = (await withRetry('x', async () => {
      throw transientError();
    }, { policy: fast, ...c, log: () => undefined, remaining: () => 250 - c.now() }).catch((e: unknown) => e)) as RetryError;
    expect(error.stopped).toBe('time');
    expect(c.slept).toEqual([100]);
  });

  it('waits as long as the server asked (Retry-After), within the maximum', async () => {
    const c = clock();
    let calls = 0;
    await withRetry(
      'x',
      async () => {
        if (++calls === 1) throw new RetryableFailure('429', classifyStatus(429, '5'));
        if (calls === 2) throw new RetryableFailure('429', classifyStatus(429, '0'));
      },
      { policy: fast, ...c, log: () => undefined, remaining: () => undefined },
    );
    expect(c.slept).toEqual([1000, 0]);
  });

  it('lets a phase timeout through untouched, without retrying', async () => {
    let calls = 0;
    const timeout = new PhaseTimeout('push', 60_000);
    const error = await withRetry('x', async () => {
      calls++;
      throw timeout;
    }, { policy: fast, ...clock(), log: () => undefined }).catch((e: unknown) => e);
    expect(error).toBe(timeout);
    expect(calls).toBe(1);
  });
});
