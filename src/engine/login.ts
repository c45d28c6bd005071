import * as core from '@actions/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../errors.js';
import type { Inputs } from '../inputs.js';
import { DOCKER_HUB, parseRegistry, type ImageRef } from '../plan/images.js';
import { Docker, userConfigDir } from './docker.js';
import { CommandFailed, tail } from './exec.js';
import { classifyError, RetryError, withRetry, type RetryPolicy } from './retry.js';

export interface Credential {
  registry: string;
  username: string;
  password: string;
  /** Where it came from, for the log: "registry-auth", "username/password", "github-token". */
  from: string;
}

/** Which credentials to use for each registry of `image`. Pure. */
export function credentialsFor(images: ImageRef[], inputs: Pick<Inputs, 'username' | 'password' | 'registryAuth' | 'githubToken'>, actor = ''): Credential[] {
  const registries = [...new Set(images.map((i) => i.registry))];
  const out: Credential[] = [];
  for (const registry of registries) {
    const explicit = inputs.registryAuth.find((a) => a.registry === registry);
    if (explicit) {
      out.push({ ...explicit, from: 'registry-auth' });
    } else if (registry === 'ghcr.io' && inputs.githubToken && (!inputs.username || registries.length > 1)) {
      out.push({ registry, username: actor || 'x-access-token', password: inputs.githubToken, from: 'github-token' });
    } else if (inputs.username && inputs.password) {
      out.push({ registry, username: inputs.username, password: inputs.password, from: 'username/password' });
    }
  }
  return out;
}

/**
 * Reserves the private docker config folder for this run under RUNNER_TEMP: empty and private
 * (0700). The caller saves its path in the state *before* `writeDockerConfig` and any login put
 * something in it, so the post step removes it even when the main step is cancelled half-way.
 */
export function reserveDockerConfig(tempRoot: string): string {
  const dir = fs.mkdtempSync(path.join(tempRoot, CONFIG_PREFIX));
  fs.chmodSync(dir, 0o700);
  return dir;
}

/**
 * Fills the private config: the user's settings and existing logins are copied in, plugins,
 * builders and contexts are linked, and our logins land only here. The user's
 * ~/.docker/config.json is only read, never written.
 */
