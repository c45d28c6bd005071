import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../src/phases/summary.js';
import { makeRepo, testRepositories } from './fixtures.js';
import { GitHubApi, TOKEN_USER } from './github-api.js';
import { FAKE_TOKEN, pullRequestEvent, pushEvent, runAction, shownLog, type ActionRun } from './runner.js';
import { BASE_IMAGE, REGISTRY, REGISTRY_PASSWORD, REGISTRY_USER, registryDigest, registryTags } from './world.js';

const newRepo = testRepositories();

const credentials = { username: REGISTRY_USER, password: REGISTRY_PASSWORD };

/** Lines that say why nothing was pushed. */
function notPushingLines(run: ActionRun): string[] {
  return run.stdout.split('\n').filter((l) => l.startsWith('Not pushing:'));
}

function tagNames(run: ActionRun): string[] {
  return (run.outputs.tags ?? '').split('\n').filter(Boolean).map((r) => r.slice(r.lastIndexOf(':') + 1));
}

async function withApi(fn: (api: GitHubApi) => Promise<void>): Promise<void> {
  const api = await GitHubApi.start();
  try {
    await fn(api);
  } finally {
    await api.close();
  }
}

describe('pull requests', () => {
  it('builds and tests a fork pull request, pushes nothing, never logs in, says why once, writes nothing to GitHub', () =>
    withApi(async (api) => {
      const app = makeRepo();
      const repo = newRepo('fork');
      const run = await runAction({
        workspace: app.dir,
        event: pullRequestEvent(11, app.sha, { fork: true }),
        inputs: { image: `${REGISTRY}/${repo}`, ...credentials, 'pr-preview': 'true', 'test-command': 'echo FORK-TEST-RAN' },
        env: { GITHUB_API_URL: api.url },
      });
      expect(run.code, run.stdout).toBe(0);
      expect(run.stdout).toContain('FORK-TEST-RAN');
      expect(run.stdout).not.toContain('Logged in');
      expect(run.stdout).not.toContain('::group::login');
      expect(notPushingLines(run)).toEqual(['Not pushing: pull request #11 comes from a fork: build and test only, never push.']);
      // No registry refusal anywhere in the log: nothing tried to push, and the registry cache of a
      // private registry is not read without credentials (BuildKit would print a 401 error for it).
      expect(run.stdout).not.toMatch(/\b403\b|denied|unauthorized|cache importer|^ERROR/im);
      expect(run.stdout).toContain(
        `Cache: no cache: the cache is not read: pull request #11 comes from a fork, so no credentials are used, and ${REGISTRY} refuses anonymous reads of ${repo} (HTTP 401)`,
      );
      expect(run.stdout).not.toContain('--cache-from');
      expect(await registryTags(repo)).toEqual([]);
      expect(run.outputs.pushed).toBe('false');
      expect(run.outputs.digest).toBe('');
      expect(api.requests).toEqual([]);
      expect(run.summary).toContain('**Push:** no: pull request #11 comes from a fork');
    }));

  it('builds and tests a same-repository pull request without credentials, pushes nothing and says so', () =>
    withApi(async (api) => {
      const app = makeRepo();
      const repo = newRepo('nocreds');
      const run = await runAction({
        workspace: app.dir,
        event: pullRequestEvent(12, app.sha),
        inputs: { image: `${REGISTRY}/${repo}`, 'pr-preview': 'true', 'test-command': 'true' },
        env: { GITHUB_API_URL: api.url },
      });
      expect(run.code, run.stdout).toBe(0);
      expect(run.stdout).not.toContain('Logged in');
      const reason = `no credentials for ${REGISTRY}: pull request #12 is built and tested, not pushed`;
      expect(notPushingLines(run)).toHaveLength(1);
      expect(notPushingLines(run)[0]).toContain(reason);
      expect(run.stdout).toContain(`Push: no, ${reason}`);
      expect(run.stdout).not.toMatch(/::error::|denied|unauthorized|cache importer|^ERROR/im);
      expect(run.stdout).toContain(`the cache is not read: this run has no credentials for ${REGISTRY}`);
      expect(await registryTags(repo)).toEqual([]);
      expect(run.summary).toContain(`**Push:** no: ${reason}`);
      // The comment says the same, instead of a pull command that would not work.
      const [comment, ...more] = api.commentsOn(12);
      expect(more).toEqual([]);
      expect(comment!.body).toContain(`Built and tested, not pushed: ${reason}`);
      expect(comment!.body).not.toContain('docker pull');
    }));

  it('pushes a preview of a same-repository pull request and keeps one comment up to date', () =>
    withApi(async (api) => {
      const app = makeRepo();
      const repo = newRepo('preview');
      const image = `${REGISTRY}/${repo}`;
      const inputs = { image, ...credentials, 'pr-preview': 'true' };
      // A long discussion (more than one page), one reply quoting an earlier preview comment.
      for (let i = 0; i < 120; i++) api.seed(21, `review comment ${i}`);
      const quote = api.seed(21, `> <!-- autobuild-preview ${image} -->\n> looks good`);
      const first = await runAction({
        workspace: app.dir,
        event: pullRequestEvent(21, app.sha),
        inputs: { ...inputs, 'test-command': 'test "$(/app.sh)" = "hello from app"' },
        env: { GITHUB_API_URL: api.url },
      });
      expect(first.code, first.stdout).toBe(0);
      const firstSha = app.sha;
      app.commit({ 'app.sh': '#!/bin/sh\necho "hello again"\n' }, 'second change');
      const second = await runAction({
        workspace: app.dir,
        event: pullRequestEvent(21, app.sha),
        inputs: { ...inputs, 'test-command': 'test "$(/app.sh)" = "hello again"' },
        env: { GITHUB_API_URL: api.url },
      });
      expect(second.code, second.stdout).toBe(0);

      // Both pushes reached the real registry; pr-21 follows the pull request's head.
      expect(second.outputs.pushed).toBe('true');
      expect(second.outputs.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
      expect(second.outputs.digest).not.toBe(first.outputs.digest);
      expect(tagNames(second)).toContain('pr-21');
      expect(tagNames(second)).toContain(`pr-21-${app.sha.slice(0, 7)}`);
      expect(await registryTags(repo)).toEqual([...new Set([...tagNames(first), ...tagNames(second)])].sort());
      expect(await registryDigest(repo, 'pr-21')).toBe(second.outputs.digest);

      // One comment, written then edited.
      expect(api.writes().map((r) => r.method)).toEqual(['POST', 'PATCH']);
      for (const r of api.requests) expect(r.authorization).toBe(`token ${FAKE_TOKEN}`);
      expect(api.requests.filter((r) => r.method === 'GET' && r.path.includes('page=2'))).toHaveLength(2);
      const comments = api.commentsOn(21).filter((c) => c.body.startsWith('<!-- autobuild-preview'));
      expect(comments).toHaveLength(1);
      expect(api.commentsOn(21)).toHaveLength(122);
      expect(quote.body).toContain('looks good');
      const body = comments[0]!.body;
      expect(body).toContain(`<!-- autobuild-preview ${image} -->`);
      expect(body).toContain(`docker pull ${image}:pr-21`);
      expect(body).toContain(`| digest | \`${second.outputs.digest}\` |`);
      expect(body).toContain(`[\`${app.sha.slice(0, 7)}\`](https://github.com/acme/webapp/commit/${app.sha})`);
      expect(body).toContain('| tests | passed: `test-command: test "$(/app.sh)" = "hello again"`');
      expect(body).toMatch(/\| size \| \d+(\.\d+)? (B|kB|MB) \|/);
      expect(body).toContain('https://github.com/acme/webapp/actions/runs/1234');
      expect(body).not.toContain(firstSha);
      expect(body).not.toContain(REGISTRY_PASSWORD);
      expect(body).not.toContain(FAKE_TOKEN);
      expect(second.stdout).toContain(`Updated the preview comment on pull request #21: https://github.com/acme/webapp/pull/21#issuecomment-${comments[0]!.id}.`);
      expect(second.summary).toContain(`[pull request comment](https://github.com/acme/webapp/pull/21#issuecomment-${comments[0]!.id})`);
      for (const text of [shownLog(first), shownLog(second), first.summary, second.summary]) {
        expect(text).not.toContain(REGISTRY_PASSWORD);
        expect(text).not.toContain(FAKE_TOKEN);
      }
    }));

  it('turns the comment into a failure report when a later commit fails its tests, keeping the last good pull command', () =>
    withApi(async (api) => {
      const app = makeRepo();
      const repo = newRepo('prfail');
      const image = `${REGISTRY}/${repo}`;
      const inputs = { image, ...credentials, 'pr-preview': 'true' };
      const good = await runAction({ workspace: app.dir, event: pullRequestEvent(31, app.sha), inputs: { ...inputs, 'test-command': 'true' }, env: { GITHUB_API_URL: api.url } });
      expect(good.code, good.stdout).toBe(0);
      const goodSha = app.sha;
      app.commit({ 'app.sh': '#!/bin/sh\necho broken\n' }, 'break it');
      const bad = await runAction({
        workspace: app.dir,
        event: pullRequestEvent(31, app.sha),
        inputs: { ...inputs, 'test-command': 'echo "expected 200, got 500" >&2; exit 4' },
        env: { GITHUB_API_URL: api.url },
      });
      expect(bad.code).not.toBe(0);
      expect(bad.outputs.pushed).toBe('false');
      // The preview tag still holds the commit that passed.
      expect(await registryDigest(repo, 'pr-31')).toBe(good.outputs.digest);

      const comments = api.commentsOn(31);
      expect(comments).toHaveLength(1);
      const body = comments[0]!.body;
      expect(body).toContain(`### Preview image: failed for [\`${app.sha.slice(0, 7)}\`]`);
      expect(body).toContain('**The test command failed (exit 4)');
      expect(body).toContain("| tests | **failed**: `test-command: echo \"expected 200, got 500\" >&2; exit 4`");
      expect(body).toContain(`The last preview that passed, from [\`${goodSha.slice(0, 7)}\`]`);
      expect(body).toContain(`docker pull ${image}:pr-31`);
      expect(body).not.toContain(good.outputs.digest!.slice(7) + '` |');
    }));

  it('redacts from the comment a build secret that a failing build printed (the runner masks the log, not API calls)', () =>
    withApi(async (api) => {
      const token = 'npm_e2eBuildSecretThatMustNotBePublished42';
      const app = makeRepo({
        Dockerfile: `FROM ${BASE_IMAGE}\nRUN --mount=type=secret,id=npm sh -c 'echo "using token $(cat /run/secrets/npm)"; exit 3'\n`,
      });
      const repo = newRepo('prsecret');
      const run = await runAction({
        workspace: app.dir,
        event: pullRequestEvent(33, app.sha),
        inputs: { image: `${REGISTRY}/${repo}`, ...credentials, 'pr-preview': 'true', secrets: 'id=npm,env=NPM_TOKEN' },
        env: { GITHUB_API_URL: api.url, NPM_TOKEN: token },
      });
      expect(run.code).not.toBe(0);
      // The build printed it (the runner masks it in the log: the action registered it).
      expect(run.stdout).toContain(`::add-mask::${token}`);
      const comments = api.commentsOn(33);
      expect(comments).toHaveLength(1);
      expect(comments[0]!.body).toContain('using token ***');
      for (const r of api.requests) expect(JSON.stringify(r.body ?? {})).not.toContain(token);
    }));

  it('edits only a comment its own token wrote: an outsider\'s comment with the marker and a forged last good preview is left alone and never read', () =>
    withApi(async (api) => {
      const app = makeRepo();
      const repo = newRepo('prforged');
      const image = `${REGISTRY}/${repo}`;
      const forgedDigest = `sha256:${'e'.repeat(64)}`;
      const forged = api.seed(
        34,
        `<!-- autobuild-preview ${image} -->\n<!-- autobuild-last-good ref=evil.example/x:1 sha=${'d'.repeat(40)} digest=${forgedDigest} -->\nPull evil.example/x:1`,
        'mallory',
      );
      const forgedBody = forged.body;
      const run = await runAction({
        workspace: app.dir,
        event: pullRequestEvent(34, app.sha),
        inputs: { image, ...credentials, 'pr-preview': 'true', 'test-command': 'echo "expected 200, got 500" >&2; exit 4' },
        env: { GITHUB_API_URL: api.url },
      });
      expect(run.code).not.toBe(0);
      expect(forged.body).toBe(forgedBody);
      expect(api.writes().map((r) => `${r.method} ${r.path}`)).toEqual(['POST /repos/acme/webapp/issues/34/comments']);
      const ours = api.commentsOn(34).filter((c) => c.author === 'github-actions[bot]');
      expect(ours).toHaveLength(1);
      expect(ours[0]!.body).not.toContain('evil.example');
      expect(ours[0]!.body).not.toContain(forgedDigest);
      expect(run.summary).toContain(`#issuecomment-${ours[0]!.id})`);
      expect(run.summary).not.toContain(`#issuecomment-${forged.id})`);
    }));

  it('with a personal token: its user\'s comment is the one kept up to date', () =>
    withApi(async (api) => {
      const app = makeRepo();
      const repo = newRepo('prpat');
      const image = `${REGISTRY}/${repo}`;
      const inputs = { image, ...credentials, 'pr-preview': 'true', 'test-command': 'true', 'github-token': 'ghp_e2ePersonalTokenNeverPrinted000001' };
      for (const _ of [1, 2]) {
        const run = await runAction({ workspace: app.dir, event: pullRequestEvent(35, app.sha), inputs, env: { GITHUB_API_URL: api.url } });
        expect(run.code, run.stdout).toBe(0);
      }
      expect(api.writes().map((r) => r.method)).toEqual(['POST', 'PATCH']);
      expect(api.commentsOn(35).map((c) => c.author)).toEqual([TOKEN_USER]);
      expect(api.requests.filter((r) => r.path === '/user')).toHaveLength(2);
    }));

  it('warns once and still succeeds when the token may not write pull-request comments', () =>
    withApi(async (api) => {
      api.forbidden = true;
      const app = makeRepo();
      const repo = newRepo('noperm');
      const run = await runAction({
        workspace: app.dir,
        event: pullRequestEvent(41, app.sha),
        inputs: { image: `${REGISTRY}/${repo}`, ...credentials, 'pr-preview': 'true', 'test-command': 'true' },
        env: { GITHUB_API_URL: api.url },
      });
      expect(run.code, run.stdout).toBe(0);
      expect(run.outputs.pushed).toBe('true');
      expect(await registryTags(repo)).toContain('pr-41');
      const warnings = run.stdout.split('\n').filter((l) => l.startsWith('::warning'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('title=Preview comment not written');
      expect(warnings[0]).toContain('GitHub answered 403 (Resource not accessible by integration)');
      expect(warnings[0]).toContain('permissions: pull-requests: write');
      expect(run.stdout).not.toContain('::error');
      expect(api.writes()).toHaveLength(1);
      expect(api.comments).toEqual([]);
    }));
});

describe('closing a pull request', () => {
  it('deletes that pull request\'s preview tags from the registry, keeps every other tag, and says so in the comment', () =>
    withApi(async (api) => {
      const app = makeRepo();
      const repo = newRepo('closed');
      const image = `${REGISTRY}/${repo}`;
      const inputs = { image, ...credentials, 'pr-preview': 'true' };
      const main = await runAction({ workspace: app.dir, event: pushEvent('refs/heads/main', app.sha), inputs });
      expect(main.code, main.stdout).toBe(0);
      app.commit({ 'app.sh': '#!/bin/sh\necho "preview"\n' }, 'preview change');
      const preview = await runAction({ workspace: app.dir, event: pullRequestEvent(41, app.sha), inputs, env: { GITHUB_API_URL: api.url } });
      expect(preview.code, preview.stdout).toBe(0);
      const short = app.sha.slice(0, 7);
      expect(await registryTags(repo)).toEqual(expect.arrayContaining(['pr-41', `pr-41-${short}`, 'latest']));

      const closed = await runAction({
        workspace: app.dir,
        event: pullRequestEvent(41, app.sha, { action: 'closed' }),
        inputs,
        env: { GITHUB_API_URL: api.url },
      });
      expect(closed.code, closed.stdout).toBe(0);
      expect(closed.stdout).not.toContain('::group::build');
      // The preview is gone; the default branch's tags (its sha- tag among them) stay.
      expect(await registryTags(repo)).toEqual(tagNames(main).sort());
      expect(await registryDigest(repo, 'latest')).toBe(main.outputs.digest);
      expect(closed.stdout).toContain(`Removed ${image}:pr-41, ${image}:pr-41-${short} (`);
      expect(closed.summary).toContain(`- removed \`${image}:pr-41\``);
      const comments = api.commentsOn(41);
      expect(comments).toHaveLength(1);
      expect(comments[0]!.body).toContain('### Preview image: removed');
      expect(comments[0]!.body).toContain(`- \`${image}:pr-41-${short}\``);
      expect(api.writes().map((r) => r.method)).toEqual(['POST', 'PATCH']);
    }));
});

describe('releases', () => {
  it('leads the job summary with the release: every tag with its reference, digest, size and base image', async () => {
    const app = makeRepo();
    app.git('tag', 'v1.2.3');
    const repo = newRepo('release');
    const run = await runAction({
      workspace: app.dir,
      event: pushEvent('refs/tags/v1.2.3', app.sha),
      inputs: { image: `${REGISTRY}/${repo}`, ...credentials, 'test-command': 'true' },
    });
    expect(run.code, run.stdout).toBe(0);
    expect(run.summary.startsWith('## Release 1.2.3\n')).toBe(true);
    const release = run.summary.slice(0, run.summary.indexOf('## autobuild:'));
    const refs = run.outputs.tags!.split('\n');
    expect(refs.length).toBeGreaterThanOrEqual(4);
    for (const ref of refs) expect(release).toContain(`| \`${ref.slice(ref.lastIndexOf(':') + 1)}\` | \`${ref}\` |`);
    expect(await registryTags(repo)).toEqual(tagNames(run).sort());
    expect(release).toContain(`- **Digest:** \`${run.outputs.digest}\``);
    expect(await registryDigest(repo, '1.2.3')).toBe(run.outputs.digest);
    const size = Number(execFileSync('docker', ['image', 'inspect', '--format', '{{.Size}}', run.outputs.imageid!], { encoding: 'utf8' }).trim());
    expect(release).toContain(`- **Size:** ${formatBytes(size)}`);
    expect(release).toContain(`- **Base image:** \`${BASE_IMAGE}\``);
    expect(release).toContain(`docker pull ${REGISTRY}/${repo}:1.2.3`);
    const metadata = JSON.parse(run.outputs.metadata!) as { builds: { size: number; baseImage: string }[] };
    expect(metadata.builds[0]).toMatchObject({ size, baseImage: BASE_IMAGE });
  });
});
