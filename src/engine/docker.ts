import { UserError } from '../errors.js';
import { check, execCommand, tail, type ExecOptions, type ExecResult } from './exec.js';

/** What `docker info --format '{{json .}}'` says, the parts autobuild reads. */
export interface EngineInfo {
  ServerVersion?: string;
  ServerErrors?: string[];
  DriverStatus?: [string, string][];
  ClientInfo?: { Plugins?: { Name?: string; Version?: string }[] };
}

/** Host part of the run-local image names (see Docker.localTag). */
export const LOCAL_REGISTRY = 'autobuild.invalid';

/**
 * The docker CLI as this run uses it: every call gets the run's own DOCKER_CONFIG, so logins
 * land in a temporary config and the runner's ~/.docker/config.json is never modified.
 */
export class Docker {
  constructor(
    readonly configDir?: string,
    /** This run's id: labels its containers and names its local tags, so concurrent runs never share them. */
    readonly runId?: string,
  ) {}

  /** Environment for docker and for anything that calls docker for us (hooks, compose). */
  env(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
    return { ...(this.configDir ? { DOCKER_CONFIG: this.configDir } : {}), ...extra };
  }

  /**
   * The local name a build is loaded under until it is pushed: unique to this run, so two runs
   * on one engine (same repository, same branch) can never swap images between build and push.
   * Under a `.invalid` host (RFC 2606), so it can never be pushed anywhere by mistake.
   */
  localTag(ref: string, index: number): string {
    const repo = ref.replace(/:[^:/]+$/, '').replace(/^[^/]+\//, '');
    return `${LOCAL_REGISTRY}/${repo}:${this.runId ?? process.pid}-${index}`;
  }

  async run(args: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    return execCommand('docker', args, { ...opts, env: this.env(opts.env) });
  }

  async ok(args: string[], what: string, opts: ExecOptions = {}): Promise<ExecResult> {
    return check(await this.run(args, opts), what);
  }

  /**
   * One `docker info`: whether the engine answers (one clear line when it does not), its version,
   * and what capabilities.ts reads (image store, buildx plugin).
   */
  async requireEngine(): Promise<{ version: string; info: EngineInfo }> {
    const r = await this.run(['info', '--format', '{{json .}}'], { timeoutMs: 30_000 });
    let info: EngineInfo = {};
    try {
      info = (JSON.parse(r.stdout) as EngineInfo | null) ?? {};
    } catch {
      // no answer, or not JSON: the engine is not reachable
    }
    const version = info.ServerVersion?.trim();
    if (!version) {
      const where = process.env.DOCKER_HOST ? ` at DOCKER_HOST=${process.env.DOCKER_HOST}` : '';
      const said = info.ServerErrors?.length ? info.ServerErrors.join('; ') : r.stderr.trim() ? tail({ ...r, stdout: '' }, 1) : '';
      const cause = said.replace(/^.*?(Cannot connect|error during connect)/i, '$1');
      throw new UserError(`The Docker engine${where} is not reachable: ${cause || 'no answer from docker info'}`);
    }
    return { version, info };
  }
}
