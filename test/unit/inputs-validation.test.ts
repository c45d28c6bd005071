import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { DEFAULT_TIMEOUTS, parseDuration, parseTimeouts, readInputs } from '../../src/inputs.js';
import { stdoutOf } from './stdout.js';

const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-inputs-'));
const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-outside-'));
fs.mkdirSync(path.join(workspace, 'app'));
fs.symlinkSync(outside, path.join(workspace, 'escape'));
afterAll(() => {
  fs.rmSync(workspace, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

/** readInputs with these inputs (and the action.yml defaults a runner fills in). */
function read(given: Record<string, string>): ReturnType<typeof readInputs> {
  const defaults: Record<string, string> = { context: '.', cache: 'auto', 'test-compose': 'auto', hooks: 'auto', push: 'auto', 'pr-preview': 'false' };
  const all: Record<string, string> = { image: 'localhost:5000/acme/app', ...defaults, ...given };
  return readInputs(workspace, (name) => all[name] ?? '');
}

function errorOf(given: Record<string, string>): string {
  try {
    read(given);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as Error).message;
  }
  throw new Error(`no error for ${JSON.stringify(given)}`);
}


describe('timeout', () => {
  it.each([
    ['90s', 90_000],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['2m30s', 150_000],
    [' 5M ', 300_000],
  ])('reads the duration %j', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '0s', '10', '-5m', '1.5h', '10 minutes', 'm', '30m1h'])('refuses the duration %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('keeps the defaults for the phases it leaves out', () => {
    expect(parseTimeouts('')).toEqual(DEFAULT_TIMEOUTS);
    expect(parseTimeouts('test=2m')).toEqual({ ...DEFAULT_TIMEOUTS, test: 120_000 });
    expect(parseTimeouts('build=90m\npush=1h, login=30s')).toEqual({ login: 30_000, build: 5_400_000, test: 600_000, push: 3_600_000 });
  });

  it('has the same defaults as action.yml', () => {
    const yml = fs.readFileSync(path.resolve(import.meta.dirname, '../../action.yml'), 'utf8');
    const def = /\n {2}timeout:\n(?: {4}.*\n)*? {4}default: (.*)\n/.exec(yml)?.[1];
    expect(def).toBeDefined();
    expect(parseTimeouts(def!)).toEqual(DEFAULT_TIMEOUTS);
  });

  it.each([
    ['30m', "Input 'timeout' has an invalid value '30m': expected phase=duration pairs"],
    ['tests=5m', "Input 'timeout' has an invalid value 'tests=5m': expected phase=duration pairs, comma or newline separated, with phases login, build, test, push"],
    ['test=5', "Input 'timeout' has an invalid value 'test=5'"],
    ['test=0s', "Input 'timeout' has an invalid value 'test=0s'"],
    ['test=5m,test=6m', "Input 'timeout' has an invalid value 'test=6m': test is given twice"],
  ])('explains what is wrong with %j', (value, message) => {
    expect(errorOf({ timeout: value })).toContain(message);
  });
});

