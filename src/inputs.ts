import * as core from '@actions/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from './errors.js';
import { IMAGE_HELP, parseImage, splitLines, splitList, type ImageRef } from './plan/images.js';
import { parseFlavor, parseTagRules, type Flavor, type TagRule } from './plan/metadata.js';
import { parseRules, type BuildRule } from './plan/rules.js';

export const CACHE_MODES = ['auto', 'registry', 'gha', 'local', 'inline', 'off'] as const;
export type CacheMode = (typeof CACHE_MODES)[number];
export type PushMode = 'auto' | 'true' | 'false';

export interface RegistryAuth {
  registry: string;
  username: string;
  password: string;
}

/** Every action input, parsed and validated once. Nothing else reads core.getInput. */
export interface Inputs {
  images: ImageRef[];
  username: string;
  password: string;
  /** Absolute build context. */
  context: string;
  /** Absolute Dockerfile path, or '' for `Dockerfile` in the context. */
  file: string;
  buildArgs: string[];
  target: string;
  labels: string[];
  secrets: string[];
  platforms: string[];
  tags: TagRule[];
  rules: BuildRule[];
  flavor: Flavor;
  cache: CacheMode;
  testCommand: string;
  testCompose: 'auto' | 'off' | string[];
  hooks: 'auto' | 'off';
  /** Docker Hub build environment variables, for hooks and autotest files (not for docker build). */
  buildEnv: Record<string, string>;
  push: PushMode;
  prPreview: boolean;
  registryAuth: RegistryAuth[];
  githubToken: string;
}

type Get = (name: string) => string;
const defaultGet: Get = (name) => core.getInput(name);

function fail(input: string, value: string, accepted: string): never {
  throw new UserError(`Input '${input}' has an invalid value '${value}': ${accepted}.`);
}

function oneOf<T extends string>(get: Get, input: string, allowed: readonly T[], fallback: T): T {
  const value = get(input).trim().toLowerCase() || fallback;
  if (!(allowed as readonly string[]).includes(value)) fail(input, value, `expected one of ${allowed.join(', ')}`);
  return value as T;
}

function bool(get: Get, input: string, fallback: boolean): boolean {
  const value = get(input).trim().toLowerCase();
  if (!value) return fallback;
  if (['true', 'yes', '1', 'on'].includes(value)) return true;
  if (['false', 'no', '0', 'off'].includes(value)) return false;
  return fail(input, value, 'expected true or false');
}

/** A path inside the workspace; `..` that leaves it is refused. */
function insideWorkspace(input: string, value: string, workspace: string): string {
  const abs = path.resolve(workspace, value);
  const rel = path.relative(workspace, abs);
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    fail(input, value, `it must stay inside the workspace (${workspace})`);
  }
  return abs;
}

export function parseRegistryAuth(value: string): RegistryAuth[] {
  const out: RegistryAuth[] = [];
  for (const line of splitLines(value)) {
    // registry=HOST,username=U,password=P  or  HOST USER PASSWORD
    let registry = '';
    let username = '';
    let password = '';
    if (line.includes('=')) {
      for (const part of line.split(',')) {
        const eq = part.indexOf('=');
        const key = part.slice(0, eq).trim();
        const val = part.slice(eq + 1).trim();
        if (key === 'registry') registry = val;
        else if (key === 'username') username = val;
        else if (key === 'password') password = val;
      }
    } else {
      [registry = '', username = '', password = ''] = line.split(/\s+/);
    }
    if (password) core.setSecret(password);
    if (!registry || !username || !password) {
      throw new UserError(
        `Input 'registry-auth' has a line for '${registry || '(no registry)'}' without ${[!registry && 'registry', !username && 'username', !password && 'password'].filter(Boolean).join(' and ')}: write one registry a line as registry=HOST,username=USER,password=SECRET.`,
      );
    }
    const host = registry.replace(/^https?:\/\//, '').replace(/\/.*$/, '').toLowerCase();
    out.push({ registry: host === 'index.docker.io' || host === 'registry-1.docker.io' ? 'docker.io' : host, username, password });
  }
  return out;
}

/** Names whose values are masked in the log: *TOKEN*, *SECRET*, *PASSWORD*, *_KEY, ... */
export function looksSecret(name: string): boolean {
  return (
    /TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|CREDENTIAL|APIKEY|PRIVATE_?KEY/i.test(name) ||
    name.toUpperCase().split('_').some((word) => ['PASS', 'PWD', 'KEY', 'AUTH'].includes(word))
  );
}

/** The `build-env` input: one NAME=value a line. Secret-looking values are masked at once. */
export function parseBuildEnv(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of splitLines(value)) {
    const eq = line.indexOf('=');
    const name = eq < 0 ? line : line.slice(0, eq).trim();
    if (eq < 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      fail('build-env', eq < 0 ? line : name, 'expected one NAME=value a line, NAME made of letters, digits and _ (not starting with a digit)');
    }
    const val = line.slice(eq + 1);
    if (val && looksSecret(name)) core.setSecret(val);
    out[name] = val;
  }
  return out;
}

