import * as core from '@actions/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from './errors.js';
import { IMAGE_HELP, parseImage, splitLines, splitList, type ImageRef } from './plan/images.js';
import { parseFlavor, parseTagRules, type Flavor, type TagRule } from './plan/metadata.js';
import { rulePaths } from './plan/rule-paths.js';
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
  /** Time limit per phase, in milliseconds. */
  timeout: Timeouts;
}

/** Phases with a time limit (input `timeout`). */
export const TIMEOUT_PHASES = ['login', 'build', 'test', 'push'] as const;
export type TimeoutPhase = (typeof TIMEOUT_PHASES)[number];
export type Timeouts = Record<TimeoutPhase, number>;
/** Also the default of `timeout` in action.yml: a phase the input leaves out keeps its default. */
export const DEFAULT_TIMEOUTS: Timeouts = { login: 5 * 60_000, build: 60 * 60_000, test: 10 * 60_000, push: 30 * 60_000 };

const TIMEOUT_HELP = `expected phase=duration pairs, comma or newline separated, with phases ${TIMEOUT_PHASES.join(', ')} and durations such as 90s, 10m or 1h30m (defaults: login=5m,build=60m,test=10m,push=30m)`;

/** "90s", "10m", "1h30m" -> milliseconds; undefined when it is not such a duration or zero. */
export function parseDuration(value: string): number | undefined {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value.trim().toLowerCase());
  if (!m || !value.trim()) return undefined;
  const ms = ((Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 1000;
  return ms > 0 ? ms : undefined;
}

/** The `timeout` input: `build=60m,test=10m`; phases not named keep their defaults. */
export function parseTimeouts(value: string): Timeouts {
  const out: Timeouts = { ...DEFAULT_TIMEOUTS };
  const seen = new Set<string>();
  for (const entry of splitList(value)) {
    const eq = entry.indexOf('=');
    const phase = (eq < 0 ? '' : entry.slice(0, eq)).trim().toLowerCase();
    const duration = eq < 0 ? undefined : parseDuration(entry.slice(eq + 1));
    if (!(TIMEOUT_PHASES as readonly string[]).includes(phase) || duration === undefined) fail('timeout', entry, TIMEOUT_HELP);
    if (seen.has(phase)) fail('timeout', entry, `${phase} is given twice; ${TIMEOUT_HELP}`);
    seen.add(phase);
    out[phase as TimeoutPhase] = duration;
  }
  return out;
}

/** Build-arg names that look like they hold a secret (build args end up in the image's history). */
const SECRET_NAME = /TOKEN|PASSWORD|PASSWD|SECRET|KEY/i;
const SECRET_KEYS = new Set(['id', 'type', 'src', 'source', 'env']);
const PLATFORM = /^(?:local|[a-z0-9_]+\/[a-z0-9_]+(?:\/[a-z0-9_.]+)?)$/;
const STAGE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Checks what docker would only refuse after login (or would accept but should not). */
function validateBuildInputs(inputs: Inputs, workspace: string): void {
  for (const arg of inputs.buildArgs) {
    const name = arg.split('=')[0]!;
    if (SECRET_NAME.test(name)) {
      // Masked at least in the log (the image keeps it in its history, hence the warning).
      const value = arg.slice(name.length + 1);
      if (value.length >= 6) core.setSecret(value);
      core.warning(
        `Input 'build-args' sets ${name}, which looks like a secret: build arguments are stored in the image's history for anyone who pulls it. Pass it with the 'secrets' input instead (id=${name.toLowerCase()},env=${name}) and read it in a RUN --mount=type=secret,id=${name.toLowerCase()} step.`,
      );
    }
  }
  for (const line of inputs.secrets) {
    const keys = line.split(',').map((p) => (p.includes('=') ? p.slice(0, p.indexOf('=')) : p).trim());
    const unknown = keys.find((k) => !SECRET_KEYS.has(k.toLowerCase()));
    if (unknown !== undefined || !keys.some((k) => k.toLowerCase() === 'id')) {
      // Quote the keys only: a secret pasted here by mistake must not reach the log.
      const shown = line.split(',').map((p) => (p.includes('=') ? `${p.slice(0, p.indexOf('=')).trim()}=...` : '...')).join(',');
      const what = unknown !== undefined ? `'${unknown}' is not a key of a secret` : 'it has no id=';
      fail('secrets', shown, `${what}; expected one secret a line as id=NAME,env=VARIABLE or id=NAME,src=PATH (keys: id, type, src, env)`);
    }
  }
  for (const platform of inputs.platforms) {
    if (!PLATFORM.test(platform)) fail('platforms', platform, 'expected os/arch[/variant] such as linux/amd64 or linux/arm64/v8, comma separated');
  }
  if (inputs.target && !STAGE.test(inputs.target)) fail('target', inputs.target, 'expected the name of a build stage (FROM ... AS name)');
  if (/\s/.test(inputs.username)) fail('username', inputs.username, 'a user name contains no white space');
  for (const rule of inputs.rules) {
    // '..' is refused when the rule is parsed; here a symbolic link that leads outside is too.
    const { context, file } = rulePaths(workspace, rule, { context: inputs.context, file: inputs.file || path.join(inputs.context, 'Dockerfile') });
    checkInside('rules', `rule ${rule.index} context: ${rule.context ?? ''}`, context, workspace);
    checkInside('rules', `rule ${rule.index} dockerfile: ${rule.dockerfile ?? 'Dockerfile'}`, file, workspace);
  }
}

/** Every input of action.yml, by its name there (the contract; a unit test holds them equal). */
export const INPUT_NAMES = [
  'image', 'username', 'password', 'context', 'file', 'build-args', 'target', 'labels', 'secrets',
  'platforms', 'tags', 'rules', 'flavor', 'cache', 'test-command', 'test-compose', 'hooks',
  'build-env', 'push', 'pr-preview', 'timeout', 'registry-auth', 'github-token',
] as const;

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

/** The real path, following symbolic links; for a path that does not exist yet, its nearest existing folder's. */
function realOrSelf(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    const parent = path.dirname(p);
    return parent === p ? p : path.join(realOrSelf(parent), path.basename(p));
  }
}

