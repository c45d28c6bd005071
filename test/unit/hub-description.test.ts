import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FetchInit, FetchResponse } from '../../src/engine/http.js';
import { UserError } from '../../src/errors.js';
import { parseHubDescription, type Inputs } from '../../src/inputs.js';
import {
  decideHubDescription,
  DOCKERHUB_API,
  DOCKERHUB_API_ENV,
  findReadme,
  hubDescriptionBody,
  hubDescriptionPlanLine,
  hubDescriptionWords,
  sendHubDescription,
  shortDescription,
} from '../../src/phases/hub-description.js';
import type { BuildReport } from '../../src/phases/report.js';
import { summaryMarkdown } from '../../src/phases/summary.js';
import { report } from './report-fixtures.js';
import { parseImage, type ImageRef } from '../../src/plan/images.js';
import { decidePush } from '../../src/plan/plan.js';
import { decideTrust } from '../../src/plan/trust.js';
import type { Facts } from '../../src/context.js';
import { pullRequest, push, schedule, tagPush } from './facts.js';

const image = (name: string): ImageRef => parseImage(name) as ImageRef;
const HUB = image('acme/app');
const GHCR = image('ghcr.io/acme/app');

const credentials = { username: 'acme', password: 'dckr_pat_secret', registryAuth: [], githubToken: '' };
const inputs = (more: Partial<Inputs> = {}): Pick<Inputs, 'dockerhubDescription' | 'username' | 'password' | 'registryAuth' | 'githubToken' | 'push' | 'prPreview'> => ({
  dockerhubDescription: 'auto',
  push: 'auto',
  prPreview: false,
  ...credentials,
  ...more,
});

function pushedBuild(images: ImageRef[], more: Partial<BuildReport> = {}): BuildReport {
  const refs = images.map((i) => `${i.name}:latest`);
  return { name: 'default', tags: [{ tag: 'latest', why: 'x' }], refs, pushedRefs: refs, version: 'latest', labels: {}, tests: [], ...more };
}

/** The decision for a run of these facts that pushed every image (as the pipeline would have). */
function decide(facts: Facts, opts: { images?: ImageRef[]; inputs?: Partial<Inputs>; builds?: BuildReport[] } = {}) {
  const images = opts.images ?? [HUB];
  const i = inputs(opts.inputs);
  const trust = decideTrust(facts);
  let push;
  try {
    push = decidePush(facts, i, trust);
  } catch {
    push = { enabled: false, reason: 'refused' };
  }
  return decideHubDescription(facts, i, { images, push, trust }, { builds: opts.builds ?? [pushedBuild(images)] });
}

describe('when the Docker Hub description is updated', () => {
  it('after a push of the default branch to a Docker Hub repository, with its credentials', () => {
    const d = decide(push('main'));
    expect(d).toMatchObject({ update: true, repositories: [HUB], credential: { registry: 'docker.io', username: 'acme', from: 'username/password' } });
  });

  it('with registry-auth for docker.io: its user and token', () => {
    const d = decide(push('main'), { inputs: { username: '', password: '', registryAuth: [{ registry: 'docker.io', username: 'bot', password: 'tok' }] } });
    expect(d).toMatchObject({ update: true, credential: { username: 'bot', password: 'tok', from: 'registry-auth' } });
  });

  it('also on a schedule of the default branch (a rebuild of the same README)', () => {
    expect(decide(schedule(), { inputs: { push: 'true' } })).toMatchObject({ update: true });
  });

  it('only for the Docker Hub repositories of image', () => {
    expect(decide(push('main'), { images: [HUB, GHCR] })).toMatchObject({ update: true, repositories: [HUB] });
    expect(decide(push('main'), { images: [GHCR] })).toBeUndefined();
  });

  it('when hooks/push replaced the push', () => {
    const b = pushedBuild([HUB], { pushedRefs: [], hooks: ['push'] });
    expect(decide(push('main'), { builds: [b] })).toMatchObject({ update: true });
  });

  it('never on another branch, a tag, a pull request or a fork', () => {
    expect(decide(push('feature'))).toMatchObject({ update: false, reason: "branch 'feature' is not the default branch (main): only a push of the default branch updates it" });
    expect(decide(tagPush('v1.2.3'))).toMatchObject({ update: false, reason: expect.stringContaining("tag 'v1.2.3' is not the default branch") });
    expect(decide(pullRequest(7), { inputs: { prPreview: true } })).toMatchObject({ update: false, reason: expect.stringContaining('pull request #7 is not the default branch') });
    const fork = pullRequest(8, { pr: { number: 8, fork: true, headRef: 'main', action: 'synchronize' }, branch: 'main' });
    expect(decide(fork)).toMatchObject({ update: false, reason: expect.stringContaining("the code is not a writer's") });
  });

  it('not with dockerhub-description: off, push: false, without credentials, or when nothing reached Docker Hub', () => {
    expect(decide(push('main'), { inputs: { dockerhubDescription: 'off' } })).toMatchObject({ update: false, reason: 'dockerhub-description: off' });
    expect(decide(push('main'), { inputs: { push: 'false' } })).toMatchObject({ update: false, reason: 'nothing is pushed (push: false)' });
    expect(decide(push('main'), { inputs: { username: '', password: '' } })).toMatchObject({ update: false, reason: expect.stringContaining('no Docker Hub credentials') });
    expect(decide(push('main'), { builds: [pushedBuild([HUB], { pushedRefs: [] })] })).toMatchObject({ update: false, reason: 'nothing was pushed to Docker Hub' });
  });

  it('not for a name Docker Hub has no repository for (namespace/name only)', () => {
    const deep = image('docker.io/acme/group/app');
    expect(decide(push('main'), { images: [deep] })).toMatchObject({ update: false, reason: expect.stringContaining('not a Docker Hub repository name') });
  });
});

