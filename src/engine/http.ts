import * as http from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** The part of fetch's Response the registry client reads. */
export interface FetchResponse {
  status: number;
  ok: boolean;
  headers: { get(name: string): string | null };
  json(): Promise<unknown>;
  arrayBuffer(): Promise<ArrayBuffer>;
  body: { cancel(): Promise<void> } | null;
}

export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  /** A stream body is made afresh for each attempt; its length goes in a content-length header of the caller's. */
  body?: string | Uint8Array<ArrayBuffer> | (() => Readable);
  redirect?: 'follow';
  signal?: AbortSignal;
  /** The most of an answer's body that is read (MAX_ANSWER_BYTES when absent). */
  maxBytes?: number;
}

/**
 * What the registry client reads of one answer at the most: a tag list page, a token, a manifest
 * (registries limit manifests to 4 MiB) fit many times over; a larger answer is not read.
 */
export const MAX_ANSWER_BYTES = 16 * 2 ** 20;

export type Fetch = (url: string, init: FetchInit) => Promise<FetchResponse>;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * What the registry client needs of fetch, on node:http and node:https. Node's own fetch loads
 * undici at its first call, ~35 ms, more than the requests of a run take. Fails as fetch fails:
 * with the signal's reason when it aborts (a TimeoutError), else a TypeError 'fetch failed' whose
 * cause is the socket's error. Follows up to 5 redirects, without the credentials when one leads
 * to another host.
 */
export async function nodeFetch(url: string, init: FetchInit, redirects = 5): Promise<FetchResponse> {
  const target = new URL(url);
  const client = target.protocol === 'https:' ? await import('node:https') : http;
  const stream = typeof init.body === 'function' ? init.body : undefined;
  const body = typeof init.body === 'string' ? Buffer.from(init.body) : typeof init.body === 'function' ? undefined : init.body;
  const headers = { ...init.headers, ...(body ? { 'content-length': String(body.byteLength) } : {}) };
  return new Promise<FetchResponse>((resolve, reject) => {
    const req = client.request(target, { method: init.method, headers, signal: init.signal }, (res) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (init.redirect === 'follow' && location && REDIRECTS.has(status) && redirects > 0) {
        res.resume();
        const next = new URL(location, target);
        const method = status === 303 || ((status === 301 || status === 302) && init.method === 'POST') ? 'GET' : init.method;
        const sameHost = next.origin === target.origin;
        const nextHeaders = Object.fromEntries(Object.entries(init.headers).filter(([k]) => sameHost || k.toLowerCase() !== 'authorization'));
        resolve(nodeFetch(next.toString(), { ...init, method, headers: nextHeaders, body: method === 'GET' || method === 'HEAD' ? undefined : init.body }, redirects - 1));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      const limit = init.maxBytes ?? MAX_ANSWER_BYTES;
      const whole = new Promise<Buffer>((done, failed) => {
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > limit) {
            failed(new Error(`the answer of ${target.host} is larger than ${limit / 2 ** 20} MiB: not read`));
            res.destroy();
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => done(Buffer.concat(chunks)));
        res.on('error', failed);
        res.on('aborted', () => failed(new Error('the connection closed before the whole answer arrived')));
      });
      whole.catch(() => undefined);
      resolve({
        status,
        ok: status >= 200 && status < 300,
        headers: {
          get: (name) => {
            const value = res.headers[name.toLowerCase()];
            return value === undefined ? null : Array.isArray(value) ? value.join(', ') : String(value);
          },
        },
        json: async () => JSON.parse((await whole).toString('utf8')) as unknown,
        arrayBuffer: async () => {
          const b = await whole;
          return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
        },
        body: {
          cancel: async () => {
            res.destroy();
          },
        },
      });
    });
    req.on('error', (error) => reject(init.signal?.aborted ? init.signal.reason : Object.assign(new TypeError('fetch failed'), { cause: error })));
    if (!stream) {
      req.end(body);
      return;
    }
    // pipeline closes the file when the request fails, and fails the request when the file does.
    void pipeline(stream(), req).catch((error: unknown) => req.destroy(error as Error));
  });
}
