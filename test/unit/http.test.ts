import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeFetch } from '../../src/engine/http.js';
import { classifyError } from '../../src/engine/retry.js';

/** Two stand-in servers on 127.0.0.1: `a` redirects to itself and to `b`; both echo what they got. */
const seen: { server: string; method: string; url: string; authorization?: string; body: string }[] = [];
let a: http.Server;
let b: http.Server;
const base = (s: http.Server): string => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
function server(name: string): http.Server {
  return http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ server: name, method: req.method!, url: req.url!, authorization: req.headers.authorization, body });
      if (req.url === '/here') return void res.writeHead(307, { location: '/there' }).end();
      if (req.url === '/away') return void res.writeHead(302, { location: `${base(b)}/there` }).end();
      if (req.url === '/slow') return; // never answers
      res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'application/json', 'docker-content-digest': 'sha256:x' });
      res.end(JSON.stringify({ got: body.length }));
    });
  });
}
beforeAll(async () => {
  a = server('a');
  b = server('b');
  await Promise.all([a, b].map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', r))));
});
afterAll(async () => {
  for (const s of [a, b]) s.closeAllConnections();
  await Promise.all([a, b].map((s) => new Promise((r) => s.close(r))));
});

describe('nodeFetch: what the registry client needs of fetch', () => {
  it('sends the body with its length, and reads status, headers and JSON', async () => {
    const r = await nodeFetch(`${base(a)}/put`, { method: 'PUT', headers: { 'content-type': 'x/y' }, body: new TextEncoder().encode('12345') as Uint8Array<ArrayBuffer> });
    expect(r.status).toBe(200);
    expect(r.ok).toBe(true);
    expect(r.headers.get('Docker-Content-Digest')).toBe('sha256:x');
    expect(r.headers.get('no-such-header')).toBeNull();
    expect(await r.json()).toEqual({ got: 5 });
    const missing = await nodeFetch(`${base(a)}/missing`, { method: 'GET', headers: {} });
    expect([missing.status, missing.ok]).toEqual([404, false]);
    expect(new TextDecoder().decode(await missing.arrayBuffer())).toBe('{"got":0}');
  });

  it('follows a redirect on the same host with the credentials, and to another host without them', async () => {
    seen.length = 0;
    const headers = { authorization: 'Basic c2VjcmV0' };
    expect((await nodeFetch(`${base(a)}/here`, { method: 'GET', headers, redirect: 'follow' })).status).toBe(200);
    expect((await nodeFetch(`${base(a)}/away`, { method: 'GET', headers, redirect: 'follow' })).status).toBe(200);
    expect(seen.map((s) => [s.server, s.url, s.authorization])).toEqual([
      ['a', '/here', 'Basic c2VjcmV0'],
      ['a', '/there', 'Basic c2VjcmV0'],
      ['a', '/away', 'Basic c2VjcmV0'],
      ['b', '/there', undefined],
    ]);
  });

  it('fails as fetch fails: a TimeoutError when the signal runs out, a transient network error when nobody listens', async () => {
    const timeout = await nodeFetch(`${base(a)}/slow`, { method: 'GET', headers: {}, signal: AbortSignal.timeout(100) }).catch((e: unknown) => e);
    expect((timeout as Error).name).toBe('TimeoutError');
    expect(classifyError(timeout)).toEqual({ kind: 'transient', reason: 'timeout' });
    const refused = await nodeFetch('http://127.0.0.1:9/', { method: 'GET', headers: {} }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TypeError);
    expect((refused as Error).message).toBe('fetch failed');
    expect(((refused as Error).cause as { code?: string }).code).toBe('ECONNREFUSED');
    expect(classifyError(refused).kind).toBe('transient');
  });
});