describe('what is sent', () => {
  it('the README whole and the repository description', () => {
    expect(hubDescriptionBody('# App\n', 'A small app')).toEqual({ body: { full_description: '# App\n', description: 'A small app' }, bytes: 6, short: 'sent' });
  });

  it('no short description when the repository has none (Docker Hub keeps its own)', () => {
    expect(hubDescriptionBody('# App\n', undefined)).toMatchObject({ body: { full_description: '# App\n' }, short: 'none' });
    expect(hubDescriptionBody('# App\n', '  ')).toMatchObject({ short: 'none' });
    expect('description' in (hubDescriptionBody('x', '') as { body: object }).body).toBe(false);
  });

  it('cuts the short description to 100 characters, at a character (not a byte)', () => {
    const long = 'é'.repeat(60) + ' ' + '🐳'.repeat(60);
    const s = shortDescription(long);
    expect(Array.from(s.text!)).toHaveLength(100);
    expect(s.cut).toBe(121);
    expect(s.text!.endsWith('\ud83d')).toBe(false);
    expect(shortDescription('x'.repeat(100))).toEqual({ text: 'x'.repeat(100) });
    expect(hubDescriptionBody('r', 'y'.repeat(150))).toMatchObject({ short: 'cut', cutFrom: 150, body: { description: 'y'.repeat(100) } });
  });

  it('nothing over 25,000 bytes, counted in UTF-8', () => {
    expect(hubDescriptionBody('a'.repeat(25_000), 'd')).toMatchObject({ bytes: 25_000 });
    expect(hubDescriptionBody('a'.repeat(25_001), 'd')).toEqual({ tooLarge: 25_001 });
    // 12,501 two-byte characters: 25,002 bytes.
    expect(hubDescriptionBody('é'.repeat(12_501), 'd')).toEqual({ tooLarge: 25_002 });
  });

  it('the summary line says what happened', () => {
    expect(hubDescriptionWords({ updated: true, repositories: ['docker.io/acme/app'], file: 'README.md', bytes: 120, short: 'sent' })).toBe('updated docker.io/acme/app from README.md (120 bytes, with the short description)');
    expect(hubDescriptionWords({ updated: false, repositories: ['docker.io/acme/app'], reason: 'dockerhub-description: off' })).toBe('not updated (docker.io/acme/app): dockerhub-description: off');
    const md = summaryMarkdown(report({ dockerhubDescription: { updated: false, repositories: ['docker.io/acme/app'], reason: 'HTTP 400: <b>no</b> | *x*' } }));
    expect(md).toContain('**Docker Hub description:** not updated (`docker.io/acme/app`): HTTP 400: &lt;b&gt;no&lt;/b&gt; \\| \\*x\\*');
  });
});

