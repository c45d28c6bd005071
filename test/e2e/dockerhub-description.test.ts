import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DockerHubApi } from './dockerhub-api.js';
import { APP_FILES, makeRepo, type Repo } from './fixtures.js';
import { pullRequestEvent, pushEvent, runAction, shownLog, workflowCommands, type ActionRun, type Event } from './runner.js';

/**
 * The README as the Docker Hub description (input dockerhub-description), against a recording
 * stand-in for Docker Hub's API on 127.0.0.1 (dockerhub-api.ts), reached through
 * AUTOBUILD_DOCKERHUB_API_URL as a runner's step would reach Docker Hub.
 *
 * The feature applies only to Docker Hub repositories that the run pushed to, and the test world
 * cannot reach Docker Hub. So, honestly about what is real here:
 * - the image is a Docker Hub name (docker.io/e2e-hubdesc/...), built and tested on the real engine;
 * - its push is the repository's own `hooks/push` (Docker Hub repositories commonly have one),
 *   which autobuild runs in place of the push: the push phase completes for the Docker Hub name
 *   without the network, as it does for any hooks/push;
 * - `docker login docker.io` (the login phase, with the same user name and token the description
 *   update then uses) is answered by a `docker` in front of the real one, which records the user
 *   and passes every other command through: the only thing stood in for besides Docker Hub's API.
 * What is under test, the decision, the README read, the login for a token and the update with
 * it, the warnings and the summary, runs unchanged in the bundled action.
 */

const HUB_USER = 'hubuser';
const HUB_TOKEN = 'dckr_pat_e2eHubTokenNeverPrinted01';
const README = '# webapp\n\nA small app, built by autobuild.\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n';
const LONG_DESCRIPTION = 'A web app that says hello, built, tested and pushed by autobuild from one step, with a description longer than Docker Hub takes.';

let hub: DockerHubApi;
let shim: string;
let app: Repo;
const temps: string[] = [];

beforeAll(async () => {
  hub = await DockerHubApi.start(HUB_USER, HUB_TOKEN);
  shim = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-e2e-hubdocker-'));
  temps.push(shim);
  const real = execFileSync('sh', ['-c', 'command -v docker'], { encoding: 'utf8' }).trim();
  // Docker Hub's login, stood in for: the user is recorded, the password read from stdin and kept nowhere.
  fs.writeFileSync(
    path.join(shim, 'docker'),
    `#!/bin/sh
if [ "$1" = login ] && [ "$2" = docker.io ]; then
  cat >/dev/null
  echo "$4" >> "${shim}/logins"
  echo "Login Succeeded"
  exit 0
fi
exec ${real} "$@"
`,
    { mode: 0o755 },
  );
  app = makeRepo({
    ...APP_FILES,
    'README.md': README,
    'docs/HUB.md': '# webapp on Docker Hub\n',
    'hooks/push': '#!/bin/sh\necho "hooks/push: $IMAGE_NAME stays here (the test world has no Docker Hub)"\n',
  });
});

afterEach(() => {
  hub.reset();
  fs.rmSync(path.join(shim, 'logins'), { force: true });
});

afterAll(async () => {
  await hub.close();
  // The Docker Hub names the runs put on the tested image (for hooks/push).
  const names = execFileSync('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}'], { encoding: 'utf8' })
    .split('\n')
    .filter((n) => n.startsWith('e2e-hubdesc/'));
  if (names.length) execFileSync('docker', ['image', 'rm', '--force', ...names], { stdio: 'ignore' });
  for (const dir of [...temps, app.dir]) fs.rmSync(dir, { recursive: true, force: true });
});

