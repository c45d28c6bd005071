import { describe, expect, it } from 'vitest';
import { APP_FILES, makeRepo, testRepositories } from './fixtures.js';
import { GitHubApi } from './github-api.js';
import { issueCommentEvent, pullRequestTargetEvent, runAction, workflowRunEvent } from './runner.js';
import { REGISTRY, REGISTRY_PASSWORD, REGISTRY_USER, registryTags } from './world.js';

// Events that carry the repository's secrets but may build someone else's code: the code's author
// decides what runs on the runner, what logs in and what is pushed, never the event's ref.
const newRepo = testRepositories();
const credentials = { username: REGISTRY_USER, password: REGISTRY_PASSWORD };

/** A fork's repository that tries every way onto the runner: a hook, and a compose autotest. */
const FORK_FILES: Record<string, string> = {
  ...APP_FILES,
  'hooks/pre_build': '#!/bin/sh\necho "HOOK-RAN token=${ACTIONS_RUNTIME_TOKEN:-none}"\n',
  'docker-compose.test.yml': 'services:\n  sut:\n    build: .\n    command: echo COMPOSE-SUT-RAN\n',
};

async function withApi<T>(fn: (api: GitHubApi) => Promise<T>): Promise<T> {
  const api = await GitHubApi.start();
  try {
    return await fn(api);
  } finally {
    await api.close();
  }
}

describe('who wrote the code decides, not the event', () => {
  it("pull_request_target with a fork's code: test-command runs in the image; no hook, no compose file, no login, no push", () =>
    withApi(async (api) => {
      const app = makeRepo(FORK_FILES);
      const repo = newRepo('prt-fork');
      const run = await runAction({
        workspace: app.dir,
        event: pullRequestTargetEvent(21, app.sha, { fork: true }),
        inputs: { image: `${REGISTRY}/${repo}`, ...credentials, 'pr-preview': 'true', 'test-command': 'echo IN-IMAGE-TEST-RAN' },
        env: { GITHUB_API_URL: api.url, ACTIONS_RUNTIME_TOKEN: 'runtime-token-of-the-runner' },
      });
      expect(run.code, run.stdout).toBe(0);
      expect(run.stdout).toContain('IN-IMAGE-TEST-RAN');
      expect(run.stdout).not.toContain('HOOK-RAN');
      expect(run.stdout).not.toContain('COMPOSE-SUT-RAN');
      expect(run.stdout).toContain('Code from: a fork (pull request #21 comes from a fork); hooks/ and autotest compose files do not run');
      expect(run.stdout).toMatch(/Hooks of default \(hooks\): pre_build \(not run: pull request #21 comes from a fork\)/);
      expect(run.stdout).toMatch(/Autotest of default: docker-compose\.test\.yml \(not run:/);
      expect(run.stdout).not.toContain('::group::login');
      expect(run.stdout).toContain('Event: pull_request_target on refs/pull/21/merge');
      expect(run.stdout).not.toMatch(/^  tag (latest|main) /m);
      expect(run.outputs.pushed).toBe('false');
      expect(await registryTags(repo)).toEqual([]);
      expect(api.requests).toEqual([]);
    }));

  it("a fork's Dockerfile gets no build secret, even where the event has it", async () => {
    const app = makeRepo({
      ...APP_FILES,
      Dockerfile: `${APP_FILES.Dockerfile}RUN --mount=type=secret,id=npm cat /run/secrets/npm 2>/dev/null || echo NO-SECRET-HERE\n`,
    });
    const run = await runAction({
      workspace: app.dir,
      event: pullRequestTargetEvent(24, app.sha, { fork: true }),
      inputs: { image: `${REGISTRY}/${newRepo('prt-secret')}`, secrets: 'id=npm,env=NPM_TOKEN' },
      env: { NPM_TOKEN: 'npm-token-of-the-repository' },
    });
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain("note: the build secrets of 'secrets' are not given to this build: pull request #24 comes from a fork");
    expect(run.stdout).toContain('NO-SECRET-HERE');
    // Masked (the secrets input names it), and nowhere else.
    expect(run.stdout.split('\n').filter((l) => l.includes('npm-token-of-the-repository'))).toEqual(['::add-mask::npm-token-of-the-repository']);
    expect(run.stdout).not.toContain('--secret');
  });

  it('allow-untrusted-host-code: true runs the hook, with the allow-listed environment only', async () => {
    const app = makeRepo({ ...APP_FILES, 'hooks/pre_build': FORK_FILES['hooks/pre_build']! });
    const run = await runAction({
      workspace: app.dir,
      event: pullRequestTargetEvent(22, app.sha, { fork: true }),
      inputs: { image: `${REGISTRY}/${newRepo('prt-allowed')}`, 'allow-untrusted-host-code': 'true' },
      env: { ACTIONS_RUNTIME_TOKEN: 'runtime-token-of-the-runner' },
    });
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain('hooks/ and autotest compose files run on the runner (allow-untrusted-host-code: true)');
    expect(run.stdout).toContain('HOOK-RAN token=none');
    expect(run.stdout).not.toContain('runtime-token-of-the-runner');
  });

  it("workflow_run after a fork's pull request: the fork's commit is built and tested, never pushed as the default branch", async () => {
    const app = makeRepo(FORK_FILES);
    const repo = newRepo('wfrun-fork');
    const run = await runAction({
      workspace: app.dir,
      event: workflowRunEvent('pull_request', app.sha, { fork: true }),
      inputs: { image: `${REGISTRY}/${repo}`, ...credentials, 'test-command': 'echo IN-IMAGE-TEST-RAN' },
    });
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain('IN-IMAGE-TEST-RAN');
    expect(run.stdout).not.toContain('HOOK-RAN');
    expect(run.stdout).toContain(`Commit: ${app.sha}`);
    expect(run.stdout).toMatch(/Push: no, workflow_run after pull_request from the fork contributor\/webapp: build and test only, never push/);
    expect(run.stdout).not.toMatch(/^  tag (latest|main) /m);
    expect(run.outputs.pushed).toBe('false');
    expect(await registryTags(repo)).toEqual([]);
  });

  it('issue_comment on a pull request: the checked-out commit, pr-<N>, nothing pushed by push: auto', async () => {
    const app = makeRepo(FORK_FILES);
    const repo = newRepo('comment');
    const run = await runAction({
      workspace: app.dir,
      event: issueCommentEvent(23),
      inputs: { image: `${REGISTRY}/${repo}`, ...credentials, 'pr-preview': 'true' },
    });
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain(`Commit: ${app.sha}`);
    expect(run.stdout).toMatch(/Code from: unknown \(a comment on pull request #23/);
    expect(run.stdout).not.toContain('HOOK-RAN');
    expect(run.stdout).toMatch(/^  tag pr-23 /m);
    expect(run.stdout).not.toMatch(/^  tag (latest|main) /m);
    expect(run.stdout).toContain('Not pushing: issue_comment event: build and test only, anyone can start an issue_comment workflow (push: true pushes).');
    expect(await registryTags(repo)).toEqual([]);
  });
});
