import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { credentialsFor } from '../../src/engine/login.js';
import { UserError } from '../../src/errors.js';
import { readInputs, type RegistryAuth } from '../../src/inputs.js';
import { stdoutOf } from './stdout.js';

/**
 * The `registry-auth` input (design.md: "more credentials, one registry a line or YAML:
 * registry, username, password"), fed to readInputs as a runner gives it.
 */
const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-registry-auth-'));
afterAll(() => fs.rmSync(workspace, { recursive: true, force: true }));

function read(given: Record<string, string>): ReturnType<typeof readInputs> {
  const defaults: Record<string, string> = { context: '.', cache: 'auto', 'test-compose': 'auto', hooks: 'auto', push: 'auto', 'pr-preview': 'false' };
  const all: Record<string, string> = { image: 'localhost:5000/acme/app', ...defaults, ...given };
  return readInputs(workspace, (name) => all[name] ?? '');
}

/** `read`, with what it writes (masks, debug lines) kept out of the test log. */
function quietly(given: Record<string, string>): ReturnType<typeof readInputs> {
  let inputs: ReturnType<typeof readInputs> | undefined;
  stdoutOf(() => (inputs = read(given)));
  return inputs!;
}


const masks = (out: string): string[] => [...out.matchAll(/^::add-mask::(.*)$/gm)].map((m) => m[1]!);

function errorOf(auth: string): { message: string; out: string } {
  let message = '';
  const out = stdoutOf(() => {
    try {
      read({ 'registry-auth': auth });
    } catch (error) {
      expect(error).toBeInstanceOf(UserError);
      message = (error as Error).message;
    }
  });
  if (!message) throw new Error(`no error for ${JSON.stringify(auth)}`);
  return { message, out };
}

const hub = (username: string, password: string): RegistryAuth => ({ registry: 'docker.io', username, password });
const ghcr = (username: string, password: string): RegistryAuth => ({ registry: 'ghcr.io', username, password });

describe('registry-auth: accepted forms', () => {
  it.each<[string, string, RegistryAuth[]]>([
    ['line form', 'registry=ghcr.io,username=u,password=p1', [ghcr('u', 'p1')]],
    ['line form, keys in any order, spaces after commas', 'password=p1, username=u , registry=ghcr.io', [ghcr('u', 'p1')]],
    ['line form, a quoted field holds commas', 'registry=ghcr.io,username=u,"password=a,b,c"', [ghcr('u', 'a,b,c')]],
    ['line form, a quoted field holds a doubled quote', 'registry=ghcr.io,username=u,"password=a""b"', [ghcr('u', 'a"b')]],
    ['line form, = inside the password (split at the first =)', 'registry=ghcr.io,username=u,password=a=b==', [ghcr('u', 'a=b==')]],
    ['line form, a quote inside an unquoted password', 'registry=ghcr.io,username=u,password=a"b', [ghcr('u', 'a"b')]],
    ['line form, several lines with comments and blank lines', '# extra registries\nregistry=ghcr.io,username=u,password=p1\n\nregistry=localhost:5000,username=v,password=p2\n', [ghcr('u', 'p1'), { registry: 'localhost:5000', username: 'v', password: 'p2' }]],
    ['line form, Windows line ends', 'registry=ghcr.io,username=u,password=p1\r\nregistry=docker.io,username=v,password=p2\r\n', [ghcr('u', 'p1'), hub('v', 'p2')]],
    ['YAML list', '- registry: docker.io\n  username: u\n  password: p1', [hub('u', 'p1')]],
    ['YAML list of two, comments', '# more\n- registry: docker.io\n  username: u\n  password: p1\n- registry: ghcr.io\n  username: v\n  password: p2\n', [hub('u', 'p1'), ghcr('v', 'p2')]],
    ['YAML list, quoted values keep ": " and " #"', "- registry: ghcr.io\n  username: u\n  password: 'a: b #c,d=e'", [ghcr('u', 'a: b #c,d=e')]],
    ['YAML list, a number-like password stays as written', '- registry: ghcr.io\n  username: u\n  password: 0123', [ghcr('u', '0123')]],
    ['YAML flow list', '[{registry: ghcr.io, username: u, password: p1}]', [ghcr('u', 'p1')]],
  ])('%s', (_, auth, expected) => {
    expect(quietly({ 'registry-auth': auth }).registryAuth).toEqual(expected);
  });

  it.each([
    'docker.io',
    'index.docker.io',
    'registry-1.docker.io',
    'registry.hub.docker.com',
    'Registry.Hub.Docker.com',
    'https://index.docker.io/v1/',
  ])('%s is Docker Hub, in both forms, and is used for Docker Hub images', (registry) => {
    for (const auth of [`registry=${registry},username=u,password=p1`, `- registry: ${registry}\n  username: u\n  password: p1`]) {
      const inputs = quietly({ 'registry-auth': auth, image: 'acme/app' });
      expect(inputs.registryAuth).toEqual([hub('u', 'p1')]);
      expect(credentialsFor(inputs.images, inputs)).toEqual([{ ...hub('u', 'p1'), from: 'registry-auth' }]);
    }
  });
});