export function writeDockerConfig(dir: string): void {
  const source = userConfigDir();
  let config: Record<string, unknown> = {};
  try {
    config = JSON.parse(fs.readFileSync(path.join(source, 'config.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    // no user config: start empty
  }
  // A credential store would put our logins outside this folder: keep them in the file instead.
  // The logins already in that store (their `auths` entries hold no credential) stay readable:
  // the store becomes the helper of each of those registries. Per-registry helpers stay, for
  // registries this run does not log in to; see `login`.
  const store = config.credsStore;
  delete config.credsStore;
  if (typeof store === 'string' && store) {
    const auths = (config.auths ?? {}) as Record<string, Record<string, unknown> | null>;
    const helpers = { ...((config.credHelpers ?? {}) as Record<string, string>) };
    for (const [key, entry] of Object.entries(auths)) {
      if (!entry?.auth && !entry?.identitytoken && !(key in helpers)) helpers[key] = store;
    }
    if (Object.keys(helpers).length) config.credHelpers = helpers;
  }
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config, null, 2), { mode: 0o600 });
  for (const sub of ['cli-plugins', 'buildx', 'contexts']) {
    const from = path.join(source, sub);
    if (fs.existsSync(from)) fs.symlinkSync(from, path.join(dir, sub));
  }
}

/** Both steps at once, for callers with no state to save in between. */
export function createDockerConfig(tempRoot: string): string {
  const dir = reserveDockerConfig(tempRoot);
  writeDockerConfig(dir);
  return dir;
}

const CONFIG_PREFIX = 'autobuild-docker-';

/**
 * Removes a private config made by `reserveDockerConfig`, and nothing else: the path comes back
 * through the post step's state, so anything that is not one of ours is refused.
 */
export function removeDockerConfig(dir: string): void {
  const resolved = path.resolve(dir);
  if (!path.basename(resolved).startsWith(CONFIG_PREFIX) || path.dirname(resolved) === resolved) {
    throw new Error(`refusing to remove '${dir}': not a docker config folder made by autobuild`);
  }
  // Symlinks (plugins, builders, contexts) are removed as links; their targets are not touched.
  fs.rmSync(resolved, { recursive: true, force: true });
}

/** Whether a key of a docker config (`auths`, `credHelpers`) names this registry (`https://index.docker.io/v1/` is Docker Hub). */
function namesRegistry(key: string, registry: string): boolean {
  return parseRegistry(key) === registry;
}

/**
 * A credential helper configured for this registry (credHelpers) would take our login out of the
 * private folder, where the post step could not remove it: drop it from the private config.
 */
function keepLoginInFile(configDir: string, registry: string): void {
  const file = path.join(configDir, 'config.json');
  const config = JSON.parse(fs.readFileSync(file, 'utf8')) as { credHelpers?: Record<string, string> };
  const names = Object.keys(config.credHelpers ?? {}).filter((key) => namesRegistry(key, registry));
  if (!names.length) return;
  for (const n of names) delete config.credHelpers![n];
  fs.writeFileSync(file, JSON.stringify(config, null, 2), { mode: 0o600 });
}

/**
 * Whether a docker config folder already holds a login for a registry: an `auths` entry with a
 * credential in it, or a credential helper for that registry (a login made by an earlier step,
 * such as docker/login-action, or on a self-hosted runner). Reads only; false when unreadable.
 */
export function hasConfiguredLogin(configDir: string, registry: string): boolean {
  let config: { auths?: Record<string, { auth?: string; identitytoken?: string; username?: string } | null>; credHelpers?: Record<string, string> };
  try {
    config = JSON.parse(fs.readFileSync(path.join(configDir, 'config.json'), 'utf8')) as typeof config;
  } catch {
    return false;
  }
  for (const [key, entry] of Object.entries(config.auths ?? {})) {
    if (namesRegistry(key, registry) && (entry?.auth || entry?.identitytoken || entry?.username)) return true;
  }
  return Object.keys(config.credHelpers ?? {}).some((key) => namesRegistry(key, registry));
}

export function registryName(registry: string): string {
  return registry === DOCKER_HUB ? 'Docker Hub (docker.io)' : registry;
}

/**
 * `docker login` with the password on stdin, retried on transient faults (resets, timeouts,
 * 429, 5xx); refused credentials fail at once, naming the registry and the user.
 */
export async function login(docker: Docker, cred: Credential, policy?: RetryPolicy): Promise<void> {
  const where = registryName(cred.registry);
  if (docker.configDir) keepLoginInFile(docker.configDir, cred.registry);
  let refusals = 0;
  try {
    await withRetry(
      `Login to ${where}`,
      async () => {
        const r = await docker.run(['login', cred.registry, '--username', cred.username, '--password-stdin'], { input: cred.password });
        if (r.code !== 0) throw new CommandFailed('docker login', r);
      },
      {
        policy,
        classify: (error) => {
          const fault = classifyError(error);
          // The engine pings the registry first; when that ping fails (503, 429, reset) it logs in
          // without the registry's challenge and reports "401 Unauthorized". So a first 401 is
          // checked once more at once; a second one is the registry's real answer.
          if (fault.status === 401 && refusals++ === 0) {
            return { kind: 'transient', reason: `${fault.reason} (checking once more: the engine also reports 401 when the registry's first answer failed)`, retryAfterMs: 0 };
          }
          return fault;
        },
      },
    );
  } catch (error) {
    if (!(error instanceof RetryError)) throw error;
    const cause = error.last instanceof CommandFailed ? tail(error.last.result, 2) : String(error.last);
    const refused = error.fault.status === 401 || error.fault.status === 403;
    if (refused) {
      throw new UserError(`${where} refused the credentials for user '${cred.username}' (from ${cred.from}): ${error.fault.reason}. Docker said: ${cause}`);
    }
    throw new UserError(`Could not log in to ${where} as '${cred.username}': ${error.detail}. Docker said: ${cause}`);
  }
  core.info(`Logged in to ${where} as ${cred.username} (${cred.from}).`);
}
