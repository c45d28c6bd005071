import { execFileSync } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { uniqueRepo } from './fixtures.js';
import { REGISTRY_URL } from './world.js';

/**
 * A small fault-injecting HTTP proxy on 127.0.0.1 in front of the real test registry. Docker
 * treats any 127.0.0.0/8 registry as insecure (plain HTTP), so `127.0.0.1:<port>` works as a
 * registry host for login, push and queries. Faults are rules matched in order against each
 * request; every request is recorded, faulted or not.
 */
export type Fault =
  /** Answer with this status (and a registry-style JSON error body) instead of forwarding. */
  | { kind: 'status'; status: number; code?: string; headers?: Record<string, string> }
  /** Close the connection without any answer (a reset). */
  | { kind: 'reset' }
  /** Hold the request this long, then forward it. */
  | { kind: 'delay'; ms: number }
  /** Forward the request, but cut the connection after this many bytes of its body have gone up (only requests with a larger body match). */
  | { kind: 'cut-upload'; afterBytes: number }
  /** Forward the request, its body at most this many bytes a second (a slow uplink). */
  | { kind: 'slow-upload'; bytesPerSecond: number };

export interface FaultRule {
  fault: Fault;
  /** Which requests: method (GET, PUT, ...) and a path pattern; all when absent. */
  method?: string;
  path?: RegExp;
  /** How many matching requests get the fault (then the rule is spent); every one when absent. */
  times?: number;
  /**
   * Every matching request gets the fault for this long after the first one did, then none: an
   * outage of that length. Engines retry some requests within one command by themselves, each as
   * many times as it likes; an outage fails the whole command whatever that count is.
   */
  forMs?: number;
}

export interface ProxiedRequest {
  method: string;
  path: string;
  /** The fault applied, if any. */
  fault?: Fault['kind'];
  /** Status sent back (undefined when the connection was cut). */
  status?: number;
}