export function readInputs(workspace: string, get: Get = defaultGet): Inputs {
  // Secrets first: masked before anything could print them.
  const password = get('password');
  const githubToken = get('github-token');
  if (password) core.setSecret(password);
  if (githubToken) core.setSecret(githubToken);
  const registryAuth = parseRegistryAuth(get('registry-auth'));
  const buildEnv = parseBuildEnv(get('build-env'));

  const imageValue = get('image');
  const imageNames = splitList(imageValue);
  if (imageNames.length === 0) {
    throw new UserError(`Input 'image' is required: give ${IMAGE_HELP}.`);
  }
  const images: ImageRef[] = [];
  for (const raw of imageNames) {
    const parsed = parseImage(raw);
    if (typeof parsed === 'string') fail('image', raw, `${parsed}; expected ${IMAGE_HELP}`);
    if (!images.some((i) => i.name === parsed.name)) images.push(parsed);
  }

  const context = insideWorkspace('context', get('context').trim() || '.', workspace);
  const fileValue = get('file').trim();
  const file = fileValue ? insideWorkspace('file', fileValue, workspace) : '';

  const testComposeValue = get('test-compose').trim();
  const testCompose: Inputs['testCompose'] =
    testComposeValue === '' || testComposeValue.toLowerCase() === 'auto'
      ? 'auto'
      : testComposeValue.toLowerCase() === 'off'
        ? 'off'
        : splitList(testComposeValue).map((f) => insideWorkspace('test-compose', f, workspace));
  for (const [i, file] of (Array.isArray(testCompose) ? testCompose : []).entries()) {
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
      fail('test-compose', splitList(testComposeValue)[i]!, `no such file (${file}); expected auto, off, or paths of compose files with a service named sut`);
    }
  }

  const inputs: Inputs = {
    images,
    username: get('username').trim(),
    password,
    context,
    file,
    buildArgs: splitLines(get('build-args')),
    target: get('target').trim(),
    labels: splitLines(get('labels')),
    secrets: splitLines(get('secrets')),
    platforms: splitList(get('platforms')),
    tags: parseTagRules(get('tags')),
    rules: parseRules(get('rules')),
    flavor: parseFlavor(get('flavor')),
    cache: oneOf(get, 'cache', CACHE_MODES, 'auto'),
    testCommand: get('test-command').trim(),
    testCompose,
    hooks: oneOf(get, 'hooks', ['auto', 'off'] as const, 'auto'),
    buildEnv,
    push: oneOf(get, 'push', ['auto', 'true', 'false'] as const, 'auto'),
    prPreview: bool(get, 'pr-preview', false),
    registryAuth,
    githubToken,
  };
  if (inputs.password && !inputs.username) {
    throw new UserError(`Input 'password' is set but 'username' is empty: give both, or neither.`);
  }
  for (const arg of inputs.buildArgs) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(arg) && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(arg)) {
      fail('build-args', arg, 'expected one NAME=value a line');
    }
  }
  for (const label of inputs.labels) {
    if (!label.includes('=')) fail('labels', label, 'expected one key=value a line');
  }
  core.debug(`inputs: ${JSON.stringify({ ...inputs, password: inputs.password ? '***' : '', githubToken: inputs.githubToken ? '***' : '', registryAuth: inputs.registryAuth.map((r) => ({ ...r, password: '***' })), buildEnv: Object.keys(inputs.buildEnv) })}`);
  return inputs;
}