describe('registry-auth: only passwords are masked, before anything else', () => {
  it.each([
    ['line form', 'registry=docker.io,username=u,password=p-one', ['p-one']],
    ['line form, quoted password with a comma: all of it', 'registry=docker.io,username=u,"password=p,two"', ['p,two']],
    ['line form, password with =: all of it', 'registry=docker.io,username=u,password=p=three', ['p=three']],
    ['YAML form: not a word of a line', '- registry: docker.io\n  username: u\n  password: p-four\n- registry: ghcr.io\n  username: v\n  password: p-five', ['p-four', 'p-five']],
  ])('%s', (_, auth, expected) => {
    expect(masks(stdoutOf(() => read({ 'registry-auth': auth })))).toEqual(expected);
  });

  it.each([
    ['line form', 'registry=ghcr.io,username=u,password=p-one\nregistry=ghcr.io,username=u,"password=broken\nregistry=docker.io,username=v,password=p-two'],
    ['YAML form', '- registry: ghcr.io\n  username: u\n  password: p-one\n- registry: nohost\n  username: v\n  password: p-two'],
  ])('every readable password is masked even when a later entry is bad (%s)', (_, auth) => {
    const { out } = errorOf(auth);
    expect(masks(out)).toEqual(['p-one', 'p-two']);
  });
});

