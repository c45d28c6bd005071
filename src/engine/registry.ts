/**
 * A small client for the Registry HTTP API v2 (the OCI distribution API), on fetch.
 *
 * Auth as Docker does it: a request goes out without credentials; a 401 carries a
 * `WWW-Authenticate` challenge. `Basic` -> the request is repeated with the run's credentials.
 * `Bearer realm=...,service=...,scope=...` (Docker Hub, GHCR, most hosted registries) -> a token
 * is asked from the realm (with the credentials as Basic auth, or anonymously without them),
 * kept per scope, and sent as `Authorization: Bearer`. Credentials never appear in errors.
 *
 * Every HTTP exchange (the API request and the token request alike) goes through the retry
 * policy of retry.ts: connection resets, timeouts, HTTP 429 (after its Retry-After) and 5xx are
 * tried again with the bounded backoff, each retry logged; 401, 403, 404 and other answers are
 * returned or thrown at once.
 */
import * as core from '@actions/core';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { DOCKER_HUB } from '../plan/images.js';
import { nodeFetch, type Fetch, type FetchResponse } from './http.js';
import { classifyError, classifyStatus, RetryError, withRetry, type Fault, type RetryOptions } from './retry.js';

export interface RegistryCredentials {
  username: string;
  password: string;
}

export interface RegistryClientOptions {
  /** Registry host as in an image name: `docker.io`, `ghcr.io`, `localhost:5000`. */
  registry: string;
  credentials?: RegistryCredentials;
  /** Per request; default 30 s. */
  timeoutMs?: number;
  /** Another fetch (tests); default nodeFetch. */
  fetch?: Fetch;
  /** Another base URL, e.g. `http://127.0.0.1:5000` (tests); default from `registry`. */
  baseUrl?: string;
  /** How transient faults are retried (policy, log, clock); retry.ts's defaults when absent. */
  retry?: Omit<RetryOptions, 'classify'>;
}

/**
 * A registry answer that is not what was asked for; `status` is the HTTP status (0 for network
 * errors), `fault` says whether trying again may help.
 */
export class RegistryError extends Error {
  override name = 'RegistryError';
  readonly fault: Fault;
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
    fault?: Fault,
  ) {
    super(message);
    this.fault = fault ?? (status ? classifyStatus(status) : { kind: 'permanent', reason: message });
  }
}

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms / 1000)}s`;
}

/** Where the API of a registry lives: Docker Hub's is registry-1.docker.io; loopback registries speak plain HTTP, as docker allows. */
export function registryBaseUrl(registry: string): string {
  if (registry === DOCKER_HUB) return 'https://registry-1.docker.io';
  const host = registry.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  const loopback = host === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1';
  return `${loopback ? 'http' : 'https'}://${registry}`;
}

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses a `WWW-Authenticate` header into its challenges (`Bearer realm="...",service="..."`). */
export function parseChallenges(header: string): Challenge[] {
  const out: Challenge[] = [];
  const re = /[\s,]*(?:([\w-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s,]*)|([A-Za-z][\w-]*))/y;
  let current: Challenge | undefined;
  for (let m = re.exec(header); m && m[0].length > 0; m = re.exec(header)) {
    if (m[3] !== undefined) {
      current = { scheme: m[3].toLowerCase(), params: {} };
      out.push(current);
    } else if (current) {
      const raw = m[2] ?? '';
      current.params[m[1]!.toLowerCase()] = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
    }
  }
  return out;
}

interface RequestOptions {
  /** What the request is for, in words, for retry lines and errors: "listing the tags of acme/app". */
  what: string;
  /** Token scope, e.g. `repository:acme/app:pull`. */
  scope: string;
  accept?: string;
  body?: string | Uint8Array<ArrayBuffer> | (() => Readable);
  headers?: Record<string, string>;
  /** For this request, in place of the client's own (a large upload). */
  timeoutMs?: number;
  /** One attempt: the caller retries a larger exchange as a whole (an upload session). */
  once?: boolean;
}