describe("the Plan group's line", () => {
  const ws = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-hubplan-')));
  afterAll(() => fs.rmSync(ws, { recursive: true, force: true }));
  fs.writeFileSync(path.join(ws, 'README.md'), '# app\n');
  fs.mkdirSync(path.join(ws, 'big'));
  fs.writeFileSync(path.join(ws, 'big', 'README.md'), 'x'.repeat(25_001));
  fs.mkdirSync(path.join(ws, 'none'));

  /** The line for a run of these facts, planned as decide() plans it, with the build's context in `ws`. */
  function line(facts: Facts, opts: { images?: ImageRef[]; inputs?: Partial<Inputs>; context?: string; credentials?: 'known' | 'at-run-time' } = {}) {
    const i = { ...inputs(opts.inputs), context: ws };
    const trust = decideTrust(facts);
    const push = decidePush(facts, i, trust);
    const builds = [{ context: path.join(ws, opts.context ?? '') }];
    return hubDescriptionPlanLine({ ...facts, workspace: ws }, i, { images: opts.images ?? [HUB], push, trust, builds } as never, opts.credentials);
  }

  it('names the README, its size and the repositories on a push of the default branch', () => {
    expect(line(push('main'))).toBe('Docker Hub description: README.md (6 bytes) to docker.io/acme/app once the pushes succeed');
  });

  it('says why not, with the reason the run gives', () => {
    expect(line(push('feature'))).toBe("Docker Hub description: not updated, branch 'feature' is not the default branch (main): only a push of the default branch updates it");
    expect(line(push('main'), { inputs: { dockerhubDescription: 'off' } })).toBe('Docker Hub description: not updated, dockerhub-description: off');
    expect(line(push('main'), { inputs: { username: '', password: '' } })).toContain('not updated, no Docker Hub credentials');
    expect(line(push('main'), { context: 'big' })).toBe("Docker Hub description: not updated, big/README.md is 25001 bytes, over Docker Hub's limit of 25000 bytes");
    expect(line(push('main'), { images: [image('docker.io/acme/group/app')] })).toContain('not updated, docker.io/acme/group/app is not a Docker Hub repository name');
  });

  it('autobuild plan, which sees no credentials, says the update needs them', () => {
    expect(line(push('main'), { inputs: { username: '', password: '' }, credentials: 'at-run-time' })).toBe(
      "Docker Hub description: README.md (6 bytes) to docker.io/acme/app once the pushes succeed, with the run's Docker Hub credentials (username and password, or registry-auth for docker.io)",
    );
  });

  it('no line for an image with no Docker Hub repository', () => {
    expect(line(push('main'), { images: [GHCR] })).toBeUndefined();
  });
});

describe('which README', () => {
  const ws = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-hubdesc-')));
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-hubdesc-out-'));
  afterAll(() => {
    fs.rmSync(ws, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });
  fs.mkdirSync(path.join(ws, 'app'));
  fs.mkdirSync(path.join(ws, 'other'));
  fs.mkdirSync(path.join(ws, 'linked'));
  fs.writeFileSync(path.join(ws, 'README.md'), 'root');
  fs.writeFileSync(path.join(ws, 'app', 'Readme.md'), 'app');
  fs.writeFileSync(path.join(outside, 'secret.md'), 'secret');
  fs.symlinkSync(path.join(outside, 'secret.md'), path.join(ws, 'linked', 'README.md'));

  it('auto: the build context first, then the repository root', () => {
    expect(findReadme('auto', path.join(ws, 'app'), ws)).toEqual({ file: path.join(ws, 'app', 'Readme.md') });
    expect(findReadme('auto', path.join(ws, 'other'), ws)).toEqual({ file: path.join(ws, 'README.md') });
  });

  it('never a README that leads outside the workspace', () => {
    expect(findReadme('auto', path.join(ws, 'linked'), ws)).toEqual({ missing: 'linked/README.md leads outside the workspace (a symbolic link): not read' });
  });

  it('none found: a reason, no error', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-hubdesc-empty-'));
    try {
      expect(findReadme('auto', empty, empty)).toEqual({ missing: 'no README.md in the repository root' });
    } finally {
      fs.rmSync(empty, { recursive: true });
    }
  });

  it('the input: auto, off, or a file inside the workspace that exists', () => {
    expect(parseHubDescription('', ws)).toBe('auto');
    expect(parseHubDescription('AUTO', ws)).toBe('auto');
    expect(parseHubDescription('off', ws)).toBe('off');
    expect(parseHubDescription('app/Readme.md', ws)).toBe(path.join(ws, 'app', 'Readme.md'));
    expect(() => parseHubDescription('docs/HUB.md', ws)).toThrow(UserError);
    expect(() => parseHubDescription('docs/HUB.md', ws)).toThrow("Input 'dockerhub-description' has an invalid value 'docs/HUB.md': no such file");
    expect(() => parseHubDescription('../x.md', ws)).toThrow('it must stay inside the workspace');
    expect(() => parseHubDescription('linked/README.md', ws)).toThrow('it must stay inside the workspace');
  });
});

