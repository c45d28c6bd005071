import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import type { ExecResult } from './exec.js';

/**
 * The engine's own API over its local socket, for the quick questions a run asks (is the engine
 * there, what does an image hold, give it a name, take a name away). Each of them costs the
 * docker CLI 15-45 ms of its own start-up, and the engine a millisecond or two. Used only when
 * the docker CLI would talk to that same socket (see localEngineSocket); the work itself (build,
 * test, push) goes through the docker CLI.
 */
export class EngineApi {
  /** Set when the socket did not answer: every later call goes to the docker CLI. */
  private unreachable = false;
  /** Set when a request got no answer within its time (the socket took it, the engine is stuck). */
  timedOut = false;

  constructor(readonly socketPath: string) {}

  /**
   * One request. The answer reads like the docker CLI's (code 0 and the body on success; code 1
   * and "Error response from daemon: ..." otherwise), so callers check it as they check the CLI.
   * Undefined when the socket did not answer within the time: the caller asks the docker CLI,
   * which reports the fault in its own words.
   */
  async call(method: 'GET' | 'POST' | 'DELETE', urlPath: string, opts: { timeoutMs?: number; json?: unknown } = {}): Promise<ExecResult | undefined> {
    if (this.unreachable) return undefined;
    const { timeoutMs = 30_000, json } = opts;
    const body = json === undefined ? undefined : JSON.stringify(json);
    const headers: Record<string, string> = { host: 'docker', ...(body === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }) };
    const answer = await new Promise<{ status: number; body: string } | undefined>((resolve) => {
      const req = http.request({ socketPath: this.socketPath, path: urlPath, method, headers, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', () => resolve(undefined));
      });
      req.on('timeout', () => {
        this.timedOut = true;
        req.destroy(new Error('timeout'));
      });
      req.on('error', () => resolve(undefined));
      req.end(body);
    });
    if (!answer) {
      this.unreachable = true;
      return undefined;
    }
    if (answer.status >= 200 && answer.status < 300) return { code: 0, stdout: answer.body, stderr: '' };
    let message = answer.body.trim();
    try {
      message = (JSON.parse(answer.body) as { message?: string }).message ?? message;
    } catch {
      // not JSON: the body as it is
    }
    return { code: 1, stdout: '', stderr: `Error response from daemon: ${message || `HTTP ${answer.status}`}` };
  }
}

/** The socket a docker CLI without a context or DOCKER_HOST talks to. */
export const DEFAULT_SOCKET = '/var/run/docker.sock';

/**
 * The local socket of the engine the docker CLI would talk to, or undefined when it would talk
 * to something else (a tcp or ssh DOCKER_HOST, a docker context other than `default`) or when
 * that cannot be told (an unreadable config): then only the CLI is used. As the CLI decides:
 * DOCKER_HOST first, then DOCKER_CONTEXT, then the config's `currentContext`.
 */
export function localEngineSocket(env: Record<string, string | undefined>, configDir: string): string | undefined {
  const host = env.DOCKER_HOST?.trim();
  if (host) return /^unix:\/\/\/./.test(host) ? host.slice('unix://'.length) : undefined;
  const context = env.DOCKER_CONTEXT?.trim();
  if (context) return context === 'default' ? DEFAULT_SOCKET : undefined;
  const file = path.join(configDir, 'config.json');
  if (!fs.existsSync(file)) return DEFAULT_SOCKET;
  try {
    const current = (JSON.parse(fs.readFileSync(file, 'utf8')) as { currentContext?: unknown } | null)?.currentContext;
    return !current || current === 'default' ? DEFAULT_SOCKET : undefined;
  } catch {
    return undefined;
  }
}