function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** A path inside the workspace; `..` that leaves it is refused. Returns the absolute path. */
function insideWorkspace(input: string, value: string, workspace: string): string {
  return checkInside(input, value, path.resolve(workspace, value), workspace);
}

/**
 * Fails unless `abs` stays inside the workspace, also after following symbolic links. `shown`
 * is the value the message quotes.
 */
function checkInside(input: string, shown: string, abs: string, workspace: string): string {
  if (!isInside(workspace, abs) || !isInside(realOrSelf(workspace), realOrSelf(abs))) {
    fail(input, shown, `it must stay inside the workspace (${workspace}); paths are relative to it and may not leave it through '..' or a symbolic link`);
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
    timeout: parseTimeouts(get('timeout')),
  };
  if (inputs.password && !inputs.username) {
    throw new UserError(`Input 'password' is set but 'username' is empty: give both, or neither.`);
  }
  for (const arg of inputs.buildArgs) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(arg) && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(arg)) {
      fail('build-args', arg.replace(/=[\s\S]*$/, '=...'), 'expected one NAME=value a line');
    }
  }
  for (const label of inputs.labels) {
    if (!label.includes('=')) fail('labels', label, 'expected one key=value a line');
  }
  validateBuildInputs(inputs, workspace);
  core.debug(`inputs: ${JSON.stringify({ ...inputs, password: inputs.password ? '***' : '', githubToken: inputs.githubToken ? '***' : '', registryAuth: inputs.registryAuth.map((r) => ({ ...r, password: '***' })), buildEnv: Object.keys(inputs.buildEnv) })}`);
  return inputs;
}