/** A manifest as the registry stores it: its exact bytes (its digest is theirs) and its media type. */
export interface StoredManifest {
  digest: string;
  mediaType: string;
  bytes: Uint8Array<ArrayBuffer>;
}

export const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

const MAX_PAGES = 200;

/**
 * A client for `registry` with the one of this run's `credentials` that is for it (anonymous
 * when none is).
 */
export function registryClientFor(
  registry: string,
  credentials: readonly (RegistryCredentials & { registry: string })[],
  options: Omit<RegistryClientOptions, 'registry' | 'credentials'> = {},
): RegistryClient {
  const cred = credentials.find((c) => c.registry === registry);
  return new RegistryClient({ ...options, registry, credentials: cred && { username: cred.username, password: cred.password } });
}

export class RegistryClient {
  readonly baseUrl: string;
  private readonly fetch: Fetch;
  private readonly timeoutMs: number;
  /** Authorization header per scope, once a challenge has been answered. */
  private readonly auth = new Map<string, string>();

  constructor(private readonly options: RegistryClientOptions) {
    this.baseUrl = (options.baseUrl ?? registryBaseUrl(options.registry)).replace(/\/$/, '');
    this.fetch = options.fetch ?? nodeFetch;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  private async send(url: string, method: string, opts: RequestOptions, authorization?: string): Promise<FetchResponse> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.accept) headers.accept = opts.accept;
    if (authorization) headers.authorization = authorization;
    try {
      return await this.fetch(url, { method, headers, body: opts.body, redirect: 'follow', signal: AbortSignal.timeout(opts.timeoutMs ?? this.timeoutMs) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const detail = (error as Error).name === 'TimeoutError' ? `no answer within ${seconds(opts.timeoutMs ?? this.timeoutMs)}` : (cause?.code ?? cause?.message ?? (error as Error).message);
      throw new RegistryError(`${this.options.registry} did not answer ${method} ${new URL(url).pathname}: ${detail}`, 0, undefined, classifyError(error));
    }
  }

  /**
   * Runs `fn` (one HTTP exchange) under the retry policy. A permanent fault is thrown as it is;
   * when the retries run out, the last error says how many attempts were made.
   */
  private async retrying<T>(what: string, fn: () => Promise<T>): Promise<T> {
    const label = `${what.charAt(0).toUpperCase()}${what.slice(1)} on ${this.options.registry}`;
    try {
      return await withRetry(label, fn, {
        ...this.options.retry,
        classify: (error) => (error instanceof RegistryError ? error.fault : classifyError(error)),
      });
    } catch (error) {
      if (!(error instanceof RetryError)) throw error;
      const last = error.last instanceof RegistryError ? error.last : new RegistryError(`${label}: ${error.fault.reason}`, 0, undefined, error.fault);
      if (error.stopped === 'permanent') throw last;
      const why = error.stopped === 'time' ? 'no time left to retry' : 'no attempts left';
      throw new RegistryError(`${last.message} (gave up after ${error.attempts} attempts in ${seconds(error.elapsedMs)}: ${why})`, last.status, last.code, last.fault);
    }
  }

  /** One request, retried while the answer is a transient fault (429, 5xx, a broken connection). */
  private exchange(url: string, method: string, opts: RequestOptions, authorization?: string): Promise<FetchResponse> {
    const attempt = async (): Promise<FetchResponse> => {
      const r = await this.send(url, method, opts, authorization);
      const fault = classifyStatus(r.status, r.headers.get('retry-after'));
      if (fault.kind === 'transient') throw await this.failure(r, opts.what, fault);
      return r;
    };
    return opts.once ? attempt() : this.retrying(opts.what, attempt);
  }

  private basic(): string | undefined {
    const c = this.options.credentials;
    return c ? `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}` : undefined;
  }

  /**
   * Why the credentials may not go to a token service at `realm`, or undefined when they may: over
   * https (any host, as auth.docker.io for Docker Hub), over plain http only when the registry
   * itself is spoken to over plain http and the realm is its own host and port, or on loopback. A
   * registry's challenge names the realm, so a plain-http realm elsewhere would hand the password
   * to whoever answers there, and one on an https registry's own host would send it in clear to a
   * registry that is otherwise only reached over TLS.
   */
  private uncredited(realm: URL): string | undefined {
    if (realm.protocol === 'https:') return undefined;
    if (realm.hostname === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(realm.hostname) || realm.hostname === '[::1]') return undefined;
    const base = new URL(this.baseUrl);
    if (realm.hostname !== base.hostname) return 'another host over plain HTTP';
    if (base.protocol !== 'http:') return 'over plain HTTP though the registry itself speaks https';
    if (realm.host !== base.host) return 'another port over plain HTTP';
    return undefined;
  }

  private async token(challenge: Challenge, scope: string): Promise<string> {
    const realm = challenge.params.realm;
    if (!realm) throw new RegistryError(`${this.options.registry} asked for a Bearer token without naming a realm`, 401);
    let url: URL;
    try {
      url = new URL(realm);
    } catch {
      throw new RegistryError(`${this.options.registry} named a token realm that is not a URL`, 401);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new RegistryError(`${this.options.registry} named a token realm that is not http(s)`, 401);
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
    url.searchParams.set('scope', challenge.params.scope || scope);
    const refused = this.options.credentials ? this.uncredited(url) : undefined;
    if (this.options.credentials && refused) {
      core.warning(`${this.options.registry} sends its token requests to ${url.origin}, ${refused}: asking it without the credentials of '${this.options.credentials.username}'.`);
    }
    const credited = this.options.credentials !== undefined && !refused;
    const r = await this.exchange(url.toString(), 'GET', { what: `getting a token for ${scope}`, scope, accept: 'application/json' }, credited ? this.basic() : undefined);
    if (!r.ok) {
      await r.body?.cancel();
      throw new RegistryError(
        r.status === 401 || r.status === 403
          ? `${this.options.registry}'s token service refused ${this.options.credentials ? `the credentials of '${this.options.credentials.username}'` : 'an anonymous token'} (HTTP ${r.status})`
          : `${this.options.registry}'s token service answered HTTP ${r.status}`,
        r.status,
      );
    }
    const body = (await r.json().catch(() => ({}))) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new RegistryError(`${this.options.registry}'s token service gave no token`, r.status);
    return `Bearer ${token}`;
  }

  /** One API request with auth handled: `pathOrUrl` is `/v2/...` or a full URL on the registry (pagination links). */
  async request(method: string, pathOrUrl: string, opts: RequestOptions): Promise<FetchResponse> {
    const url = new URL(pathOrUrl, `${this.baseUrl}/`).toString();
    // A link to another origin (a pagination Link header names any URL) is followed without credentials.
    if (new URL(url).origin !== new URL(this.baseUrl).origin) return this.exchange(url, method, opts);
    let r = await this.exchange(url, method, opts, this.auth.get(opts.scope));
    if (r.status !== 401) return r;
    const header = r.headers.get('www-authenticate') ?? '';
    await r.body?.cancel();
    const challenges = parseChallenges(header);
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    let authorization: string | undefined;
    if (bearer) authorization = await this.token(bearer, opts.scope);
    else if (challenges.some((c) => c.scheme === 'basic') && this.options.credentials) authorization = this.basic();
    if (!authorization) {
      throw new RegistryError(`${this.options.registry} needs credentials for ${method} ${new URL(url).pathname}, and none were given`, 401);
    }
    this.auth.set(opts.scope, authorization);
    r = await this.exchange(url, method, opts, authorization);
    return r;
  }

  private async failure(r: FetchResponse, what: string, fault?: Fault): Promise<RegistryError> {
    let code: string | undefined;
    let detail = '';
    try {
      const body = (await r.json()) as { errors?: { code?: string; message?: string }[] };
      code = body.errors?.[0]?.code;
      detail = body.errors?.[0]?.message ? `: ${body.errors[0].message}` : '';
    } catch {
      // not JSON
    }
    const user = this.options.credentials && `'${this.options.credentials.username}'`;
    const refused =
      r.status === 401
        ? ` (${user ? `the credentials of ${user} were not accepted` : 'an anonymous request was not accepted'})`
        : r.status === 403
          ? ` (${user ?? 'an anonymous request'} may not do this)`
          : '';
    return new RegistryError(
      `${what} on ${this.options.registry}: HTTP ${r.status}${code ? ` ${code}` : ''}${detail}${refused}`,
      r.status,
      code,
      fault ?? classifyStatus(r.status, r.headers.get('retry-after')),
    );
  }

  /**
   * Every tag of a repository (`acme/app`, `library/nginx`), following pagination.
   * Returns undefined when the repository does not exist (HTTP 404): nothing has been pushed yet.
   */
  async listTags(repository: string): Promise<string[] | undefined> {
    const scope = `repository:${repository}:pull`;
    const tags: string[] = [];
    let next: string | undefined = `/v2/${repository}/tags/list?n=1000`;
    for (let page = 0; next && page < MAX_PAGES; page++) {
      const r = await this.request('GET', next, { what: `listing the tags of ${repository}`, scope, accept: 'application/json' });
      if (r.status === 404) {
        await r.body?.cancel();
        if (page === 0) return undefined;
        break;
      }
      if (!r.ok) throw await this.failure(r, `listing the tags of ${repository}`);
      const body = (await r.json()) as { tags?: string[] | null };
      tags.push(...(body.tags ?? []));
      next = /<([^>]+)>\s*;\s*rel="?next"?/.exec(r.headers.get('link') ?? '')?.[1];
    }
    return tags;
  }

  /** The digest of a manifest (`tag` or `sha256:...`), or undefined when there is none. */
  async manifestDigest(repository: string, reference: string): Promise<string | undefined> {
    const what = `reading the manifest ${repository}:${reference}`;
    const r = await this.request('HEAD', `/v2/${repository}/manifests/${reference}`, { what, scope: `repository:${repository}:pull`, accept: MANIFEST_TYPES });
    if (r.status === 404) return undefined;
    if (!r.ok) throw await this.failure(r, what);
    return r.headers.get('docker-content-digest') ?? undefined;
  }

  /** The manifest stored under `digest`, byte for byte. */
  async getManifest(repository: string, digest: string): Promise<StoredManifest> {
    const what = `reading the manifest ${repository}@${digest}`;
    const r = await this.request('GET', `/v2/${repository}/manifests/${digest}`, { what, scope: `repository:${repository}:pull,push`, accept: MANIFEST_TYPES });
    if (!r.ok) throw await this.failure(r, what);
    const bytes = new Uint8Array(await r.arrayBuffer());
    const mediaType = r.headers.get('content-type')?.split(';')[0]?.trim() ?? '';
    const got = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    if (got !== digest) throw new RegistryError(`${what}: the registry sent a manifest whose digest is ${got}`, r.status);
    if (!mediaType) throw new RegistryError(`${what}: the registry named no media type`, r.status);
    return { digest, mediaType, bytes };
  }

  /** Stores a manifest under a tag (the tag then names that very digest); returns the digest the registry reports. */
  async putManifest(repository: string, tag: string, manifest: StoredManifest): Promise<string> {
    const what = `tagging ${repository}@${manifest.digest} as ${tag}`;
    const r = await this.request('PUT', `/v2/${repository}/manifests/${tag}`, {
      what,
      scope: `repository:${repository}:pull,push`,
      body: manifest.bytes,
      headers: { 'content-type': manifest.mediaType },
    });
    if (!r.ok) throw await this.failure(r, what);
    await r.body?.cancel();
    return r.headers.get('docker-content-digest') ?? manifest.digest;
  }

  /** A small blob (an image config), read whole and checked against its digest. */
  async getBlob(repository: string, digest: string): Promise<Uint8Array<ArrayBuffer>> {
    const what = `reading the blob ${repository}@${digest}`;
    const r = await this.request('GET', `/v2/${repository}/blobs/${digest}`, { what, scope: `repository:${repository}:pull` });
    if (!r.ok) throw await this.failure(r, what);
    const bytes = new Uint8Array(await r.arrayBuffer());
    const got = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    if (digest.startsWith('sha256:') && got !== digest) throw new RegistryError(`${what}: the registry sent a blob whose digest is ${got}`, r.status);
    return bytes;
  }

  /** Whether the repository holds the blob `digest` (layer or config). */
  async hasBlob(repository: string, digest: string): Promise<boolean> {
    const what = `looking for the blob ${repository}@${digest}`;
    const r = await this.request('HEAD', `/v2/${repository}/blobs/${digest}`, { what, scope: `repository:${repository}:pull,push` });
    await r.body?.cancel();
    if (r.status === 404) return false;
    if (!r.ok) throw await this.failure(r, what);
    return true;
  }

  /**
   * Uploads one blob in a single request (the registry API's monolithic upload: a POST for an
   * upload session, then one PUT of the whole blob with its digest). A failed attempt starts a new
   * session (a registry does not resume one whose PUT broke off), reading the blob afresh from
   * `open`. Slow links get time by size: at least 1 MiB/s.
   */
  async uploadBlob(repository: string, blob: { digest: string; size: number; open: () => Readable }): Promise<void> {
    const scope = `repository:${repository}:pull,push`;
    const what = `uploading the blob ${repository}@${blob.digest}`;
    await this.retrying(what, async () => {
      const started = await this.request('POST', `/v2/${repository}/blobs/uploads/`, { what, scope, headers: { 'content-length': '0' }, once: true });
      const location = started.headers.get('location');
      if (started.status !== 202 || !location) throw await this.failure(started, what);
      await started.body?.cancel();
      // The session URL as the registry gave it (its own query kept byte for byte), with the digest.
      const session = new URL(location, `${this.baseUrl}/`).toString();
      const url = `${session}${session.includes('?') ? '&' : '?'}digest=${encodeURIComponent(blob.digest)}`;
      const r = await this.request('PUT', url, {
        what,
        scope,
        body: blob.open,
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(blob.size) },
        timeoutMs: Math.max(this.timeoutMs, Math.ceil(blob.size / 2 ** 20) * 1000),
        once: true,
      });
      if (r.status !== 201 && !r.ok) throw await this.failure(r, what);
      await r.body?.cancel();
    });
  }

  /**
   * Whether this client (with its credentials, or anonymously without) may read a repository:
   * readable when the registry answers a manifest read (also "no such manifest"), not when it
   * refuses (HTTP 401 or 403, also from the token service). Other failures are thrown.
   */
  async readAccess(repository: string, reference = 'latest'): Promise<{ readable: boolean; answer: string }> {
    try {
      const digest = await this.manifestDigest(repository, reference);
      return { readable: true, answer: digest ? `${reference} is ${digest}` : `no ${reference}` };
    } catch (error) {
      if (error instanceof RegistryError && (error.status === 401 || error.status === 403)) return { readable: false, answer: `HTTP ${error.status}` };
      throw error;
    }
  }

  /**
   * Deletes a manifest by digest (which removes every tag pointing at it). Returns false when the
   * registry does not allow deletion (HTTP 405 or UNSUPPORTED), as Docker Hub and GHCR do not.
   */
  async deleteManifest(repository: string, digest: string): Promise<boolean> {
    const what = `deleting ${repository}@${digest}`;
    const r = await this.request('DELETE', `/v2/${repository}/manifests/${digest}`, { what, scope: `repository:${repository}:delete` });
    if (r.status === 202 || r.status === 200 || r.status === 404) {
      await r.body?.cancel();
      return true;
    }
    const error = await this.failure(r, what);
    if (r.status === 405 || error.code === 'UNSUPPORTED') return false;
    throw error;
  }
}
