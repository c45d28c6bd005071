import * as core from '@actions/core';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UserError } from '../errors.js';
import type { Inputs } from '../inputs.js';
import { DOCKER_HUB, type ImageRef } from '../plan/images.js';
import { Docker } from './docker.js';
import { tail } from './exec.js';

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

function userConfigDir(): string {
  return process.env.DOCKER_CONFIG || path.join(os.homedir(), '.docker');
}

/**
 * A private docker config for this run under RUNNER_TEMP: the user's settings and existing
 * logins are copied in, plugins, builders and contexts are linked, and our logins land only here.
 */
export function createDockerConfig(tempRoot: string): string {
  const dir = fs.mkdtempSync(path.join(tempRoot, 'autobuild-docker-'));
  fs.chmodSync(dir, 0o700);
  const source = userConfigDir();
  let config: Record<string, unknown> = {};
  try {
    config = JSON.parse(fs.readFileSync(path.join(source, 'config.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    // no user config: start empty
  }
  // A credential store would put our logins outside this folder: keep them in the file instead.
  delete config.credsStore;
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config, null, 2), { mode: 0o600 });
  for (const sub of ['cli-plugins', 'buildx', 'contexts']) {
    const from = path.join(source, sub);
    if (fs.existsSync(from)) fs.symlinkSync(from, path.join(dir, sub));
  }
  return dir;
}

export function removeDockerConfig(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

function registryName(registry: string): string {
  return registry === DOCKER_HUB ? 'Docker Hub (docker.io)' : registry;
}

export async function login(docker: Docker, cred: Credential): Promise<void> {
  const r = await docker.run(['login', cred.registry, '--username', cred.username, '--password-stdin'], {
    input: cred.password,
    timeoutMs: 120_000,
  });
  if (r.code !== 0) {
    const cause = tail(r, 2);
    const refused = /unauthorized|denied|incorrect|401|403/i.test(cause);
    throw new UserError(
      refused
        ? `${registryName(cred.registry)} refused the credentials for user '${cred.username}' (from ${cred.from}): ${cause}`
        : `Could not log in to ${registryName(cred.registry)} as '${cred.username}': ${cause}`,
    );
  }
  core.info(`Logged in to ${registryName(cred.registry)} as ${cred.username} (${cred.from}).`);
}
