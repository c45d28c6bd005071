import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readGitHubFacts } from '../../src/context.js';

function env(name: string, ref: string, payload: object, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-ctx-'));
  const file = path.join(dir, 'event.json');
  fs.writeFileSync(file, JSON.stringify(payload));
  return {
    GITHUB_EVENT_NAME: name,
    GITHUB_EVENT_PATH: file,
    GITHUB_REF: ref,
    GITHUB_SHA: 'a'.repeat(40),
    GITHUB_REPOSITORY: 'Acme/WebApp',
    GITHUB_WORKSPACE: dir,
    ...extra,
  };
}

const repository = { full_name: 'Acme/WebApp', default_branch: 'trunk', html_url: 'https://github.com/Acme/WebApp', license: { spdx_id: 'MIT' } };

describe('readGitHubFacts', () => {
  it('reads a push to the default branch', async () => {
    const facts = await readGitHubFacts(
      env('push', 'refs/heads/trunk', { repository, head_commit: { message: 'Fix it\n\nbody', timestamp: '2026-01-02T03:04:05+01:00' } }),
    );
    expect(facts).toMatchObject({
      eventName: 'push',
      refType: 'branch',
      branch: 'trunk',
      isDefaultBranch: true,
      defaultBranch: 'trunk',
      sha: 'a'.repeat(40),
      commitMessage: 'Fix it\n\nbody',
      commitTime: '2026-01-02T03:04:05+01:00',
      repository: { owner: 'Acme', name: 'WebApp', license: 'MIT' },
    });
  });

  it('reads a tag push', async () => {
    const facts = await readGitHubFacts(env('push', 'refs/tags/v1.2.3', { repository }));
    expect(facts).toMatchObject({ refType: 'tag', tag: 'v1.2.3', isDefaultBranch: false });
  });

  it('takes the pull request head commit, not the merge commit, and spots forks', async () => {
    const pr = (headRepo: string | null) => ({
      action: 'opened',
      number: 42,
      repository,
      pull_request: {
        number: 42,
        title: 'Add feature',
        head: { sha: 'b'.repeat(40), ref: 'feature/x', repo: headRepo && { full_name: headRepo } },
        base: { ref: 'trunk', repo: { full_name: 'Acme/WebApp' } },
      },
    });
    const same = await readGitHubFacts(env('pull_request', 'refs/pull/42/merge', pr('acme/webapp')));
    expect(same).toMatchObject({ refType: 'pull', sha: 'b'.repeat(40), branch: 'feature/x', baseRef: 'trunk', pr: { number: 42, fork: false } });
    expect((await readGitHubFacts(env('pull_request', 'refs/pull/42/merge', pr('someone/webapp')))).pr?.fork).toBe(true);
    // A deleted head repository is treated as a fork: no credentials, no push.
    expect((await readGitHubFacts(env('pull_request', 'refs/pull/42/merge', pr(null)))).pr?.fork).toBe(true);
  });

  it("gives a pull request the head commit's message when the checkout holds it, else the pull request's title", async () => {
    const withoutHead = env('pull_request', 'refs/pull/7/merge', {
      number: 7,
      repository,
      pull_request: { number: 7, title: 'Add feature', head: { sha: 'c'.repeat(40), ref: 'x', repo: { full_name: 'Acme/WebApp' } }, base: { ref: 'trunk' } },
    });
    expect((await readGitHubFacts(withoutHead)).commitMessage).toBe('Add feature');

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-ctx-git-'));
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } }).trim();
    git('init', '-q');
    git('commit', '-q', '--allow-empty', '-m', 'Teach the parser commas\n\nFixes #6');
    const head = git('rev-parse', 'HEAD');
    const withHead = env(
      'pull_request',
      'refs/pull/7/merge',
      { number: 7, repository, pull_request: { number: 7, title: 'Add feature', head: { sha: head, ref: 'x', repo: { full_name: 'Acme/WebApp' } }, base: { ref: 'trunk' } } },
      { GITHUB_WORKSPACE: dir },
    );
    expect((await readGitHubFacts(withHead)).commitMessage).toBe('Teach the parser commas\n\nFixes #6');
  });
});
