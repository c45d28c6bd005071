import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the runner's cache service on 127.0.0.1, speaking the protocols @actions/cache
 * uses: v2 (twirp JSON + a signed blob URL taking Azure block-blob uploads) and the legacy v1 REST
 * API (which BuildKit's gha backend also speaks). Entries live in memory; every request is recorded.
 */
export interface CacheEntry {
  key: string;
  version: string;
  data: Buffer;
  created: number;
}

/** An artifact of the run, as the results service keeps it (one run: the stand-in serves one). */
export interface Artifact {
  id: number;
  name: string;
  /** The job (workflow_job_run_backend_id) that uploaded it. */
  job: string;
  data?: Buffer;
  finalized: boolean;
}

export interface CacheService {
  url: string;
  /** Environment a runner gives a JavaScript action for this service. */
  env(version: 'v1' | 'v2'): Record<string, string>;
  /** Environment of one job of the run for the artifact service (its token names the run and the job). */
  artifactEnv(job: string): Record<string, string>;
  /** The run's artifacts, finalized or not. */
  artifacts: Artifact[];
  /**
   * Holds every artifact listing until `count` artifacts are finalized (at most 60 s), so that
   * jobs list only once all have written: two finishers then both see the whole set.
   */
  holdListings(count: number | undefined): void;
  entries: CacheEntry[];
  requests: { method: string; path: string }[];
  /** Bytes the clients uploaded, in total. */
  uploadedBytes(): number;
  close(): Promise<void>;
}

const TWIRP = '/twirp/github.actions.results.api.v1.CacheService/';
const ARTIFACT_TWIRP = '/twirp/github.actions.results.api.v1.ArtifactService/';
const RUN = 'run-stand-in';

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startCacheService(): Promise<CacheService> {
  const entries: CacheEntry[] = [];
  const requests: { method: string; path: string }[] = [];
  // Uploads under way: v2 by blob name (single shot or staged blocks), v1 by cache id.
  const pending = new Map<string, { key: string; version: string; data?: Buffer; blocks: Map<string, Buffer>; chunks: { start: number; data: Buffer }[] }>();
  const artifacts: Artifact[] = [];
  let holdFor: number | undefined;
  let uploaded = 0;
  let nextId = 1;
  let base = '';

  const find = (keys: string[], version: string): CacheEntry | undefined => {
    const done = entries.filter((e) => e.version === version).sort((a, b) => b.created - a.created);
    const exact = done.find((e) => e.key === keys[0]);
    if (exact) return exact;
    for (const prefix of keys) {
      const hit = done.find((e) => e.key.startsWith(prefix));
      if (hit) return hit;
    }
    return undefined;
  };

  const json = (res: http.ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ method: req.method ?? '', path: url.pathname });
    const body = await readBody(req);
    try {
      // --- v2: twirp ---
      if (req.method === 'POST' && url.pathname.startsWith(TWIRP)) {
        const method = url.pathname.slice(TWIRP.length);
        const input = JSON.parse(body.toString() || '{}') as Record<string, any>;
        if (method === 'GetCacheEntryDownloadURL') {
          const hit = find([input.key, ...(input.restore_keys ?? [])], input.version);
          return json(res, 200, hit ? { ok: true, signed_download_url: `${base}/download/${encodeURIComponent(hit.key)}?v=${hit.version}`, matched_key: hit.key } : { ok: false });
        }
        if (method === 'CreateCacheEntry') {
          if (entries.some((e) => e.key === input.key && e.version === input.version)) {
            return json(res, 409, { code: 'already_exists', msg: 'cache entry already exists' });
          }
          const name = `blob-${nextId++}`;
          pending.set(name, { key: input.key, version: input.version, blocks: new Map(), chunks: [] });
          return json(res, 200, { ok: true, signed_upload_url: `${base}/upload/${name}?sig=stand-in` });
        }
        if (method === 'FinalizeCacheEntryUpload') {
          const [name, up] = [...pending].find(([, p]) => p.key === input.key && p.version === input.version) ?? [];
          if (!name || !up?.data) return json(res, 200, { ok: false, message: 'no upload for this key' });
          pending.delete(name);
          entries.push({ key: up.key, version: up.version, data: up.data, created: Date.now() + entries.length });
          return json(res, 200, { ok: true, entry_id: String(entries.length) });
        }
        return json(res, 404, { code: 'bad_route', msg: method });
      }
      // --- the artifact service (twirp JSON with the proto field names, as @actions/artifact sends) ---
      if (req.method === 'POST' && url.pathname.startsWith(ARTIFACT_TWIRP)) {
        const method = url.pathname.slice(ARTIFACT_TWIRP.length);
        const input = JSON.parse(body.toString() || '{}') as Record<string, any>;
        if (input.workflow_run_backend_id !== RUN) return json(res, 403, { code: 'permission_denied', msg: 'another run' });
        if (method === 'CreateArtifact') {
          // Names are unique within a run, as the service has them since artifact v4.
          if (artifacts.some((a) => a.name === input.name)) return json(res, 409, { code: 'already_exists', msg: `an artifact named ${input.name} exists` });
          const artifact: Artifact = { id: nextId++, name: input.name, job: input.workflow_job_run_backend_id, finalized: false };
          artifacts.push(artifact);
          pending.set(`artifact-${artifact.id}`, { key: artifact.name, version: 'artifact', blocks: new Map(), chunks: [] });
          return json(res, 200, { ok: true, signed_upload_url: `${base}/upload/artifact-${artifact.id}?sig=stand-in` });
        }
        if (method === 'FinalizeArtifact') {
          const artifact = artifacts.find((a) => a.name === input.name && !a.finalized);
          const up = artifact && pending.get(`artifact-${artifact.id}`);
          if (!artifact || !up?.data) return json(res, 200, { ok: false });
          pending.delete(`artifact-${artifact.id}`);
          artifact.data = up.data;
          artifact.finalized = true;
          return json(res, 200, { ok: true, artifact_id: String(artifact.id) });
        }
        if (method === 'ListArtifacts') {
          for (const until = Date.now() + 60_000; holdFor !== undefined && artifacts.filter((a) => a.finalized).length < holdFor && Date.now() < until; ) {
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
          const name = input.name_filter;
          const id = input.id_filter === undefined ? undefined : Number(input.id_filter);
          const found = artifacts.filter((a) => a.finalized && (name === undefined || a.name === name) && (id === undefined || a.id === id));
          return json(res, 200, {
            artifacts: found.map((a) => ({
              workflow_run_backend_id: RUN,
              workflow_job_run_backend_id: a.job,
              database_id: String(a.id),
              name: a.name,
              size: String(a.data?.length ?? 0),
              created_at: new Date().toISOString(),
            })),
          });
        }
        if (method === 'GetSignedArtifactURL') {
          const artifact = artifacts.find((a) => a.finalized && a.name === input.name);
          if (!artifact) return json(res, 404, { code: 'not_found', msg: input.name });
          return json(res, 200, { signed_url: `${base}/artifact/${artifact.id}?sig=stand-in` });
        }
        return json(res, 404, { code: 'bad_route', msg: method });
      }
      if (req.method === 'GET' && url.pathname.startsWith('/artifact/')) {
        const artifact = artifacts.find((a) => a.id === Number(url.pathname.slice('/artifact/'.length)));
        if (!artifact?.data) return json(res, 404, {});
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': artifact.data.length, 'content-disposition': `attachment; filename=${artifact.name}` });
        return res.end(artifact.data);
      }
      // --- v2: the signed blob URL (Azure block blob: one PUT, or staged blocks and a block list) ---
      if (req.method === 'PUT' && url.pathname.startsWith('/upload/')) {
        const up = pending.get(url.pathname.slice('/upload/'.length));
        if (!up) return json(res, 404, {});
        uploaded += body.length;
        const comp = url.searchParams.get('comp');
        if (comp === 'block') {
          up.blocks.set(url.searchParams.get('blockid') ?? '', body);
        } else if (comp === 'blocklist') {
          const ids = [...body.toString().matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]*)<\//g)].map((m) => m[1]!);
          up.data = Buffer.concat(ids.map((id) => up.blocks.get(id) ?? Buffer.alloc(0)));
        } else {
          up.data = body;
        }
        res.writeHead(201, { etag: `"${Date.now()}"`, 'last-modified': new Date().toUTCString(), 'x-ms-request-id': '1', 'x-ms-version': '2024-11-04' });
        return res.end();
      }
      if (req.method === 'GET' && url.pathname.startsWith('/download/')) {
        const key = decodeURIComponent(url.pathname.slice('/download/'.length));
        const hit = entries.find((e) => e.key === key && e.version === url.searchParams.get('v'));
        if (!hit) return json(res, 404, {});
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': hit.data.length });
        return res.end(hit.data);
      }
      // --- v1: legacy REST ---
      const v1 = /^\/_apis\/artifactcache\/(cache|caches)(?:\/(\d+))?$/.exec(url.pathname);
      if (v1) {
        const [, resource, id] = v1;
        if (req.method === 'GET' && resource === 'cache') {
          const hit = find((url.searchParams.get('keys') ?? '').split(','), url.searchParams.get('version') ?? '');
          if (!hit) {
            res.writeHead(204);
            return res.end();
          }
          return json(res, 200, { cacheKey: hit.key, scope: 'refs/heads/main', archiveLocation: `${base}/download/${encodeURIComponent(hit.key)}?v=${hit.version}` });
        }
        if (req.method === 'POST' && resource === 'caches' && !id) {
          const input = JSON.parse(body.toString()) as { key: string; version: string };
          if (entries.some((e) => e.key === input.key && e.version === input.version) || [...pending.values()].some((p) => p.key === input.key && p.version === input.version)) {
            return json(res, 409, { message: 'Cache already exists.' });
          }
          const cacheId = nextId++;
          pending.set(String(cacheId), { key: input.key, version: input.version, blocks: new Map(), chunks: [] });
          return json(res, 201, { cacheId });
        }
        const up = id ? pending.get(id) : undefined;
        if (req.method === 'PATCH' && up) {
          const start = Number(/bytes (\d+)-/.exec(req.headers['content-range'] ?? '')?.[1] ?? 0);
          up.chunks.push({ start, data: body });
          uploaded += body.length;
          res.writeHead(204);
          return res.end();
        }
        if (req.method === 'POST' && up) {
          up.chunks.sort((a, b) => a.start - b.start);
          pending.delete(id!);
          entries.push({ key: up.key, version: up.version, data: Buffer.concat(up.chunks.map((c) => c.data)), created: Date.now() + entries.length });
          res.writeHead(204);
          return res.end();
        }
      }
      json(res, 404, { message: `no route for ${req.method} ${url.pathname}` });
    } catch (error) {
      json(res, 500, { msg: String(error) });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    env(version) {
      // Shaped like the runner's token (a JWT whose `ac` claim lists the cache scopes): BuildKit reads it.
      const part = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
      const token = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ ac: JSON.stringify([{ Scope: 'refs/heads/main', Permission: 3 }]), exp: 4102444800 })}.c3RhbmQtaW4`;
      const common = { ACTIONS_RUNTIME_TOKEN: token, GITHUB_SERVER_URL: 'https://github.com' };
      return version === 'v2'
        ? { ...common, ACTIONS_CACHE_SERVICE_V2: 'true', ACTIONS_RESULTS_URL: `${base}/` }
        : { ...common, ACTIONS_CACHE_URL: `${base}/` };
    },
    artifactEnv(job) {
      const part = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
      const scp = `Actions.GenericRead:00000000-0000-0000-0000-000000000000 Actions.Results:${RUN}:${job}`;
      const token = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ scp, ac: JSON.stringify([{ Scope: 'refs/heads/main', Permission: 3 }]), exp: 4102444800 })}.c3RhbmQtaW4`;
      return { ACTIONS_RUNTIME_TOKEN: token, ACTIONS_RESULTS_URL: `${base}/`, GITHUB_SERVER_URL: 'https://github.com' };
    },
    artifacts,
    holdListings(count) {
      holdFor = count;
    },
    entries,
    requests,
    uploadedBytes: () => uploaded,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