describe("Docker Hub's API", () => {
  interface Call {
    url: string;
    init: FetchInit;
  }
  function answer(status: number, json: unknown): FetchResponse {
    return {
      status,
      ok: status >= 200 && status < 300,
      headers: { get: () => null },
      json: async () => json,
      arrayBuffer: async () => new ArrayBuffer(0),
      body: { cancel: async () => undefined },
    };
  }
  function fake(answers: (FetchResponse | Error)[]): { calls: Call[]; fetch: (url: string, init: FetchInit) => Promise<FetchResponse> } {
    const calls: Call[] = [];
    return {
      calls,
      fetch: async (url, init) => {
        calls.push({ url, init });
        const next = answers.shift() ?? answer(500, {});
        if (next instanceof Error) throw next;
        return next;
      },
    };
  }
  const cred = { registry: 'docker.io', username: 'acme', password: 'dckr_pat_x', from: 'username/password' };
  const noWait = async (): Promise<void> => undefined;

  it('logs in for a token, then updates each repository with it', async () => {
    const api = fake([answer(200, { token: 'jwt-1' }), answer(200, {})]);
    const refused = await sendHubDescription(cred, [HUB], { full_description: '# App', description: 'd' }, { fetch: api.fetch, env: {}, wait: noWait });
    expect(refused).toEqual([]);
    expect(api.calls.map((c) => `${c.init.method} ${c.url}`)).toEqual([`POST ${DOCKERHUB_API}/v2/users/login`, `PATCH ${DOCKERHUB_API}/v2/repositories/acme/app/`]);
    expect(JSON.parse(api.calls[0]!.init.body as string)).toEqual({ username: 'acme', password: 'dckr_pat_x' });
    expect(api.calls[1]!.init.headers.authorization).toBe('Bearer jwt-1');
    expect(JSON.parse(api.calls[1]!.init.body as string)).toEqual({ full_description: '# App', description: 'd' });
    expect(api.calls.every((c) => c.init.signal)).toBe(true);
  });

  it(`goes to ${DOCKERHUB_API_ENV} when set`, async () => {
    const api = fake([answer(200, { token: 'jwt-token-2' }), answer(200, {})]);
    await sendHubDescription(cred, [HUB], { full_description: 'x' }, { fetch: api.fetch, env: { [DOCKERHUB_API_ENV]: 'http://127.0.0.1:1234/' }, wait: noWait });
    expect(api.calls[0]!.url).toBe('http://127.0.0.1:1234/v2/users/login');
  });

  it('a refused login or update is an answer, not an error', async () => {
    const login = fake([answer(401, { detail: 'Incorrect authentication credentials' })]);
    const r1 = await sendHubDescription(cred, [HUB], { full_description: 'x' }, { fetch: login.fetch, env: {}, wait: noWait });
    expect(r1).toEqual([{ repository: 'docker.io/acme/app', answer: expect.stringContaining("Docker Hub's login refused user 'acme' (from username/password): HTTP 401: Incorrect authentication credentials") }]);
    expect(login.calls).toHaveLength(1);
    const update = fake([answer(200, { token: 'jwt-token-2' }), answer(403, { detail: 'You do not have permission to perform this action.' })]);
    const r2 = await sendHubDescription(cred, [HUB], { full_description: 'x' }, { fetch: update.fetch, env: {}, wait: noWait });
    expect(r2[0]!.answer).toContain('HTTP 403: You do not have permission to perform this action.');
    expect(r2[0]!.answer).toContain("'Read, Write, Delete'");
  });

  it('tries a transient fault once more, and no more', async () => {
    const flaky = fake([answer(503, {}), answer(200, { token: 'jwt-token-2' }), Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } }), answer(200, {})]);
    expect(await sendHubDescription(cred, [HUB], { full_description: 'x' }, { fetch: flaky.fetch, env: {}, wait: noWait })).toEqual([]);
    expect(flaky.calls).toHaveLength(4);
    const down = fake([answer(502, {}), answer(502, {})]);
    const r = await sendHubDescription(cred, [HUB], { full_description: 'x' }, { fetch: down.fetch, env: {}, wait: noWait });
    expect(r[0]!.answer).toContain('HTTP 502');
    expect(down.calls).toHaveLength(2);
  });
});
