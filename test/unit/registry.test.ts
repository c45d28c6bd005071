/**
 * The registry client against a stand-in on 127.0.0.1 that answers like Docker Hub and GHCR do
 * (a Bearer token service behind a 401 challenge, Link pagination): no such registry exists
 * here. The real registry of the test world (Basic auth) is covered in test/e2e/tags.test.ts.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseChallenges, registryBaseUrl, RegistryClient, RegistryError } from '../../src/engine/registry.js';

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

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization });
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

function client(credentials = true): RegistryClient {
  return new RegistryClient({ registry: 'stand-in.example', baseUrl: base, credentials: credentials ? { username: USER, password: PASSWORD } : undefined });
}

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

  it('a server error is a RegistryError with the status and the registry error code', async () => {
    const error = await client().listTags('bearer/broken').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryError);
    expect(error).toMatchObject({ status: 500, code: 'UNKNOWN' });
    expect((error as Error).message).toBe('listing the tags of bearer/broken on stand-in.example: HTTP 500 UNKNOWN: storage is on fire');
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

  it('a registry that does not answer is a RegistryError with status 0', async () => {
    const c = new RegistryClient({ registry: 'nowhere', baseUrl: 'http://127.0.0.1:9', timeoutMs: 2000 });
    await expect(c.listTags('a/b')).rejects.toMatchObject({ status: 0, name: 'RegistryError' });
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