describe('registry-auth: errors name the input, the line and what is accepted, never the password', () => {
  const ACCEPTED = 'accepted: one registry a line as registry=HOST,username=USER,password=SECRET';
  it.each<[string, string, string]>([
    ['registry=ghcr.io,username=u', "Input 'registry-auth', line 1: the credentials for 'ghcr.io' have no password", ''],
    ['registry=ghcr.io,username=u,password=', "Input 'registry-auth', line 1: the credentials for 'ghcr.io' have no password", ''],
    ['# c\nregistry=ghcr.io,username=u,"password=s3cr3t,x', "Input 'registry-auth', line 2: its fields cannot be read (a quote is not closed", 's3cr3t'],
    ['registry=ghcr.io,username=u,"password=s3cr3t"x"', "Input 'registry-auth', line 1: its fields cannot be read", 's3cr3t'],
    ['registry=ghcr.io,username=u,password=s3cr3t,more', "Input 'registry-auth', line 1: field 4 is not registry=, username= or password=", 'more'],
    ['registry=ghcr.io,username=u,password=s3cr3t,fr4gment=v', "Input 'registry-auth', line 1: field 4 is not registry=, username= or password=", 'fr4gment'],
    ['registry=ghcr.io,username=u,password=a,password=s3cr3t', "Input 'registry-auth', line 1: password= is given twice", 's3cr3t'],
    ['ghcr.io octocat s3cr3t', "Input 'registry-auth', line 1: it is not key=value fields (the form HOST USER PASSWORD is not accepted)", 's3cr3t'],
    ['registry: ghcr.io\nusername: u\npassword: s3cr3t', "Input 'registry-auth', line 1: it looks like YAML, but the YAML form is a list", 's3cr3t'],
    ['registry=nohost,username=u,password=s3cr3t', "Input 'registry-auth', line 1: 'nohost' is not a registry host such as docker.io, ghcr.io or localhost:5000", 's3cr3t'],
    ['registry=ghcr.io,username=two words,password=s3cr3t', "Input 'registry-auth', line 1: the user name 'two words' contains white space", 's3cr3t'],
    ['registry=docker.io,username=u,password=a\nregistry=index.docker.io,username=v,password=s3cr3t', "Input 'registry-auth', line 2: docker.io has credentials on line 1 already", 's3cr3t'],
    ['- registry: docker.io\n  username: u', "Input 'registry-auth', line 1 (item 1): the credentials for 'docker.io' have no password", ''],
    ['- registry: ghcr.io\n  username: u\n  password: s3cr3t\n- username: v\n  password: s3cr3t2', "Input 'registry-auth', line 4 (item 2): the credentials for '(no registry)' have no registry", 's3cr3t'],
    ['- registry: ghcr.io\n  username: u\n  passwd: s3cr3t', "Input 'registry-auth', line 1 (item 1): 'passwd' is not a key of a credential (keys: registry, username, password)", 's3cr3t'],
    ['- registry: ghcr.io\n  username: u\n  password: [s3cr3t]', "Input 'registry-auth', line 1 (item 1): password must be a plain value, not a list or mapping", 's3cr3t'],
    ['- ghcr.io u s3cr3t', "Input 'registry-auth', line 1 (item 1): the item is not a mapping", 's3cr3t'],
    ['- registry: ghcr.io\n  username: u\n  password: "s3cr3t\\q"', "Input 'registry-auth' is not valid YAML (line 3, column", 's3cr3t'],
    ['- registry: ghcr.io\n  username: u\n  password: "s3cr3t', "Input 'registry-auth' is not valid YAML (line 3, column", 's3cr3t'],
    ['- registry: ghcr.io\n  username: u\n  password: !s3cr3t', "Input 'registry-auth' is not valid YAML (line 3, column 13", 's3cr3t'],
    ['- registry: ghcr.io\n  username: u\n  password: a\n  password: s3cr3t', "Input 'registry-auth' is not valid YAML (line 4", 's3cr3t'],
  ])('%j', (auth, expected, secret) => {
    const { message, out } = errorOf(auth);
    expect(message).toContain(expected);
    expect(message).toContain(ACCEPTED);
    expect(message).toContain('or a YAML list of mappings with the keys registry, username and password');
    if (secret) {
      expect(message).not.toContain(secret);
      // The YAML parser's own warnings (which quote the text) are not printed either.
      expect(out.replace(/^::add-mask::.*$/gm, '')).not.toContain(secret);
    }
  });
});

describe('registry-auth: the README examples', () => {
  const readme = fs.readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');
  const section = /### More registries: `registry-auth`\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';
  const examples = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

  it('shows both forms', () => {
    expect(examples).toHaveLength(2);
  });

  it.each(examples.map((e, i) => [i + 1, e]))('example %i is accepted, as the runner would pass it', (_, example) => {
    const doc = parse(example) as { with?: Record<string, string>; 'registry-auth'?: string };
    let n = 0;
    // The runner puts the variables and secrets in first; a secret with a comma or a quote goes in the quoted field.
    const auth = (doc.with?.['registry-auth'] ?? doc['registry-auth'] ?? '').replace(/\$\{\{ (vars|secrets)\.\w+ \}\}/g, (_m, kind: string) =>
      kind === 'vars' ? 'hubuser' : ++n === 1 ? 's3cr3t=1' : 's3cr3t,2',
    );
    expect(quietly({ 'registry-auth': auth }).registryAuth).toEqual([hub('hubuser', 's3cr3t=1'), { registry: 'registry.example.com', username: 'ci', password: 's3cr3t,2' }]);
  });
});
