/**
 * Where the registry client sends credentials: a registry's answers name other URLs (the token
 * realm of its challenge, the next page of a tag list), and only some of them may see them.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { nodeFetch, type Fetch, type FetchResponse } from '../../src/engine/http.js';
import { RegistryClient } from '../../src/engine/registry.js';
import { stdoutOfAsync } from './stdout.js';

const BASIC = `Basic ${Buffer.from('robot:hunter2-secret').toString('base64')}`;

function answer(status: number, body: unknown, headers: Record<string, string> = {}): FetchResponse {
  const text = JSON.stringify(body);
  return {
    status,
    ok: status >= 200 && status < 300,
    headers: { get: (n) => headers[n.toLowerCase()] ?? null },
    json: async () => JSON.parse(text) as unknown,
    arrayBuffer: async () => new TextEncoder().encode(text).buffer as ArrayBuffer,
    body: { cancel: async () => undefined },
  };
}

/** A registry at `origin` (https://reg.example) whose challenge names `realm`, and whose first tag page links to `next`. */
function registry(realm: string, next: string, origin = 'https://reg.example'): { fetch: Fetch; sent: { url: string; authorization?: string }[] } {
  const sent: { url: string; authorization?: string }[] = [];
  const fetch: Fetch = async (url, init) => {
    sent.push({ url, authorization: init.headers.authorization });
    const u = new URL(url);
    if (u.origin + u.pathname === realm) return answer(200, { token: 'tok' });
    if (u.origin !== origin) return answer(200, { tags: ['from-elsewhere'] });
    if (init.headers.authorization !== 'Bearer tok') return answer(401, {}, { 'www-authenticate': `Bearer realm="${realm}",service="reg"` });
    return answer(200, { tags: ['1.0.0'] }, u.searchParams.get('last') ? {} : { link: `<${next}>; rel="next"` });
  };
  return { fetch, sent };
}

const client = (fetch: Fetch, baseUrl?: string) => new RegistryClient({ registry: 'reg.example', credentials: { username: 'robot', password: 'hunter2-secret' }, fetch, baseUrl });

describe('credentials go only where they may', () => {
  it('to a token realm over https on another host (auth.docker.io, ghcr.io/token)', async () => {
    const r = registry('https://auth.example/token', 'https://reg.example/v2/acme/app/tags/list?last=1.0.0');
    expect(await client(r.fetch).listTags('acme/app')).toEqual(['1.0.0', '1.0.0']);
    expect(r.sent.find((s) => s.url.startsWith('https://auth.example/token'))?.authorization).toBe(BASIC);
  });

  it('never to a plain-http realm on another host: the token is asked for without them, with a warning', async () => {
    const r = registry('http://evil.example/token', 'https://reg.example/v2/acme/app/tags/list?last=1.0.0');
    let out = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
    try {
      await client(r.fetch).listTags('acme/app');
    } finally {
      spy.mockRestore();
    }
    const token = r.sent.find((s) => s.url.startsWith('http://evil.example/token'));
    expect(token).toBeDefined();
    expect(token!.authorization).toBeUndefined();
    expect(r.sent.some((s) => s.authorization === BASIC)).toBe(false);
    expect(out).toContain("::warning::reg.example sends its token requests to http://evil.example, another host over plain HTTP: asking it without the credentials of 'robot'.");
  });

  it("never to a plain-http realm on an https registry's own host: the registry is reached over TLS only", async () => {
    const r = registry('http://reg.example/token', 'https://reg.example/v2/acme/app/tags/list?last=1.0.0');
    const out = await stdoutOfAsync(() => client(r.fetch).listTags('acme/app'));
    const token = r.sent.find((s) => s.url.startsWith('http://reg.example/token'));
    expect(token).toBeDefined();
    expect(token!.authorization).toBeUndefined();
    expect(r.sent.some((s) => s.authorization === BASIC)).toBe(false);
    expect(out).toContain("::warning::reg.example sends its token requests to http://reg.example, over plain HTTP though the registry itself speaks https: asking it without the credentials of 'robot'.");
  });

  it('to a plain-http realm of a plain-http registry only on its own host and port', async () => {
    const same = registry('http://reg.example:5000/token', 'http://reg.example:5000/v2/acme/app/tags/list?last=1.0.0', 'http://reg.example:5000');
    expect(await client(same.fetch, 'http://reg.example:5000').listTags('acme/app')).toEqual(['1.0.0', '1.0.0']);
    expect(same.sent.find((s) => s.url.startsWith('http://reg.example:5000/token'))?.authorization).toBe(BASIC);

    const port = registry('http://reg.example:8080/token', 'http://reg.example:5000/v2/acme/app/tags/list?last=1.0.0', 'http://reg.example:5000');
    const out = await stdoutOfAsync(() => client(port.fetch, 'http://reg.example:5000').listTags('acme/app'));
    expect(port.sent.find((s) => s.url.startsWith('http://reg.example:8080/token'))!.authorization).toBeUndefined();
    expect(port.sent.some((s) => s.authorization === BASIC)).toBe(false);
    expect(out).toContain("::warning::reg.example sends its token requests to http://reg.example:8080, another port over plain HTTP: asking it without the credentials of 'robot'.");
  });

  it('a pagination link to another origin is followed without any credentials', async () => {
    const r = registry('https://auth.example/token', 'https://other.example/v2/acme/app/tags/list?last=1.0.0');
    expect(await client(r.fetch).listTags('acme/app')).toEqual(['1.0.0', 'from-elsewhere']);
    const other = r.sent.filter((s) => s.url.startsWith('https://other.example/'));
    expect(other).toHaveLength(1);
    expect(other[0]!.authorization).toBeUndefined();
  });
});

describe('answers have a size limit', () => {
  it('a body over the limit is not read', async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(Buffer.alloc(64 * 1024, 0x20));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      const { port } = server.address() as AddressInfo;
      const r = await nodeFetch(`http://127.0.0.1:${port}/`, { method: 'GET', headers: {}, maxBytes: 16 * 1024 });
      await expect(r.arrayBuffer()).rejects.toThrow(/larger than/);
      const ok = await nodeFetch(`http://127.0.0.1:${port}/`, { method: 'GET', headers: {} });
      expect((await ok.arrayBuffer()).byteLength).toBe(64 * 1024);
    } finally {
      server.close();
    }
  });
});
