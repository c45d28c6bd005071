import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the stand-in received. */
export interface HubRecorded {
  method: string;
  path: string;
  authorization?: string;
  body?: Record<string, unknown>;
}

/**
 * A recording stand-in for Docker Hub's API (the part autobuild calls), on 127.0.0.1 at a free
 * port: `POST /v2/users/login` answers a token for the one user and password it knows, as Docker
 * Hub does for a password or a personal access token; `PATCH /v2/repositories/NS/NAME/` with that
 * token as `Bearer` (or the older `JWT`) stores the descriptions. It refuses a full description
 * over 25,000 bytes (as Docker Hub does) and, in `forbidden` mode, every update, as Docker Hub does
 * for a token without the scope to change a repository.
 */
export class DockerHubApi {
  readonly requests: HubRecorded[] = [];
  /** Stored descriptions, by namespace/name. */
  readonly repositories = new Map<string, { full_description?: string; description?: string }>();
  forbidden = false;
  private tokens = 0;
  private readonly issued = new Set<string>();

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
    private readonly user: string,
    private readonly password: string,
  ) {}

  static async start(user: string, password: string): Promise<DockerHubApi> {
    let api: DockerHubApi | undefined;
    const server = http.createServer((req, res) => {
      let data = '';
      req.on('data', (chunk: Buffer) => (data += chunk.toString()));
      req.on('end', () => api!.handle(req, data, res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    api = new DockerHubApi(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, user, password);
    return api;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Forgets what it received (between cases). */
  reset(): void {
    this.requests.length = 0;
    this.repositories.clear();
    this.forbidden = false;
  }

  private handle(req: http.IncomingMessage, data: string, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    let body: Record<string, unknown> | undefined;
    try {
      body = data ? (JSON.parse(data) as Record<string, unknown>) : undefined;
    } catch {
      return this.send(res, 400, { detail: 'JSON parse error' });
    }
    this.requests.push({ method, path: url.pathname, authorization: req.headers.authorization, body });
    if (url.pathname === '/v2/users/login' && method === 'POST') {
      if (body?.username !== this.user || body?.password !== this.password) return this.send(res, 401, { detail: 'Incorrect authentication credentials' });
      const token = `hub-jwt-${++this.tokens}-e2e`;
      this.issued.add(token);
      return this.send(res, 200, { token });
    }
    const repo = /^\/v2\/repositories\/([^/]+)\/([^/]+)\/$/.exec(url.pathname);
    if (repo && method === 'PATCH') {
      const token = (req.headers.authorization ?? '').replace(/^(Bearer|JWT) /, '');
      if (!this.issued.has(token)) return this.send(res, 401, { detail: 'Authentication credentials were not provided.' });
      if (this.forbidden) return this.send(res, 403, { detail: 'You do not have permission to perform this action.' });
      const full = body?.full_description;
      if (typeof full === 'string' && Buffer.byteLength(full) > 25_000) return this.send(res, 400, { full_description: ['Ensure this field has no more than 25000 characters.'] });
      const key = `${repo[1]}/${repo[2]}`;
      const stored = { ...this.repositories.get(key) };
      if (typeof full === 'string') stored.full_description = full;
      if (typeof body?.description === 'string') stored.description = body.description;
      this.repositories.set(key, stored);
      return this.send(res, 200, { namespace: repo[1], name: repo[2], ...stored });
    }
    return this.send(res, 404, { detail: 'Not found.' });
  }

  private send(res: http.ServerResponse, status: number, json: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(json));
  }
}
