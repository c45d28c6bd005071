import * as core from '@actions/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { parseTestOptions, type TestOption } from './test-options.js';
import { UserError } from './errors.js';
import { IMAGE_HELP, parseImage, parseRegistry, REGISTRY_HELP, splitLines, splitList, type ImageRef } from './plan/images.js';
import { parseFlavor, parseTagRules, type Flavor, type TagRule } from './plan/metadata.js';
import { REBUILD_MODES, type RebuildMode } from './plan/rebuild.js';
import { rulePaths } from './plan/rule-paths.js';
import { parseRules, type BuildRule } from './plan/rules.js';
import { CHECK_MODES, type CheckMode } from './engine/checks.js';
import { parseCompression, type Compression } from './engine/compression.js';
import { normalizePlatform } from './engine/platforms.js';
import { looksSecret, maskSecret, secretEnvNames } from './secrets.js';
import { yamlLib } from './yaml.js';

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
  /**
   * Input `distribute`: the platforms of `platforms` this job builds when one job a platform makes
   * the image (a matrix); empty when this job builds them all.
   */
  distribute: string[];
  tags: TagRule[];
  rules: BuildRule[];
  flavor: Flavor;
  cache: CacheMode;
  /** BuildKit's build checks: warnings (`warn`), a failed build (`error`), or none (`off`). */
  check: CheckMode;
  /** Input `compression`: how the layers are compressed. */
  compression: Compression;
  testCommand: string;
  /** Options for the test-command container (input `test-options`), parsed and checked. */
  testOptions: TestOption[];
  testCompose: 'auto' | 'off' | string[];
  hooks: 'auto' | 'off';
  /** Run hooks/ and autotest compose files on the runner even for code that is not a writer's (trust.ts). */
  allowUntrustedHostCode: boolean;
  /** Docker Hub build environment variables, for hooks and autotest files (not for docker build). */
  buildEnv: Record<string, string>;
  push: PushMode;
  /** Input `rebuild`: `always`, or `base-changed` (build only when the commit or a base image moved since the last push). */
  rebuild: RebuildMode;
  prPreview: boolean;
  registryAuth: RegistryAuth[];
  githubToken: string;
  /**
   * Input `dockerhub-description`: the README sent as the Docker Hub description after a push of
   * the default branch (`auto`: README.md of the build context, then of the repository root), `off`,
   * or the absolute path of the file to send.
   */
  dockerhubDescription: 'auto' | 'off' | string;
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
      if (value.length >= 6) maskSecret(value);
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
  const shared = inputs.distribute.map(normalizePlatform);
  const twice = inputs.distribute.find((p, i) => shared.indexOf(normalizePlatform(p)) !== i);
  if (twice) fail('distribute', twice, 'a platform is named once');
  for (const platform of inputs.distribute) {
    if (!inputs.platforms.some((p) => normalizePlatform(p) === normalizePlatform(platform))) {
      fail('distribute', platform, inputs.platforms.length ? `expected platforms of 'platforms' (${inputs.platforms.join(', ')}), comma separated` : "'platforms' is empty: name every platform of the image there, and this job's share here");
    }
  }
  if (inputs.target && !STAGE.test(inputs.target)) fail('target', inputs.target, 'expected the name of a build stage (FROM ... AS name)');
  if (/\s/.test(inputs.username)) fail('username', inputs.username, 'a user name contains no white space');
  if (!inputs.file && !inputs.rules.length) {
    // The default Dockerfile too: a symbolic link in the repository must not make the build read a file of the runner.
    const dockerfile = path.join(inputs.context, 'Dockerfile');
    checkInside('file', `${path.relative(workspace, dockerfile)} (the default: file is empty)`, dockerfile, workspace);
  }
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
  'platforms', 'distribute', 'tags', 'rules', 'flavor', 'cache', 'check', 'compression', 'test-command', 'test-options', 'test-compose', 'hooks',
  'allow-untrusted-host-code', 'build-env', 'push', 'rebuild', 'pr-preview', 'timeout', 'registry-auth', 'github-token', 'dockerhub-description',
] as const;

/** Inputs that hold a secret: the CLI never takes them from its command line (see README, "Run it locally"). */
export const SECRET_INPUTS: readonly (typeof INPUT_NAMES)[number][] = ['password', 'github-token'];

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

const AUTH_KEYS = ['registry', 'username', 'password'] as const;
type AuthKey = (typeof AUTH_KEYS)[number];

export const REGISTRY_AUTH_HELP =
  'accepted: one registry a line as registry=HOST,username=USER,password=SECRET (comma-separated fields; quote a whole field that holds a comma or a quote, as "password=a,b", and double a quote inside quotes), or a YAML list of mappings with the keys registry, username and password, one item per registry (- registry: HOST, then username: USER and password: SECRET under it)';