export class FaultProxy {
  readonly requests: ProxiedRequest[] = [];
  private rules: (FaultRule & { used: number; since?: number })[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly agent = new http.Agent({ keepAlive: true });

  private constructor(
    private readonly server: http.Server,
    private readonly upstream: URL,
  ) {}

  /** Starts a proxy on 127.0.0.1 (a free port) in front of `upstream` (the test registry). */
  static async start(upstream = REGISTRY_URL): Promise<FaultProxy> {
    const server = http.createServer();
    const proxy = new FaultProxy(server, new URL(upstream));
    server.on('request', (req, res) => proxy.handle(req, res));
    server.on('connection', (socket) => {
      proxy.sockets.add(socket);
      socket.on('close', () => proxy.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The registry host to give docker: `127.0.0.1:<port>`. */
  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Replaces the fault rules (and forgets how often the old ones were used). */
  setFaults(...rules: FaultRule[]): this {
    this.rules = rules.map((r) => ({ ...r, used: 0 }));
    return this;
  }

  /** Requests that got a fault. */
  faulted(): ProxiedRequest[] {
    return this.requests.filter((r) => r.fault);
  }

  /** Requests that reached the registry and were answered by it. */
  forwarded(): ProxiedRequest[] {
    return this.requests.filter((r) => r.fault === undefined || r.fault === 'delay' || r.fault === 'slow-upload');
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.agent.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private pick(req: http.IncomingMessage): Fault | undefined {
    const p = req.url ?? '/';
    for (const rule of this.rules) {
      if (rule.method && rule.method.toUpperCase() !== req.method) continue;
      if (rule.path && !rule.path.test(p)) continue;
      if (rule.times !== undefined && rule.used >= rule.times) continue;
      if (rule.forMs !== undefined && rule.since !== undefined && Date.now() - rule.since > rule.forMs) continue;
      // Only bodies larger than the cut point can be cut half-way.
      if (rule.fault.kind === 'cut-upload' && Number(req.headers['content-length'] ?? Infinity) <= rule.fault.afterBytes) continue;
      rule.used++;
      rule.since ??= Date.now();
      return rule.fault;
    }
    return undefined;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const record: ProxiedRequest = { method: req.method ?? 'GET', path: req.url ?? '/' };
    this.requests.push(record);
    const fault = this.pick(req);
    record.fault = fault?.kind;
    if (!fault) return this.forward(req, res, record);
    switch (fault.kind) {
      case 'status': {
        const code = fault.code ?? codeFor(fault.status);
        const body = JSON.stringify({ errors: [{ code, message: code.toLowerCase().replace(/_/g, ' ') }] });
        const headers: Record<string, string> = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...fault.headers };
        if (fault.status === 401 && !headers['www-authenticate']) headers['www-authenticate'] = 'Basic realm="fault-proxy"';
        record.status = fault.status;
        // Drain the request body first, so the client sees the answer rather than a reset.
        req.resume();
        req.on('end', () => res.writeHead(fault.status, headers).end(body));
        return;
      }
      case 'reset':
        req.socket.destroy();
        return;
      case 'delay':
        setTimeout(() => this.forward(req, res, record), fault.ms);
        return;
      case 'cut-upload':
        return this.forward(req, res, record, { cutAfter: fault.afterBytes });
      case 'slow-upload':
        return this.forward(req, res, record, { bytesPerSecond: fault.bytesPerSecond });
    }
  }

  private forward(req: http.IncomingMessage, res: http.ServerResponse, record: ProxiedRequest, how: { cutAfter?: number; bytesPerSecond?: number } = {}): void {
    const { cutAfter, bytesPerSecond } = how;
    const up = http.request(
      {
        host: this.upstream.hostname,
        port: this.upstream.port,
        method: req.method,
        path: req.url,
        // Host stays as the client sent it: the registry builds upload URLs from it, so they point back here.
        headers: req.headers,
        agent: this.agent,
      },
      (upRes) => {
        record.status = upRes.statusCode;
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    up.on('error', () => {
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    });
    if (bytesPerSecond !== undefined) {
      const started = Date.now();
      let sent = 0;
      req.on('data', (chunk: Buffer) => {
        up.write(chunk);
        sent += chunk.length;
        const wait = started + (sent / bytesPerSecond) * 1000 - Date.now();
        if (wait > 0) {
          req.pause();
          setTimeout(() => req.resume(), wait);
        }
      });
      req.on('end', () => up.end());
      return;
    }
    if (cutAfter === undefined) {
      req.pipe(up);
      return;
    }
    let sent = 0;
    req.on('data', (chunk: Buffer) => {
      if (sent >= cutAfter) return;
      const room = cutAfter - sent;
      up.write(room >= chunk.length ? chunk : chunk.subarray(0, room));
      sent += Math.min(room, chunk.length);
      if (sent >= cutAfter) {
        // Half the upload reached the registry; now the connection breaks.
        up.destroy();
        req.socket.destroy();
      }
    });
    req.on('end', () => {
      if (sent < cutAfter) up.end();
    });
  }
}

function codeFor(status: number): string {
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'DENIED';
  if (status === 404) return 'NAME_UNKNOWN';
  if (status === 429) return 'TOOMANYREQUESTS';
  return 'UNAVAILABLE';
}

/** A test repository reached through a proxy: `image` is what the action gets as input. */
export interface ProxiedImage {
  proxy: FaultProxy;
  /** Path in the registry (`e2e/...`), for world.ts queries on the registry itself. */
  repo: string;
  /** `127.0.0.1:<port>/e2e/...` */
  image: string;
}

export function proxiedImage(proxy: FaultProxy, repo: string): ProxiedImage {
  return { proxy, repo, image: `${proxy.host}/${repo}` };
}

/** A unique repository name, remembered in `list` for clean-up. */
export function newRepo(list: string[], prefix: string): string {
  const repo = uniqueRepo(prefix);
  list.push(repo);
  return repo;
}

/** Removes the local image names a test left on the shared engine (by a pattern on repository names). */
export function removeLocalImages(pattern: RegExp): void {
  const names = execFileSync('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}'], { encoding: 'utf8' })
    .split('\n')
    .filter((n) => pattern.test(n));
  if (names.length) execFileSync('docker', ['image', 'rm', '--force', ...names], { stdio: 'ignore' });
}
