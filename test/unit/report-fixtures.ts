import type { Facts } from '../../src/context.js';
import type { BuildReport, RunReport } from '../../src/phases/report.js';

export const SHA = '1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b';
export const DIGEST = `sha256:${'ab'.repeat(32)}`;

export function facts(over: Partial<Facts> = {}): Facts {
  return {
    source: 'github',
    eventName: 'push',
    ref: 'refs/heads/main',
    refType: 'branch',
    branch: 'main',
    sha: SHA,
    defaultBranch: 'main',
    isDefaultBranch: true,
    commitMessage: 'change',
    repository: { owner: 'acme', name: 'webapp', fullName: 'acme/webapp', url: 'https://github.com/acme/webapp' },
    serverUrl: 'https://github.com',
    apiUrl: 'https://api.github.com',
    workspace: '/src',
    runUrl: 'https://github.com/acme/webapp/actions/runs/99',
    ...over,
  };
}

export function prFacts(number = 42, over: Partial<Facts> = {}): Facts {
  return facts({
    eventName: 'pull_request',
    ref: `refs/pull/${number}/merge`,
    refType: 'pull',
    branch: 'feature',
    isDefaultBranch: false,
    pr: { number, fork: false, headRef: 'feature', action: 'synchronize' },
    ...over,
  });
}

export function build(tags: string[], over: Partial<BuildReport> = {}, image = 'localhost:5000/acme/app'): BuildReport {
  return {
    name: 'default',
    tags: tags.map((tag) => ({ tag, why: `default: ${tag}` })),
    refs: tags.map((t) => `${image}:${t}`),
    pushedRefs: [],
    version: tags[0] ?? '',
    labels: {},
    tests: [],
    ...over,
  };
}

export function pushed(b: BuildReport): BuildReport {
  return { ...b, pushedRefs: [...b.refs], digest: DIGEST, imageId: 'sha256:' + 'cd'.repeat(32) };
}

export function report(over: Partial<RunReport> = {}): RunReport {
  return { builds: [], timings: {}, pushed: false, ...over };
}