function image(): string {
  return `docker.io/e2e-hubdesc/app-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

async function run(event: Event, inputs: Record<string, string> = {}, workspace = app.dir): Promise<ActionRun & { image: string }> {
  const name = inputs.image ?? image();
  const r = await runAction({
    workspace,
    event,
    inputs: { image: name, username: HUB_USER, password: HUB_TOKEN, cache: 'off', ...inputs },
    env: { PATH: `${shim}:${process.env.PATH}`, AUTOBUILD_DOCKERHUB_API_URL: hub.url },
  });
  // Never a credential in the log, the summary or the outputs.
  for (const text of [shownLog(r), r.summary, JSON.stringify(r.outputs)]) {
    expect(text).not.toContain(HUB_TOKEN);
    expect(text).not.toMatch(/hub-jwt-\d+-e2e/);
  }
  return { ...r, image: name };
}

function warnings(r: ActionRun): string[] {
  return workflowCommands(r.stdout).filter((c) => c.command === 'warning').map((c) => `${c.properties} ${c.value}`);
}

function metadata(r: ActionRun): Record<string, any> {
  return JSON.parse(r.outputs.metadata!) as Record<string, any>;
}

describe('dockerhub-description', () => {
  it('a push of the default branch: logs in with the same user and token and sends the README and the short description', async () => {
    const event = pushEvent('refs/heads/main', app.sha);
    (event.payload.repository as Record<string, unknown>).description = LONG_DESCRIPTION;
    const r = await run(event);
    expect(r.code, shownLog(r)).toBe(0);
    const repo = r.image.replace('docker.io/', '');
    expect(r.stdout).toContain(`hooks/push replaced the push to ${r.image}.`);
    const planned = r.stdout.indexOf(`Docker Hub description: README.md (${Buffer.byteLength(README)} bytes) to ${r.image} once the pushes succeed\n`);
    expect(planned, 'the Plan group says it before any work').toBeGreaterThan(-1);
    expect(planned).toBeLessThan(r.stdout.indexOf('hooks/push replaced the push'));
    expect(fs.readFileSync(path.join(shim, 'logins'), 'utf8').trim()).toBe(HUB_USER);
    expect(hub.requests.map((q) => `${q.method} ${q.path}`)).toEqual(['POST /v2/users/login', `PATCH /v2/repositories/${repo}/`]);
    expect(hub.requests[0]!.body).toEqual({ username: HUB_USER, password: HUB_TOKEN });
    expect(hub.requests[1]!.authorization).toBe('Bearer hub-jwt-1-e2e');
    expect(hub.repositories.get(repo)).toEqual({ full_description: README, description: LONG_DESCRIPTION.slice(0, 100).trimEnd() });
    expect(r.stdout).toContain(`Docker Hub's short description takes 100, so it is cut to: ${LONG_DESCRIPTION.slice(0, 100).trimEnd()}`);
    expect(r.stdout).toContain(`Docker Hub description: updated ${r.image} from README.md (${Buffer.byteLength(README)} bytes)`);
    expect(r.summary).toContain(`**Docker Hub description:** updated \`${r.image}\` from \`README.md\` (${Buffer.byteLength(README)} bytes, short description cut to 100 characters)`);
    expect(metadata(r).dockerhubDescription).toMatchObject({ updated: true, repositories: [r.image], file: 'README.md', short: 'cut' });
    expect(warnings(r)).toEqual([]);
  });

  it('a path: that file is sent', async () => {
    const r = await run(pushEvent('refs/heads/main', app.sha), { 'dockerhub-description': 'docs/HUB.md' });
    expect(r.code, shownLog(r)).toBe(0);
    expect(hub.repositories.get(r.image.replace('docker.io/', ''))).toEqual({ full_description: '# webapp on Docker Hub\n', description: 'Test app' });
  });

  const nothingSent: [string, () => Event, Record<string, string>, RegExp][] = [
    ['a branch push', () => pushEvent('refs/heads/feature', app.sha), {}, /not updated \(`docker\.io\/[^)]+`\): branch 'feature' is not the default branch \(main\)/],
    ['a pull request', () => pullRequestEvent(7, app.sha), {}, /not updated \(`[^)]+`\): pull request \\#&#8203;7 is not the default branch/],
    ['a pull request from a fork', () => pullRequestEvent(8, app.sha, { fork: true }), {}, /not updated \(`[^)]+`\): the code is not a writer's \(pull request \\#&#8203;8 comes from a fork\)/],
    ['dockerhub-description: off', () => pushEvent('refs/heads/main', app.sha), { 'dockerhub-description': 'off' }, /not updated \(`[^)]+`\): dockerhub-description: off/],
    ['push: false', () => pushEvent('refs/heads/main', app.sha), { push: 'false' }, /not updated \(`[^)]+`\): nothing is pushed \(push: false\)/],
  ];
  it.each(nothingSent)('%s: nothing reaches Docker Hub', async (_name, event, inputs, said) => {
    const r = await run(event(), inputs);
    expect(r.code, shownLog(r)).toBe(0);
    expect(hub.requests).toEqual([]);
    expect(r.summary).toMatch(new RegExp(`\\*\\*Docker Hub description:\\*\\* ${said.source}`));
    expect(metadata(r).dockerhubDescription).toMatchObject({ updated: false });
    expect(warnings(r)).toEqual([]);
  });

  it('Docker Hub refusing the update (403): a warning naming the repository and the answer, the step green', async () => {
    hub.forbidden = true;
    const r = await run(pushEvent('refs/heads/main', app.sha));
    expect(r.code, shownLog(r)).toBe(0);
    expect(hub.requests.map((q) => q.method)).toEqual(['POST', 'PATCH']);
    expect(warnings(r)).toEqual([
      `title=Docker Hub description not updated The Docker Hub description of ${r.image} was not updated: HTTP 403: You do not have permission to perform this action. (an access token needs the scope 'Read, Write, Delete' to change a repository's description). The image was pushed; the description is left as it was (dockerhub-description: off stops these updates).`,
    ]);
    expect(r.summary).toContain(`**Docker Hub description:** not updated (\`${r.image}\`): HTTP 403: You do not have permission to perform this action.`);
    expect(r.summary).toContain('## autobuild: built and tested');
  });

  it('a wrong token: the login is refused, a warning, the step green', async () => {
    const r = await run(pushEvent('refs/heads/main', app.sha), { password: 'dckr_pat_wrongTokenE2E' });
    expect(r.code, shownLog(r)).toBe(0);
    expect(hub.requests.map((q) => `${q.method} ${q.path}`)).toEqual(['POST /v2/users/login']);
    expect(warnings(r)[0]).toContain(`Docker Hub's login refused user '${HUB_USER}' (from username/password): HTTP 401: Incorrect authentication credentials`);
    expect(shownLog(r)).not.toContain('dckr_pat_wrongTokenE2E');
  });

  it('a README over 25,000 bytes: a warning with its size, nothing sent', async () => {
    const big = makeRepo({ ...APP_FILES, 'README.md': `# big\n${'x'.repeat(25_000)}\n`, 'hooks/push': '#!/bin/sh\ntrue\n' });
    temps.push(big.dir);
    const r = await run(pushEvent('refs/heads/main', big.sha), {}, big.dir);
    expect(r.code, shownLog(r)).toBe(0);
    expect(hub.requests).toEqual([]);
    expect(warnings(r)).toEqual([
      `title=Docker Hub description not updated README.md is 25007 bytes, over Docker Hub's limit of 25000 bytes: the description of ${r.image} was not updated (nothing was sent). Shorten it, or set dockerhub-description to the path of a shorter file.`,
    ]);
    expect(r.summary).toContain("README.md is 25007 bytes, over Docker Hub's limit of 25000 bytes");
  });

  it('auto without a README: a log line, nothing sent, no warning', async () => {
    const bare = makeRepo({ ...APP_FILES, 'hooks/push': '#!/bin/sh\ntrue\n' });
    temps.push(bare.dir);
    const r = await run(pushEvent('refs/heads/main', bare.sha), {}, bare.dir);
    expect(r.code, shownLog(r)).toBe(0);
    expect(hub.requests).toEqual([]);
    expect(r.stdout).toContain('Docker Hub description: not updated, no README.md in the repository root.');
    expect(warnings(r)).toEqual([]);
  });
});
