import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { readGitHubFacts, type Facts } from '../../src/context.js';
import { UserError } from '../../src/errors.js';
import { describePlan } from '../../src/plan/describe.js';
import { eventView } from '../../src/plan/metadata.js';
import { makePlan, type PlanInputs } from '../../src/plan/plan.js';
import { parseFlavor, parseTagRules } from '../../src/plan/metadata.js';
import { decideTrust, EVENTS } from '../../src/plan/trust.js';

const repository = { full_name: 'acme/app', default_branch: 'main', html_url: 'https://github.com/acme/app' };
const MAIN = 'a'.repeat(40);
const HEAD = 'b'.repeat(40);

/** The facts a runner gives for this event: GITHUB_REF and GITHUB_SHA as GitHub sets them for it. */
async function factsOf(event: string, ref: string, payload: object, workspace?: string): Promise<Facts> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-trust-'));
  const file = path.join(dir, 'event.json');
  fs.writeFileSync(file, JSON.stringify({ repository, ...payload }));
  return readGitHubFacts({ GITHUB_EVENT_NAME: event, GITHUB_EVENT_PATH: file, GITHUB_REF: ref, GITHUB_SHA: MAIN, GITHUB_REPOSITORY: 'acme/app', GITHUB_WORKSPACE: workspace ?? dir });
}

const pullRequest = (fork: boolean) => ({
  action: 'synchronize',
  number: 7,
  pull_request: {
    number: 7,
    title: 'A change',
    head: { sha: HEAD, ref: 'main', repo: { full_name: fork ? 'mallory/app' : 'acme/app' } },
    base: { ref: 'main', repo: { full_name: 'acme/app' } },
  },
});

const workflowRun = (event: string, fork: boolean, pulls: object[] = []) => ({
  workflow_run: {
    event,
    head_branch: fork ? 'main' : 'feature',
    head_sha: HEAD,
    head_repository: { full_name: fork ? 'mallory/app' : 'acme/app' },
    head_commit: { message: 'from the run', timestamp: '2026-01-02T03:04:05Z' },
    pull_requests: pulls,
  },
});

function inputs(more: Partial<PlanInputs> & { tags?: unknown } = {}): PlanInputs {
  return {
    images: [{ input: 'acme/app', registry: 'docker.io', path: 'acme/app', name: 'docker.io/acme/app', lowercased: false }],
    context: '/w',
    file: '',
    labels: [],
    rules: [],
    push: 'auto',
    prPreview: false,
    tags: [],
    flavor: parseFlavor(''),
    ...more,
  } as PlanInputs;
}

const tags = (facts: Facts, more: Partial<PlanInputs> = {}): string[] => makePlan(facts, inputs(more)).builds.flatMap((b) => b.tags.map((t) => t.tag));

