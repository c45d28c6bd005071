import * as os from 'node:os';
import * as path from 'node:path';
import { UserError } from '../errors.js';
import { splitTag } from '../plan/images.js';
import { EngineApi, localEngineSocket } from './api.js';
import { check, execCommand, tail, type ExecOptions, type ExecResult } from './exec.js';

/** What `docker info --format '{{json .}}'` says, the parts autobuild reads. */
export interface EngineInfo {
  ServerVersion?: string;
  ServerErrors?: string[];
  /** The engine's data root (images, containers, build cache), on the engine's machine. */
  DockerRootDir?: string;
  DriverStatus?: [string, string][];
  ClientInfo?: { Plugins?: { Name?: string; Version?: string }[] };
}

/** What the engine says of an image (`docker image inspect`), the parts autobuild reads. */
export interface ImageInspect {
  Id?: string;
  Size?: number;
  RepoDigests?: string[] | null;
  Config?: { Labels?: Record<string, string> | null } | null;
}

/** The user's docker config folder (DOCKER_CONFIG, else ~/.docker): only ever read. */
export function userConfigDir(env: Record<string, string | undefined> = process.env): string {
  return env.DOCKER_CONFIG || path.join(os.homedir(), '.docker');
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
    /** The engine's API, for info, inspect, tag and untag (see EngineApi); else the CLI does those too. */
    readonly api?: EngineApi,
  ) {}

  /** The engine's API when the docker CLI would talk to a local socket (see localEngineSocket). */
  static localApi(env: Record<string, string | undefined> = process.env): EngineApi | undefined {
    const socket = localEngineSocket(env, userConfigDir());
    return socket ? new EngineApi(socket) : undefined;
  }

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
    const where = process.env.DOCKER_HOST ? ` at DOCKER_HOST=${process.env.DOCKER_HOST}` : '';
    // The API's /info is `docker info` without the client part (the CLI's plugin scan is most of
    // its time); a socket that does not answer is asked again through the CLI, for its message.
    const fromApi = await this.api?.call('GET', '/info', { timeoutMs: ENGINE_TIMEOUT_MS });
    if (this.api?.timedOut) throw new UserError(`The Docker engine${where} is not reachable: no answer within ${ENGINE_TIMEOUT_MS / 1000}s`);
    const r = fromApi?.code === 0 ? fromApi : await this.run(['info', '--format', '{{json .}}'], { timeoutMs: ENGINE_TIMEOUT_MS });
    let info: EngineInfo = {};
    try {
      info = (JSON.parse(r.stdout) as EngineInfo | null) ?? {};
    } catch {
      // no answer, or not JSON: the engine is not reachable
    }
    const version = info.ServerVersion?.trim();
    if (!version) {
      const said = info.ServerErrors?.length ? info.ServerErrors.join('; ') : r.stderr.trim() ? tail({ ...r, stdout: '' }, 1) : '';
      const cause = said.replace(/^.*?(Cannot connect|error during connect)/i, '$1');
      throw new UserError(`The Docker engine${where} is not reachable: ${cause || 'no answer from docker info'}`);
    }
    return { version, info };
  }

  /**
   * `docker tag image ref`. The engine replaces a name by removing it and creating it again, so
   * another run naming the same reference at that moment makes one of them fail with "already
   * exists": then it is tried again (3 attempts in all).
   */
  async tag(image: string, ref: string): Promise<void> {
    const name = splitTag(ref);
    for (let attempt = 1; ; attempt++) {
      const viaApi = name && (await this.api?.call('POST', `/images/${image}/tag?repo=${encodeURIComponent(name.repo)}&tag=${encodeURIComponent(name.tag)}`));
      const r = viaApi || (await this.run(['tag', image, ref]));
      if (r.code === 0 || attempt >= 3 || !/already exists/i.test(r.stderr)) {
        check(r, `docker tag ${ref}`);
        return;
      }
    }
  }

  /** `docker image inspect`: what the engine knows of a local image, undefined when it has no such image. */
  async inspectImage(ref: string): Promise<ImageInspect | undefined> {
    const fromApi = await this.api?.call('GET', `/images/${ref}/json`);
    const r = fromApi ?? (await this.run(['image', 'inspect', ref], { timeoutMs: 60_000 }));
    if (r.code !== 0) return undefined;
    try {
      const parsed = JSON.parse(r.stdout) as ImageInspect | ImageInspect[];
      return (Array.isArray(parsed) ? parsed[0] : parsed) ?? undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * `docker image rm` of names (the image itself stays while other names use it): which names
   * were removed, and the errors other than a name that was not there. A cleanup command.
   */
  async removeImages(refs: string[], opts: { noPrune?: boolean } = {}): Promise<{ untagged: string[]; errors: string[] }> {
    const untagged: string[] = [];
    const errors: string[] = [];
    const results = this.api ? await Promise.all(refs.map((ref) => this.api!.call('DELETE', `/images/${ref}${opts.noPrune ? '?noprune=1' : ''}`))) : [];
    if (results.length && results.every((r) => r !== undefined)) {
      for (const [i, r] of results.entries()) {
        if (r!.code === 0) untagged.push(refs[i]!);
        else if (!/No such image/i.test(r!.stderr)) errors.push(r!.stderr);
      }
      return { untagged, errors };
    }
    const r = await this.run(['image', 'rm', ...(opts.noPrune ? ['--no-prune'] : []), ...refs], { cleanup: true });
    for (const line of r.stdout.split('\n')) {
      const ref = refs.find((x) => line.trim() === `Untagged: ${x}`);
      if (ref) untagged.push(ref);
    }
    if (r.code !== 0) errors.push(...r.stderr.split('\n').filter((l) => l.trim() && !/No such image/i.test(l)));
    return { untagged, errors };
  }
}

/** How long `docker info` may take to answer. */
const ENGINE_TIMEOUT_MS = 30_000;
