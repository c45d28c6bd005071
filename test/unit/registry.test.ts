/**
 * The registry client against a stand-in on 127.0.0.1 that answers like Docker Hub and GHCR do
 * (a Bearer token service behind a 401 challenge, Link pagination, faults on demand): no such
 * registry exists here. The real registry of the test world (Basic auth) is covered in
 * test/e2e/tags.test.ts, and behind the fault proxy in test/e2e/faults.test.ts.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseChallenges, registryBaseUrl, RegistryClient, RegistryError, type RegistryClientOptions } from '../../src/engine/registry.js';
import type { RetryPolicy } from '../../src/engine/retry.js';
import { cacheReadAccess } from '../../src/phases/cache.js';
import { parseImage, type ImageRef } from '../../src/plan/images.js';

interface Seen {
  method: string;
  url: string;
  authorization?: string;
}

const USER = 'robot';
const PASSWORD = 'hunter2-secret-value';
const TOKEN = 'token-for-acme-app';
const seen: Seen[] = [];
let server: http.Server;
let base = '';

/** A fault the stand-in gives the next request whose path matches, instead of its answer. */
type Fault = { status: number; headers?: Record<string, string> } | 'reset' | { holdMs: number };
let faults: { path: RegExp; fault: Fault }[] = [];

/** Applies the first queued fault for this request, if any; true when the request was handled. */
function injectFault(req: http.IncomingMessage, res: http.ServerResponse): boolean {
  const i = faults.findIndex((f) => f.path.test(req.url!));
  if (i < 0) return false;
  const { fault } = faults.splice(i, 1)[0]!;
  if (fault === 'reset') {
    req.socket.destroy();
  } else if ('holdMs' in fault) {
    // Answers too late: the client has given up by then.
    setTimeout(() => !res.destroyed && json(res, 200, {}), fault.holdMs).unref();
  } else {
    json(res, fault.status, { errors: [{ code: fault.status === 429 ? 'TOOMANYREQUESTS' : 'UNAVAILABLE', message: 'try later' }] }, fault.headers);
  }
  return true;
}

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization });
    if (injectFault(req, res)) return;
    const url = new URL(req.url!, base);
    const auth = req.headers.authorization ?? '';
    // Token service: Basic credentials -> a token; anonymous -> a token without access.
    if (url.pathname === '/token') {
      if (auth && auth !== `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`) return json(res, 401, { details: 'incorrect username or password' });
      return json(res, 200, { token: auth ? TOKEN : 'anonymous', scope: url.searchParams.get('scope'), service: url.searchParams.get('service') });
    }
    const bearerRepo = /^\/v2\/(bearer\/[^/]+)\//.exec(url.pathname)?.[1];
    if (bearerRepo) {
      if (auth !== `Bearer ${TOKEN}`) {
        res.writeHead(401, { 'www-authenticate': `Bearer realm="${base}/token",service="stand-in",scope="repository:${bearerRepo}:pull"` });
        return res.end();
      }
      if (bearerRepo === 'bearer/new') return json(res, 404, { errors: [{ code: 'NAME_UNKNOWN', message: 'repository name not known to registry' }] });
      if (bearerRepo === 'bearer/broken') return json(res, 500, { errors: [{ code: 'UNKNOWN', message: 'storage is on fire' }] });
      if (url.pathname.endsWith('/tags/list')) {
        // Two pages, as Docker Hub paginates with a Link header.
        if (!url.searchParams.get('last')) {
          return json(res, 200, { name: bearerRepo, tags: ['1.0.0', '2.0.0'] }, { link: `</v2/${bearerRepo}/tags/list?n=2&last=2.0.0>; rel="next"` });
        }
        return json(res, 200, { name: bearerRepo, tags: ['latest'] });
      }
      if (req.method === 'HEAD' && url.pathname.endsWith('/manifests/latest')) {
        res.writeHead(200, { 'docker-content-digest': 'sha256:' + 'a'.repeat(64) });
        return res.end();
      }
      return json(res, 404, { errors: [{ code: 'MANIFEST_UNKNOWN' }] });
    }
    if (url.pathname.startsWith('/v2/basic/')) {
      if (auth !== `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="stand-in"' });
        return res.end();
      }
      return json(res, 200, { name: 'basic/app', tags: null });
    }
    if (url.pathname.startsWith('/v2/open/')) return json(res, 200, { name: 'open/app', tags: ['x'] });
    json(res, 404, {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Retry lines logged, and the waits asked for, by the clients of a test (no real waiting). */
const retries: string[] = [];
const waits: number[] = [];
const FAST: Omit<RetryPolicy, 'attempts'> & { attempts: number } = { attempts: 5, initialDelayMs: 2000, factor: 2, maxDelayMs: 30_000, totalMs: 300_000, jitter: 0 };

function client(credentials = true, more: Partial<RegistryClientOptions> = {}): RegistryClient {
  return new RegistryClient({
    registry: 'stand-in.example',
    baseUrl: base,
    credentials: credentials ? { username: USER, password: PASSWORD } : undefined,
    retry: {
      policy: FAST,
      log: (m) => retries.push(m),
      sleep: async (ms) => {
        waits.push(ms);
      },
    },
    ...more,
  });
}

beforeEach(() => {
  faults = [];
  retries.length = 0;
  waits.length = 0;
  seen.length = 0;
});

describe('RegistryClient', () => {
  it('answers a Bearer challenge with a token from the realm, and follows pagination', async () => {
    seen.length = 0;
    expect(await client().listTags('bearer/app')).toEqual(['1.0.0', '2.0.0', 'latest']);
    const token = seen.find((s) => s.url.startsWith('/token'))!;
    expect(token.authorization).toBe(`Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`);
    expect(new URL(token.url, base).searchParams.get('scope')).toBe('repository:bearer/app:pull');
    expect(new URL(token.url, base).searchParams.get('service')).toBe('stand-in');
    expect(seen.filter((s) => s.url.startsWith('/token'))).toHaveLength(1);
    expect(seen.filter((s) => s.url.includes('last=2.0.0'))[0]!.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('reuses the token for the same repository', async () => {
    const c = client();
    await c.listTags('bearer/app');
    seen.length = 0;
    expect(await c.manifestDigest('bearer/app', 'latest')).toBe('sha256:' + 'a'.repeat(64));
    expect(seen.map((s) => s.url)).toEqual(['/v2/bearer/app/manifests/latest']);
    expect(await c.manifestDigest('bearer/app', 'nope')).toBeUndefined();
  });

  it('a repository that does not exist is undefined, not an error', async () => {
    expect(await client().listTags('bearer/new')).toBeUndefined();
  });

  it('answers a Basic challenge with the credentials; tags: null is no tags', async () => {
    expect(await client().listTags('basic/app')).toEqual([]);
  });

  it('needs no auth where the registry asks for none', async () => {
    expect(await client(false).listTags('open/app')).toEqual(['x']);
  });

  it('a server error that lasts is retried, then a RegistryError with the status, the registry error code and the attempts', async () => {
    const error = await client().listTags('bearer/broken').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect(error).toMatchObject({ status: 500, code: 'UNKNOWN', fault: { kind: 'transient' } });
    expect((error as Error).message).toMatch(
      /^listing the tags of bearer\/broken on stand-in\.example: HTTP 500 UNKNOWN: storage is on fire \(gave up after 5 attempts in [\d.]+s: no attempts left\)$/,
    );
    expect(seen.filter((s) => s.url.startsWith('/v2/bearer/broken/')).length).toBe(6); // the 401 challenge, then 5 attempts
    expect(waits).toEqual([2000, 4000, 8000, 16000]);
    expect(retries).toHaveLength(4);
  });

  it('refused credentials say so, without the password', async () => {
    const c = new RegistryClient({ registry: 'stand-in.example', baseUrl: base, credentials: { username: USER, password: 'wrong-password-xyz' } });
    const error = (await c.listTags('bearer/app').catch((e: unknown) => e)) as RegistryError;
    expect(error.message).toBe("stand-in.example's token service refused the credentials of 'robot' (HTTP 401)");
    expect(error.message).not.toContain('wrong-password-xyz');
  });

  it('Basic auth without credentials is an error', async () => {
    await expect(client(false).listTags('basic/app')).rejects.toThrow('stand-in.example needs credentials for GET /v2/basic/app/tags/list, and none were given');
  });

  it('an anonymous token without access: the second 401 is reported', async () => {
    await expect(client(false).listTags('bearer/app')).rejects.toMatchObject({ status: 401 });
  });

  it('a registry that does not answer is a RegistryError with status 0, after the retries', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const c = client(false, { registry: 'nowhere', baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 2000 });
    const error = (await c.listTags('a/b').catch((e: unknown) => e)) as RegistryError;
    expect(error).toMatchObject({ status: 0, name: 'RegistryError' });
    expect(error.message).toMatch(/^nowhere did not answer GET \/v2\/a\/b\/tags\/list: ECONNREFUSED \(gave up after 5 attempts/);
    expect(retries[0]).toMatch(/^Listing the tags of a\/b on nowhere: network error \(ECONNREFUSED\); retrying in 2\.0s \(attempt 2 of 5\)$/);
  });
});

describe('RegistryClient retries transient faults', () => {
  it('503 twice, then 200: the answer, after two logged retries', async () => {
    faults = [
      { path: /^\/v2\/bearer\/app\/tags\/list/, fault: { status: 503 } },
      { path: /^\/v2\/bearer\/app\/tags\/list/, fault: { status: 503 } },
    ];
    expect(await client().listTags('bearer/app')).toEqual(['1.0.0', '2.0.0', 'latest']);
    expect(retries).toEqual([
      'Listing the tags of bearer/app on stand-in.example: HTTP 503 Service Unavailable; retrying in 2.0s (attempt 2 of 5)',
      'Listing the tags of bearer/app on stand-in.example: HTTP 503 Service Unavailable; retrying in 4.0s (attempt 3 of 5)',
    ]);
    expect(waits).toEqual([2000, 4000]);
  });

  it('429 waits what Retry-After asks (seconds, or an HTTP date), within the policy bound', async () => {
    faults = [{ path: /tags\/list/, fault: { status: 429, headers: { 'retry-after': '7' } } }];
    expect(await client().listTags('bearer/app')).toEqual(['1.0.0', '2.0.0', 'latest']);
    expect(waits).toEqual([7000]);
    expect(retries).toEqual(['Listing the tags of bearer/app on stand-in.example: HTTP 429 Too Many Requests; retrying in 7.0s (attempt 2 of 5)']);

    waits.length = 0;
    faults = [{ path: /tags\/list/, fault: { status: 429, headers: { 'retry-after': '3600' } } }];
    await client().listTags('bearer/app');
    expect(waits).toEqual([30_000]);

    waits.length = 0;
    faults = [{ path: /manifests/, fault: { status: 429, headers: { 'retry-after': new Date(Date.now() + 12_000).toUTCString() } } }];
    expect(await client().manifestDigest('bearer/app', 'latest')).toBe('sha256:' + 'a'.repeat(64));
    expect(waits[0]).toBeGreaterThan(9_000);
    expect(waits[0]).toBeLessThanOrEqual(12_000);
  });

  it('429 with Retry-After: the next attempt really waits that long', async () => {
    faults = [{ path: /tags\/list/, fault: { status: 429, headers: { 'retry-after': '1' } } }];
    const c = client(true, { retry: { policy: FAST, log: (m) => retries.push(m) } });
    const started = Date.now();
    expect(await c.listTags('bearer/app')).toEqual(['1.0.0', '2.0.0', 'latest']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(retries).toHaveLength(1);
  });

  it('a reset connection is retried', async () => {
    faults = [{ path: /tags\/list/, fault: 'reset' }];
    expect(await client().listTags('bearer/app')).toEqual(['1.0.0', '2.0.0', 'latest']);
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatch(/^Listing the tags of bearer\/app on stand-in\.example: (network error \(\w+\)|connection reset|connection closed[^;]*); retrying in 2\.0s \(attempt 2 of 5\)$/);
  });

  it('a request that gets no answer in time is retried', async () => {
    faults = [{ path: /manifests\/latest/, fault: { holdMs: 2000 } }];
    expect(await client(true, { timeoutMs: 300 }).manifestDigest('bearer/app', 'latest')).toBe('sha256:' + 'a'.repeat(64));
    expect(retries).toEqual(['Reading the manifest bearer/app:latest on stand-in.example: timeout; retrying in 2.0s (attempt 2 of 5)']);
  });

  it('the token service is retried too', async () => {
    faults = [{ path: /^\/token/, fault: { status: 502 } }];
    expect(await client().listTags('bearer/app')).toEqual(['1.0.0', '2.0.0', 'latest']);
    expect(retries).toEqual(['Getting a token for repository:bearer/app:pull on stand-in.example: HTTP 502 Bad Gateway; retrying in 2.0s (attempt 2 of 5)']);
  });

  it('stops retrying when the phase has no time left for the wait', async () => {
    faults = [{ path: /tags\/list/, fault: { status: 503 } }];
    const c = client(true, { retry: { policy: FAST, log: (m) => retries.push(m), sleep: async () => {}, remaining: () => 1000 } });
    const error = (await c.listTags('bearer/app').catch((e: unknown) => e)) as RegistryError;
    expect(error.message).toMatch(/^listing the tags of bearer\/app on stand-in\.example: HTTP 503 UNAVAILABLE: try later \(gave up after 1 attempts in [\d.]+s: no time left to retry\)$/);
    expect(retries).toEqual([]);
  });
});

describe('RegistryClient fails at once on permanent answers', () => {
  it('401: refused credentials are not retried, and the error names the registry and the cause', async () => {
    const c = client(true, { credentials: { username: USER, password: 'wrong-password-xyz' } });
    const error = (await c.listTags('basic/app').catch((e: unknown) => e)) as RegistryError;
    expect(error).toMatchObject({ status: 401, fault: { kind: 'permanent' } });
    expect(error.message).toBe("listing the tags of basic/app on stand-in.example: HTTP 401 (the credentials of 'robot' were not accepted)");
    expect(error.message).not.toContain('wrong-password-xyz');
    expect(retries).toEqual([]);
    expect(seen.map((s) => s.url)).toEqual(['/v2/basic/app/tags/list?n=1000', '/v2/basic/app/tags/list?n=1000']);
  });

  it.each([
    [403, "listing the tags of bearer/app on stand-in.example: HTTP 403 UNAVAILABLE: try later ('robot' may not do this)"],
    [400, 'listing the tags of bearer/app on stand-in.example: HTTP 400 UNAVAILABLE: try later'],
  ])('%i is not retried', async (status, message) => {
    faults = [{ path: /tags\/list/, fault: { status } }];
    await expect(client().listTags('bearer/app')).rejects.toThrow(message);
    expect(retries).toEqual([]);
  });

  it('404 is an answer (no repository), never retried', async () => {
    expect(await client().listTags('bearer/new')).toBeUndefined();
    expect(retries).toEqual([]);
  });
});

describe('read access to the cache registry', () => {
  it('readAccess: an open repository is readable; a private one refuses an anonymous read', async () => {
    expect(await client(false).readAccess('open/app')).toEqual({ readable: true, answer: 'no latest' });
    expect(await client(false).readAccess('basic/app')).toEqual({ readable: false, answer: 'HTTP 401' });
    // Docker Hub and GHCR: an anonymous token without pull access, then 401.
    expect(await client(false).readAccess('bearer/app')).toEqual({ readable: false, answer: 'HTTP 401' });
    expect(await client(true).readAccess('bearer/app')).toEqual({ readable: true, answer: `latest is sha256:${'a'.repeat(64)}` });
  });

  const image = (path: string): ImageRef => parseImage(`stand-in.example/${path}`) as ImageRef;
  const fast = { ...FAST, attempts: 2, initialDelayMs: 10 };

  it('cacheReadAccess: with credentials for the registry, nothing is asked', async () => {
    expect(await cacheReadAccess('registry', image('basic/app'), [{ registry: 'stand-in.example' }], undefined, { baseUrl: base })).toEqual({
      registry: 'stand-in.example',
      access: 'credentials',
    });
    expect(seen).toEqual([]);
  });

  it('cacheReadAccess: without credentials, one anonymous read decides', async () => {
    expect(await cacheReadAccess('registry', image('basic/app'), [{ registry: 'ghcr.io' }], undefined, { baseUrl: base })).toEqual({
      registry: 'stand-in.example',
      access: 'refused',
      answer: 'HTTP 401',
    });
    expect(seen.map((s) => `${s.method} ${s.url} ${s.authorization ?? '-'}`)).toEqual(['HEAD /v2/basic/app/manifests/latest -']);
    expect(await cacheReadAccess('inline', image('open/app'), [], undefined, { baseUrl: base })).toMatchObject({ access: 'anonymous' });
  });

  it('cacheReadAccess: a registry that cannot be asked is unknown (the cache is read as before)', async () => {
    faults = [
      { path: /manifests/, fault: { status: 503 } },
      { path: /manifests/, fault: { status: 503 } },
    ];
    expect(await cacheReadAccess('registry', image('open/app'), [], undefined, { baseUrl: base, retry: fast })).toMatchObject({
      access: 'unknown',
      answer: expect.stringContaining('HTTP 503'),
    });
  });

  it('cacheReadAccess: backends that read no registry ask nothing', async () => {
    for (const backend of ['gha', 'local', 'off'] as const) expect(await cacheReadAccess(backend, image('basic/app'), [], undefined, { baseUrl: base })).toBeUndefined();
    expect(seen).toEqual([]);
  });
});

describe('registry helpers', () => {
  it.each([
    ['docker.io', 'https://registry-1.docker.io'],
    ['ghcr.io', 'https://ghcr.io'],
    ['localhost:5000', 'http://localhost:5000'],
    ['127.0.0.1:5000', 'http://127.0.0.1:5000'],
    ['[::1]:5000', 'http://[::1]:5000'],
    ['registry.example.com:8443', 'https://registry.example.com:8443'],
  ])('registryBaseUrl(%s) = %s', (registry, url) => {
    expect(registryBaseUrl(registry)).toBe(url);
  });

  it.each([
    [
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push"',
      [{ scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:samalba/my-app:pull,push' } }],
    ],
    ['Basic realm="Registry Realm"', [{ scheme: 'basic', params: { realm: 'Registry Realm' } }]],
    ['Basic realm="a", Bearer realm="https://t/x",service=s', [{ scheme: 'basic', params: { realm: 'a' } }, { scheme: 'bearer', params: { realm: 'https://t/x', service: 's' } }]],
    ['Bearer realm="with \\"quote\\""', [{ scheme: 'bearer', params: { realm: 'with "quote"' } }]],
  ])('parseChallenges(%j)', (header, expected) => {
    expect(parseChallenges(header)).toEqual(expected);
  });
});
