import { UserError } from '../errors.js';
import { check, execCommand, tail, type ExecOptions, type ExecResult } from './exec.js';

/**
 * The docker CLI as this run uses it: every call gets the run's own DOCKER_CONFIG, so logins
 * land in a temporary config and the runner's ~/.docker/config.json is never modified.
 */
export class Docker {
  constructor(readonly configDir?: string) {}

  /** Environment for docker and for anything that calls docker for us (hooks, compose). */
  env(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
    return { ...(this.configDir ? { DOCKER_CONFIG: this.configDir } : {}), ...extra };
  }

  async run(args: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    return execCommand('docker', args, { ...opts, env: this.env(opts.env) });
  }

  async ok(args: string[], what: string, opts: ExecOptions = {}): Promise<ExecResult> {
    return check(await this.run(args, opts), what);
  }

  /** Fails with one clear line when no engine answers. */
  async requireEngine(): Promise<string> {
    const r = await this.run(['version', '--format', '{{.Server.Version}}'], { timeoutMs: 30_000 });
    if (r.code !== 0 || !r.stdout.trim()) {
      const where = process.env.DOCKER_HOST ? ` at DOCKER_HOST=${process.env.DOCKER_HOST}` : '';
      const cause = tail(r, 1).replace(/^.*?(Cannot connect|error during connect)/i, '$1');
      throw new UserError(`The Docker engine${where} is not reachable: ${cause || 'no answer from docker version'}`);
    }
    return r.stdout.trim();
  }
}
