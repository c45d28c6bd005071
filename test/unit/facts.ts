import type { Facts } from '../../src/context.js';

export const SHA = '90dd6032fac8bda1b6c4436a2e65de27961ed071';
export const HEAD_SHA = '1e9249f05bfc090e0688b8fb9c1b347586add504';

/** Facts of an event as context.ts reads them from a runner, for planning tests. */
export function facts(ref: string, more: Partial<Facts> = {}): Facts {
  const branch = ref.startsWith('refs/heads/') ? ref.slice(11) : undefined;
  const tag = ref.startsWith('refs/tags/') ? ref.slice(10) : undefined;
  const refType: Facts['refType'] = tag !== undefined ? 'tag' : branch !== undefined ? 'branch' : ref.startsWith('refs/pull/') ? 'pull' : 'other';
  const base: Facts = {
    source: 'github',
    eventName: 'push',
    ref,
    refType,
    branch,
    tag,
    sha: SHA,
    defaultBranch: 'main',
    isDefaultBranch: branch === (more.defaultBranch ?? 'main'),
    commitMessage: 'change',
    commitTime: '2026-01-02T03:04:05Z',
    repository: { owner: 'octocat', name: 'Hello-World', fullName: 'octocat/Hello-World', url: 'https://github.com/octocat/Hello-World', description: 'This your first repo!', license: 'MIT' },
    serverUrl: 'https://github.com',
    apiUrl: 'https://api.github.com',
    workspace: '/w',
  };
  return { ...base, ...more };
}

export const push = (branch: string, more: Partial<Facts> = {}): Facts => facts(`refs/heads/${branch}`, more);
export const tagPush = (tag: string, more: Partial<Facts> = {}): Facts => facts(`refs/tags/${tag}`, more);
export const schedule = (more: Partial<Facts> = {}): Facts => facts('refs/heads/main', { eventName: 'schedule', ...more });
export function pullRequest(number: number, more: Partial<Facts> = {}): Facts {
  return facts(`refs/pull/${number}/merge`, {
    eventName: 'pull_request',
    sha: HEAD_SHA,
    branch: 'feature',
    baseRef: 'main',
    pr: { number, fork: false, headRef: 'feature', action: 'synchronize' },
    ...more,
  });
}