describe('bad input names the input, the value and what is accepted', () => {
  it.each([
    [{ cache: 's3' }, "Input 'cache' has an invalid value 's3': expected one of auto, registry, gha, local, inline, off"],
    [{ check: 'strict' }, "Input 'check' has an invalid value 'strict': expected one of warn, error, off"],
    [{ push: 'maybe' }, "Input 'push' has an invalid value 'maybe': expected one of auto, true, false"],
    [{ 'pr-preview': 'sometimes' }, "Input 'pr-preview' has an invalid value 'sometimes': expected true or false"],
    [{ hooks: 'on' }, "Input 'hooks' has an invalid value 'on': expected one of auto, off"],
    [{ image: 'acme/app:1.0' }, "Input 'image' has an invalid value 'acme/app:1.0': it contains a tag"],
    [{ image: 'https://ghcr.io/acme/app' }, "Input 'image' has an invalid value 'https://ghcr.io/acme/app'"],
    [{ image: 'ghcr.io/acme/app@sha256:abc' }, 'it contains a digest'],
    [{ context: '../other' }, "Input 'context' has an invalid value '../other': it must stay inside the workspace"],
    [{ context: '/etc' }, "Input 'context' has an invalid value '/etc': it must stay inside the workspace"],
    [{ context: 'escape' }, "Input 'context' has an invalid value 'escape': it must stay inside the workspace"],
    [{ file: '../Dockerfile' }, "Input 'file' has an invalid value '../Dockerfile': it must stay inside the workspace"],
    [{ file: 'app/../../Dockerfile' }, "Input 'file' has an invalid value 'app/../../Dockerfile'"],
    [{ file: 'escape/Dockerfile' }, "Input 'file' has an invalid value 'escape/Dockerfile'"],
    [{ 'test-compose': 'docker-compose.test.yml, ../x.yml' }, "Input 'test-compose' has an invalid value '../x.yml'"],
    [{ 'build-args': 'not a name=1' }, "Input 'build-args' has an invalid value 'not a name=...': expected one NAME=value a line"],
    [{ labels: 'no-equals-sign' }, "Input 'labels' has an invalid value 'no-equals-sign': expected one key=value a line"],
    [{ secrets: 'env=NPM_TOKEN' }, "Input 'secrets' has an invalid value 'env=...': it has no id=; expected one secret a line as id=NAME,env=VARIABLE or id=NAME,src=PATH"],
    [{ secrets: 'id=npm,value=hunter2' }, "Input 'secrets' has an invalid value 'id=...,value=...': 'value' is not a key of a secret"],
    [{ platforms: 'linux/amd64, amd64' }, "Input 'platforms' has an invalid value 'amd64': expected os/arch[/variant] such as linux/amd64"],
    [{ platforms: 'Linux/AMD64' }, "Input 'platforms' has an invalid value 'Linux/AMD64'"],
    [{ target: 'my stage' }, "Input 'target' has an invalid value 'my stage': expected the name of a build stage"],
    [{ username: 'two words' }, "Input 'username' has an invalid value 'two words': a user name contains no white space"],
    [{ password: 'p' }, "Input 'password' is set but 'username' is empty"],
    [{ 'registry-auth': 'registry=ghcr.io,username=u' }, "Input 'registry-auth', line 1: the credentials for 'ghcr.io' have no password; accepted: one registry a line as registry=HOST,username=USER,password=SECRET"],
    [{ rules: 'source-type: branch' }, "Input 'rules' must be a YAML list of rules"],
    [{ rules: "- source-type: tag\n  source: /^v([0-9.]+$/\n  tag: '{\\1}'" }, "Input 'rules', rule 1: source /^v([0-9.]+$/ is not a valid regular expression"],
    [{ rules: '- source-type: commit\n  source: main\n  tag: latest' }, "Input 'rules', rule 1: source-type 'commit' is not accepted (expected branch or tag)"],
    [{ rules: '- source-type: branch\n  source: main\n  tag: latest\n  context: ../../' }, "Input 'rules', rule 1: context '../../' leaves the repository"],
    [{ rules: '- source-type: branch\n  source: main\n  tag: latest\n  dockerfile: ../Dockerfile' }, "Input 'rules', rule 1: dockerfile '../Dockerfile' leaves the repository"],
  ])('%j', (given, message) => {
    expect(errorOf(given)).toContain(message);
  });

  it('never quotes what follows = in a secrets or build-args line', () => {
    expect(errorOf({ secrets: 'MY_TOKEN=s3cr3t-value' })).not.toContain('s3cr3t-value');
    expect(errorOf({ 'build-args': 'bad name=s3cr3t-value' })).not.toContain('s3cr3t-value');
  });
});

describe('accepted input', () => {
  it('takes paths inside the workspace, absolute or through ..', () => {
    const inputs = read({ context: 'app/../app', file: `${workspace}/app/Dockerfile` });
    expect(inputs.context).toBe(path.join(workspace, 'app'));
    expect(inputs.file).toBe(path.join(workspace, 'app', 'Dockerfile'));
  });

  it('takes secrets, platforms and targets docker understands', () => {
    const inputs = read({ secrets: 'id=npm,env=NPM_TOKEN\nid=ssh,src=/tmp/key\nid=GIT_AUTH', platforms: 'linux/amd64,linux/arm64/v8', target: 'runtime-1.2' });
    expect(inputs.secrets).toHaveLength(3);
    expect(inputs.platforms).toEqual(['linux/amd64', 'linux/arm64/v8']);
  });

  it('takes rule paths that stay inside (Docker Hub: context from the root, / is the root)', () => {
    expect(read({ rules: '- source-type: branch\n  source: main\n  tag: latest\n  context: /app\n  dockerfile: Dockerfile' }).rules).toHaveLength(1);
  });
});

describe('build-args that look like secrets', () => {
  it.each(['NPM_TOKEN', 'DB_PASSWORD', 'api_key', 'AWS_SECRET_ACCESS_KEY'])('%s gets a warning pointing to secrets, and its value is masked', (name) => {
    const out = stdoutOf(() => read({ 'build-args': `${name}=s3cr3t-value\nVERSION=1` }));
    expect(out).toContain(`::warning::Input 'build-args' sets ${name}, which looks like a secret`);
    expect(out).toContain("'secrets' input");
    // The runner hides a masked value from every later line: the mask must come first.
    expect(out.indexOf('::add-mask::s3cr3t-value')).toBeGreaterThanOrEqual(0);
    expect(out.indexOf('s3cr3t-value')).toBe(out.indexOf('::add-mask::s3cr3t-value') + '::add-mask::'.length);
  });

  it('plain build-args get none', () => {
    expect(stdoutOf(() => read({ 'build-args': 'VERSION=1\nNODE_ENV=production' }))).not.toContain('::warning::');
  });
});

describe('secrets are masked before anything else', () => {
  it('registers password, token and registry-auth passwords as secrets, even when a later input is bad', () => {
    const out = stdoutOf(() => {
      expect(() => read({ username: 'u', password: 'pw-1', 'github-token': 'tok-2', 'registry-auth': 'registry=ghcr.io,username=x,password=pw-3', cache: 'bogus' })).toThrow(
        UserError,
      );
    });
    for (const secret of ['pw-1', 'tok-2', 'pw-3']) expect(out).toContain(`::add-mask::${secret}`);
  });
});
