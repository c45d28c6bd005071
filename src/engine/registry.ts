/**
 * A small client for the Registry HTTP API v2 (the OCI distribution API), on fetch.
 *
 * Auth as Docker does it: a request goes out without credentials; a 401 carries a
 * `WWW-Authenticate` challenge. `Basic` -> the request is repeated with the run's credentials.
 * `Bearer realm=...,service=...,scope=...` (Docker Hub, GHCR, most hosted registries) -> a token
 * is asked from the realm (with the credentials as Basic auth, or anonymously without them),
 * kept per scope, and sent as `Authorization: Bearer`. Credentials never appear in errors.
 */
import { DOCKER_HUB } from '../plan/images.js';

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
  /** Another fetch (tests). */
  fetch?: typeof fetch;
  /** Another base URL, e.g. `http://127.0.0.1:5000` (tests); default from `registry`. */
  baseUrl?: string;
}

/** A registry answer that is not what was asked for; `status` is the HTTP status (0 for network errors). */
export class RegistryError extends Error {
  override name = 'RegistryError';
  constructor(
    message: string,
    readonly status: number,
    readonly code?: string,
  ) {
    super(message);
  }
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
  /** Token scope, e.g. `repository:acme/app:pull`. */
  scope: string;
  accept?: string;
  body?: string;
  headers?: Record<string, string>;
}

export const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

const MAX_PAGES = 200;

export class RegistryClient {
  readonly baseUrl: string;
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;
  /** Authorization header per scope, once a challenge has been answered. */
  private readonly auth = new Map<string, string>();

  constructor(private readonly options: RegistryClientOptions) {
    this.baseUrl = (options.baseUrl ?? registryBaseUrl(options.registry)).replace(/\/$/, '');
    this.fetch = options.fetch ?? globalThis.fetch;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  private async send(url: string, method: string, opts: RequestOptions, authorization?: string): Promise<Response> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.accept) headers.accept = opts.accept;
    if (authorization) headers.authorization = authorization;
    try {
      return await this.fetch(url, { method, headers, body: opts.body, redirect: 'follow', signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new RegistryError(`${this.options.registry} did not answer ${method} ${new URL(url).pathname}: ${cause?.code ?? cause?.message ?? (error as Error).message}`, 0);
    }
  }

  private basic(): string | undefined {
    const c = this.options.credentials;
    return c ? `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}` : undefined;
  }

  private async token(challenge: Challenge, scope: string): Promise<string> {
    const realm = challenge.params.realm;
    if (!realm) throw new RegistryError(`${this.options.registry} asked for a Bearer token without naming a realm`, 401);
    const url = new URL(realm);
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
    url.searchParams.set('scope', challenge.params.scope || scope);
    const r = await this.send(url.toString(), 'GET', { scope, accept: 'application/json' }, this.basic());
    if (!r.ok) {
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
  async request(method: string, pathOrUrl: string, opts: RequestOptions): Promise<Response> {
    const url = new URL(pathOrUrl, `${this.baseUrl}/`).toString();
    let r = await this.send(url, method, opts, this.auth.get(opts.scope));
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
    r = await this.send(url, method, opts, authorization);
    return r;
  }

  private async failure(r: Response, what: string): Promise<RegistryError> {
    let code: string | undefined;
    let detail = '';
    try {
      const body = (await r.json()) as { errors?: { code?: string; message?: string }[] };
      code = body.errors?.[0]?.code;
      detail = body.errors?.[0]?.message ? `: ${body.errors[0].message}` : '';
    } catch {
      // not JSON
    }
    return new RegistryError(`${what} on ${this.options.registry}: HTTP ${r.status}${code ? ` ${code}` : ''}${detail}`, r.status, code);
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
      const r = await this.request('GET', next, { scope, accept: 'application/json' });
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
    const r = await this.request('HEAD', `/v2/${repository}/manifests/${reference}`, { scope: `repository:${repository}:pull`, accept: MANIFEST_TYPES });
    if (r.status === 404) return undefined;
    if (!r.ok) throw await this.failure(r, `reading the manifest ${repository}:${reference}`);
    return r.headers.get('docker-content-digest') ?? undefined;
  }

  /**
   * Deletes a manifest by digest (which removes every tag pointing at it). Returns false when the
   * registry does not allow deletion (HTTP 405 or UNSUPPORTED), as Docker Hub and GHCR do not.
   */
  async deleteManifest(repository: string, digest: string): Promise<boolean> {
    const r = await this.request('DELETE', `/v2/${repository}/manifests/${digest}`, { scope: `repository:${repository}:delete` });
    if (r.status === 202 || r.status === 200 || r.status === 404) {
      await r.body?.cancel();
      return true;
    }
    const error = await this.failure(r, `deleting ${repository}@${digest}`);
    if (r.status === 405 || error.code === 'UNSUPPORTED') return false;
    throw error;
  }
}