describe('the trust model: who wrote the code, for every event', () => {
  it('pull_request_target from a fork: never the default branch, never pushed, no hooks on the host', async () => {
    // GitHub runs pull_request_target on the base branch's ref, with the repository's secrets.
    const facts = await factsOf('pull_request_target', 'refs/heads/main', pullRequest(true));
    expect(facts).toMatchObject({ refType: 'pull', ref: 'refs/pull/7/merge', isDefaultBranch: false, sha: HEAD });
    expect(eventView(facts, new Date()).isDefaultBranch).toBe(false);
    const plan = makePlan(facts, inputs({ prPreview: true }));
    expect(plan.trust.author).toBe('fork');
    expect(plan.push.enabled).toBe(false);
    expect(plan.hostCode).toBe('off');
    expect(tags(facts)).not.toContain('latest');
    expect(tags(facts)).not.toContain('main');
    expect(() => makePlan(facts, inputs({ push: 'true' }))).toThrow(UserError);
    expect(makePlan(facts, inputs({ allowUntrustedHostCode: true })).hostCode).toBe('allowed');
    expect(describePlan(facts, plan).join('\n')).toMatch(/Code from: a fork \(pull request #7 comes from a fork\); hooks\/ and autotest compose files do not run/);
  });

  it('{{is_default_branch}} is false for pull_request_target, as metadata-action says', async () => {
    const facts = await factsOf('pull_request_target', 'refs/heads/main', pullRequest(false));
    const rules = parseTagRules('type=raw,value=edge,enable={{is_default_branch}}\ntype=ref,event=pr');
    expect(tags(facts, { tags: rules })).toEqual(['pr-7']);
  });

  it('pull_request_target from a branch of the repository: a writer\'s code, previews as pull_request', async () => {
    const facts = await factsOf('pull_request_target', 'refs/heads/main', pullRequest(false));
    const plan = makePlan(facts, inputs({ prPreview: true }));
    expect(plan.trust.author).toBe('writer');
    expect(plan.push).toMatchObject({ enabled: true, reason: 'pr-preview: true for pull request #7' });
    expect(plan.hostCode).toBe('run');
  });

  it('workflow_run after a fork\'s pull request: the fork\'s commit, not the default branch, never pushed', async () => {
    // GitHub lists no pull request for a fork's run, and runs workflow_run on the default branch.
    const facts = await factsOf('workflow_run', 'refs/heads/main', workflowRun('pull_request', true));
    expect(facts).toMatchObject({ sha: HEAD, isDefaultBranch: false, trigger: { event: 'pull_request', fork: true, headRepository: 'mallory/app' } });
    expect(facts.ref).not.toBe('refs/heads/main');
    const plan = makePlan(facts, inputs());
    expect(plan.trust.author).toBe('fork');
    expect(plan.push.enabled).toBe(false);
    expect(plan.push.reason).toContain('mallory/app');
    expect(tags(facts)).not.toContain('latest');
    expect(() => makePlan(facts, inputs({ push: 'true' }))).toThrow(/never pushes a fork's code/);
  });

  it('workflow_run after an event anyone can start: code unknown, not pushed, nothing on the host', async () => {
    const facts = await factsOf('workflow_run', 'refs/heads/main', workflowRun('issue_comment', false));
    const plan = makePlan(facts, inputs());
    expect(plan.trust.author).toBe('unknown');
    expect(plan.push.enabled).toBe(false);
    expect(plan.hostCode).toBe('off');
  });

  it('workflow_run after a release or a tag push: the tag, with its release tags', async () => {
    const run = (event: string) => ({ workflow_run: { ...workflowRun(event, false).workflow_run, head_branch: 'v1.2.3' } });
    const release = await factsOf('workflow_run', 'refs/heads/main', run('release'));
    expect(release).toMatchObject({ refType: 'tag', tag: 'v1.2.3' });
    expect(tags(release)).toEqual(expect.arrayContaining(['1.2.3', '1.2', '1', 'latest']));
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-trust-tag-'));
    const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim();
    git('init', '-q');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-q', '--allow-empty', '-m', 'release');
    git('tag', 'v1.2.3');
    const head = git('rev-parse', 'HEAD');
    const pushed = { workflow_run: { ...run('push').workflow_run, head_sha: head } };
    expect(await factsOf('workflow_run', 'refs/heads/main', pushed, repo)).toMatchObject({ refType: 'tag', tag: 'v1.2.3', sha: head });
    // A branch of that name (no such tag at that commit) stays a branch.
    expect(await factsOf('workflow_run', 'refs/heads/main', run('push'))).toMatchObject({ refType: 'branch', branch: 'v1.2.3' });
  });

  it('workflow_run after a same-repository pull request: that pull request, previewed when asked', async () => {
    const pulls = [{ number: 9, head: { ref: 'feature' }, base: { ref: 'main' } }];
    const facts = await factsOf('workflow_run', 'refs/heads/main', workflowRun('pull_request', false, pulls));
    expect(facts).toMatchObject({ refType: 'pull', pr: { number: 9, fork: false }, baseRef: 'main', sha: HEAD });
    expect(tags(facts)).toEqual(expect.arrayContaining(['pr-9']));
    expect(makePlan(facts, inputs()).push.enabled).toBe(false);
    expect(makePlan(facts, inputs({ prPreview: true })).push.enabled).toBe(true);
  });

  it('workflow_run after a push: the pushed branch and commit', async () => {
    const facts = await factsOf('workflow_run', 'refs/heads/main', workflowRun('push', false));
    expect(facts).toMatchObject({ refType: 'branch', branch: 'feature', sha: HEAD, commitMessage: 'from the run', isDefaultBranch: false });
    const plan = makePlan(facts, inputs());
    expect(plan.push.enabled).toBe(true);
    expect(tags(facts)).toEqual(['feature', `sha-${HEAD.slice(0, 7)}`]);
  });

  it('issue_comment on a pull request: code unknown, the checked-out commit, not pushed by auto', async () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-trust-repo-'));
    const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim();
    git('init', '-q');
    fs.writeFileSync(path.join(repo, 'f'), 'x');
    git('add', 'f');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-qm', 'checked out head');
    const head = git('rev-parse', 'HEAD');
    const facts = await factsOf('issue_comment', 'refs/heads/main', { issue: { number: 12, pull_request: { url: 'x' } }, comment: { body: '/build' } }, repo);
    expect(facts).toMatchObject({ refType: 'pull', pr: { number: 12 }, sha: head, commitMessage: 'checked out head', isDefaultBranch: false });
    const plan = makePlan(facts, inputs({ prPreview: true }));
    expect(plan.trust.author).toBe('unknown');
    expect(plan.hostCode).toBe('off');
    expect(plan.push).toMatchObject({ enabled: false });
    expect(plan.push.reason).toContain('anyone can start an issue_comment workflow');
    expect(tags(facts)).not.toContain('latest');
    // A workflow that checks the commenter itself may push.
    expect(makePlan(facts, inputs({ push: 'true' })).push.enabled).toBe(true);
  });

  it('merge_group: a writer\'s code, built and tested, published by the push to the base branch', async () => {
    const facts = await factsOf('merge_group', 'refs/heads/gh-readonly-queue/main/pr-7-' + MAIN, { merge_group: { head_sha: MAIN } });
    const plan = makePlan(facts, inputs());
    expect(plan.trust.author).toBe('writer');
    expect(plan.push.enabled).toBe(false);
    expect(plan.push.reason).toContain('merge queue');
    expect(plan.hostCode).toBe('run');
  });

  it.each([
    ['push', 'refs/heads/main', true],
    ['create', 'refs/tags/v1.0.0', true],
    ['release', 'refs/tags/v1.0.0', true],
    ['schedule', 'refs/heads/main', true],
    ['workflow_dispatch', 'refs/heads/main', true],
    ['repository_dispatch', 'refs/heads/main', true],
    ['issues', 'refs/heads/main', false],
    ['discussion', 'refs/heads/main', false],
    ['deployment', 'refs/heads/main', false],
  ])('%s: a writer\'s code; push: auto pushes: %s', async (event, ref, pushes) => {
    const facts = await factsOf(event, ref, {});
    const plan = makePlan(facts, inputs());
    expect(plan.trust.author).toBe('writer');
    expect(plan.push.enabled).toBe(pushes);
    if (!pushes) expect(plan.push.reason).toContain('push: true');
  });

  it('the events table names every event the issue lists, and "any other"', () => {
    const named = EVENTS.map((e) => e.event);
    for (const e of ['push', 'pull_request', 'pull_request_target', 'workflow_run', 'merge_group', 'issue_comment', 'workflow_dispatch', 'repository_dispatch', 'release', 'schedule', 'create', 'any other']) {
      expect(named).toContain(e);
    }
  });

  it('a pull-request event whose payload lost its pull request is not trusted', () => {
    const trust = decideTrust({ eventName: 'pull_request_target', source: 'github' });
    expect(trust.author).toBe('unknown');
    expect(trust.autoPush).toBe(false);
  });

  it('the CLI builds its owner\'s checkout', () => {
    expect(decideTrust({ eventName: 'push', source: 'local' })).toMatchObject({ author: 'writer', autoPush: true });
  });
});