/** One credential as written, before it is checked: where it is (`line 3`) and its fields. */
interface AuthEntry {
  where: string;
  fields: Partial<Record<AuthKey, unknown>>;
  /** What makes it unreadable; the message never quotes the entry (it may hold the password). */
  problem?: string;
}

function authError(where: string, message: string): never {
  throw new UserError(`Input 'registry-auth', ${where}: ${message}; ${REGISTRY_AUTH_HELP}.`);
}

/** 1-based line of a character offset in `text`. */
function lineAt(text: string, offset: number): number {
  return text.slice(0, Math.max(0, offset)).split('\n').length;
}

/**
 * The YAML form: a list (`- registry: ...`, or a flow `[...]`). Read with the failsafe schema,
 * so every value stays the string as written (`password: 0123` is not the number 123). Errors
 * name a line and column only: the YAML parser's messages can quote the text, a password too.
 */
function yamlAuthEntries(value: string): AuthEntry[] {
  const { isMap, isNode, isScalar, isSeq, parseDocument } = yamlLib();
  const doc = parseDocument(value, { schema: 'failsafe', prettyErrors: false, logLevel: 'silent', uniqueKeys: true });
  const issue = doc.errors[0] ?? doc.warnings[0];
  if (issue) {
    const at = issue.pos[0];
    const column = at - value.lastIndexOf('\n', at - 1);
    throw new UserError(
      `Input 'registry-auth' is not valid YAML (line ${lineAt(value, at)}, column ${column}: ${issue.code.toLowerCase().replace(/_/g, ' ')}); quote a value that starts with a YAML indicator (! & * ' " | > % @ \`) or holds ': ' or ' #'; ${REGISTRY_AUTH_HELP}.`,
    );
  }
  if (!isSeq(doc.contents)) {
    throw new UserError(`Input 'registry-auth' is YAML but not a list; ${REGISTRY_AUTH_HELP}.`);
  }
  return doc.contents.items.map((item, i): AuthEntry => {
    const where = `line ${lineAt(value, isNode(item) && item.range ? item.range[0] : 0)} (item ${i + 1})`;
    if (!isMap(item)) return { where, fields: {}, problem: 'the item is not a mapping with the keys registry, username and password' };
    const fields: AuthEntry['fields'] = {};
    for (const pair of item.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!(AUTH_KEYS as readonly string[]).includes(key)) {
        return { where, fields, problem: key ? `'${key}' is not a key of a credential (keys: ${AUTH_KEYS.join(', ')})` : 'a key is not a plain name' };
      }
      // A scalar's value (failsafe: a string; '' when empty); a list or mapping is kept as such to be refused.
      fields[key as AuthKey] = pair.value === null ? '' : isScalar(pair.value) ? String(pair.value.value ?? '') : pair.value;
    }
    return { where, fields };
  });
}

/**
 * The line form: registry=HOST,username=USER,password=SECRET, read as CSV like
 * docker/build-push-action's inputs (a quoted field may hold commas and quotes); each field is
 * split at its first `=`, so a password may hold `=`.
 */
function lineAuthEntries(value: string): AuthEntry[] {
  const out: AuthEntry[] = [];
  value.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const where = `line ${i + 1}`;
    if (!line.includes('=')) {
      const looksYaml = /^(?:registry|username|password)\s*:/i.test(line);
      out.push({
        where,
        fields: {},
        problem: looksYaml
          ? 'it looks like YAML, but the YAML form is a list: start each registry with "- " (- registry: HOST)'
          : 'it is not key=value fields (the form HOST USER PASSWORD is not accepted)',
      });
      return;
    }
    let row: string[];
    try {
      row = (parseCsv(line, { relaxColumnCount: true, relaxQuotes: true, trim: true }) as string[][])[0] ?? [];
    } catch {
      out.push({ where, fields: {}, problem: 'its fields cannot be read (a quote is not closed, or text follows a closing quote)' });
      return;
    }
    const fields: AuthEntry['fields'] = {};
    let problem: string | undefined;
    row.forEach((field, f) => {
      const eq = field.indexOf('=');
      const key = (eq < 0 ? '' : field.slice(0, eq)).trim().toLowerCase();
      // Neither the field nor its key is quoted: an unquoted comma in a password would put a piece of it here.
      if (!(AUTH_KEYS as readonly string[]).includes(key)) problem ??= `field ${f + 1} is not registry=, username= or password=`;
      else if (key in fields) problem ??= `${key}= is given twice`;
      else fields[key as AuthKey] = field.slice(eq + 1).trim();
    });
    out.push({ where, fields, problem });
  });
  return out;
}

/** Whether the input is in the YAML form: its first line (not a comment) starts a list. */
function isYamlList(value: string): boolean {
  const first = value.split('\n').map((l) => l.trim()).find((l) => l && !l.startsWith('#')) ?? '';
  return /^-(?:\s|$)/.test(first) || first.startsWith('[');
}

/**
 * The `registry-auth` input: credentials for more registries, in the line form or the YAML form
 * (see REGISTRY_AUTH_HELP). Every password is masked as soon as the input is read, before any
 * check can fail; only passwords are masked, and no message quotes one.
 */
export function parseRegistryAuth(value: string): RegistryAuth[] {
  if (!value.trim()) return [];
  const entries = isYamlList(value) ? yamlAuthEntries(value) : lineAuthEntries(value);
  for (const { fields } of entries) {
    if (typeof fields.password === 'string' && fields.password) maskSecret(fields.password);
  }
  const out: RegistryAuth[] = [];
  const seen = new Map<string, string>();
  for (const { where, fields, problem } of entries) {
    if (problem) authError(where, problem);
    const notPlain = AUTH_KEYS.find((k) => fields[k] !== undefined && typeof fields[k] !== 'string');
    if (notPlain) authError(where, `${notPlain} must be a plain value, not a list or mapping`);
    const { registry = '', username = '', password = '' } = fields as Partial<Record<AuthKey, string>>;
    const missing = AUTH_KEYS.filter((k) => !fields[k]);
    if (missing.length > 0) authError(where, `the credentials for '${registry || '(no registry)'}' have no ${missing.join(' and ')}`);
    const host = parseRegistry(registry);
    if (host === undefined) authError(where, `'${registry}' is not ${REGISTRY_HELP}`);
    if (/\s/.test(username)) authError(where, `the user name '${username}' contains white space`);
    const earlier = seen.get(host);
    if (earlier) authError(where, `${host} has credentials on ${earlier} already: give one a registry`);
    seen.set(host, where);
    out.push({ registry: host, username, password });
  }
  return out;
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
    if (val && looksSecret(name)) maskSecret(val);
    out[name] = val;
  }
  return out;
}

const HUB_DESCRIPTION_HELP = 'expected auto (README.md of the build context, else of the repository root), off, or the path of a file in the workspace';

/** The `dockerhub-description` input: auto, off, or a file inside the workspace that exists (checked before any work). */
export function parseHubDescription(value: string, workspace: string): Inputs['dockerhubDescription'] {
  const v = value.trim();
  if (!v || v.toLowerCase() === 'auto') return 'auto';
  if (v.toLowerCase() === 'off') return 'off';
  const file = insideWorkspace('dockerhub-description', v, workspace);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) fail('dockerhub-description', v, `no such file (${file}); ${HUB_DESCRIPTION_HELP}`);
  return file;
}

/** Whether reading the inputs reads YAML (`rules`, a `registry-auth` list): then the caller loads it first (loadYaml). */
export function inputsNeedYaml(get: Get = defaultGet): boolean {
  return Boolean(get('rules').trim()) || isYamlList(get('registry-auth'));
}

export function readInputs(workspace: string, get: Get = defaultGet): Inputs {
  // Secrets first: masked before anything could print them.
  const password = get('password');
  const githubToken = get('github-token');
  maskSecret(password);
  maskSecret(githubToken);
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

  const dockerhubDescription = parseHubDescription(get('dockerhub-description'), workspace);

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
    distribute: splitList(get('distribute')),
    tags: parseTagRules(get('tags')),
    rules: parseRules(get('rules')),
    flavor: parseFlavor(get('flavor')),
    cache: oneOf(get, 'cache', CACHE_MODES, 'auto'),
    check: oneOf(get, 'check', CHECK_MODES, 'warn'),
    compression: parseCompression(get('compression')),
    testCommand: get('test-command').trim(),
    testOptions: parseTestOptions(get('test-options')),
    testCompose,
    hooks: oneOf(get, 'hooks', ['auto', 'off'] as const, 'auto'),
    allowUntrustedHostCode: bool(get, 'allow-untrusted-host-code', false),
    buildEnv,
    push: oneOf(get, 'push', ['auto', 'true', 'false'] as const, 'auto'),
    rebuild: oneOf(get, 'rebuild', REBUILD_MODES, 'always'),
    prPreview: bool(get, 'pr-preview', false),
    registryAuth,
    githubToken,
    dockerhubDescription,
    timeout: parseTimeouts(get('timeout')),
  };
  if (inputs.testOptions.length && !inputs.testCommand) {
    throw new UserError(
      `Input 'test-options' is set but 'test-command' is empty: the options are for the test-command container (an autotest file sets its own in the compose file). Give a test-command, or leave test-options out.`,
    );
  }
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
  // What buildx hands the build as secrets is masked like the inputs that are.
  for (const name of secretEnvNames(inputs.secrets)) maskSecret(process.env[name]);
  core.debug(`inputs: ${JSON.stringify({ ...inputs, password: inputs.password ? '***' : '', githubToken: inputs.githubToken ? '***' : '', registryAuth: inputs.registryAuth.map((r) => ({ ...r, password: '***' })), buildEnv: Object.keys(inputs.buildEnv), testOptions: inputs.testOptions.map((o) => o.name) })}`);
  return inputs;
}
