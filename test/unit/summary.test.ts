import { describe, expect, it } from 'vitest';
import { annotationsOf, cacheRatio, formatBytes, releaseOf, summaryMarkdown } from '../../src/phases/summary.js';
import { build, DIGEST, facts, prFacts, pushed, report } from './report-fixtures.js';

const releaseFacts = facts({ ref: 'refs/tags/v1.2.3', refType: 'tag', tag: 'v1.2.3', branch: undefined, isDefaultBranch: false });
const releaseBuild = pushed(build(['1.2.3', '1.2', '1', 'latest', 'sha-1a2b3c4'], { size: 3_130_000, baseImage: 'alpine:3.20', version: '1.2.3' }));

describe('summaryMarkdown', () => {
  it('leads a release with version, every pushed reference, digest, size and base image', () => {
    const md = summaryMarkdown(
      report({ facts: releaseFacts, builds: [releaseBuild], pushed: true, push: { enabled: true, reason: 'push event' }, timings: { build: 2, push: 1 } }),
    );
    expect(md.startsWith('## Release 1.2.3\n')).toBe(true);
    const release = md.slice(0, md.indexOf('## autobuild:'));
    for (const tag of ['1.2.3', '1.2', '1', 'latest', 'sha-1a2b3c4']) {
      expect(release).toContain(`| \`${tag}\` | \`localhost:5000/acme/app:${tag}\` |`);
    }
    expect(release).toContain(`- **Digest:** \`${DIGEST}\``);
    expect(release).toContain('- **Size:** 3.13 MB');
    expect(release).toContain('- **Base image:** `alpine:3.20`');
    expect(release).toContain('docker pull localhost:5000/acme/app:1.2.3');
    expect(release).toContain('`acme/webapp` tag `v1.2.3` at commit `1a2b3c4`');
  });

  it('says a release failed, with the error, before anything else', () => {
    const md = summaryMarkdown(report({ facts: releaseFacts, builds: [build(['1.2.3'])], error: 'The build failed (exit 1):\nstep 3\nno space' }));
    expect(md.split('\n')[0]).toBe('## Release 1.2.3: failed');
    expect(md).toContain('> **Error:** The build failed (exit 1):');
    expect(md).toContain('```text\nstep 3\nno space\n```');
    expect(md.match(/\*\*Error:\*\*/g)).toHaveLength(1);
    const stopped = summaryMarkdown(report({ facts: facts(), builds: [build(['x'])], push: { enabled: true, reason: 'push event' }, error: 'boom' }));
    expect(stopped).toContain('**Push:** planned, stopped by the failure: push event');
  });

  it('marks a pre-release and leads with it; a branch push has no release section', () => {
    const pre = facts({ ref: 'refs/tags/v2.0.0-rc.1', refType: 'tag', tag: 'v2.0.0-rc.1', branch: undefined });
    expect(summaryMarkdown(report({ facts: pre, builds: [pushed(build(['2.0.0-rc.1']))], pushed: true })).split('\n')[0]).toBe('## Release 2.0.0-rc.1 (pre-release)');
    const nonSemver = facts({ ref: 'refs/tags/nightly-5', refType: 'tag', tag: 'nightly-5', branch: undefined });
    expect(summaryMarkdown(report({ facts: nonSemver, builds: [] }))).not.toContain('Release');
    expect(summaryMarkdown(report({ facts: facts(), builds: [pushed(build(['latest']))], pushed: true })).split('\n')[0]).toBe('## autobuild: pushed');
  });

  it('shows the plan with reasons, image, tests, builder, cache ratio and time per phase', () => {
    const b = pushed(
      build(['latest', 'main', 'sha-1a2b3c4'], {
        cachedSteps: 3,
        totalSteps: 4,
        size: 999,
        tests: [
          { name: 'test-command: make check', passed: true, seconds: 1.25 },
          { name: 'compose sut', passed: true, seconds: 3 },
        ],
      }),
    );
    const md = summaryMarkdown(
      report({
        facts: facts(),
        builds: [b],
        pushed: true,
        push: { enabled: true, reason: 'push event on refs/heads/main' },
        builder: 'engine 26.1.5, buildx 0.13.1',
        cache: 'registry: localhost:5000/acme/app:buildcache',
        timings: { login: 0.2, build: 10, test: 4.25, push: 2 },
      }),
    );
    expect(md).toContain('**Push:** yes: push event on refs/heads/main');
    expect(md).toContain('| `main` | default: main | `localhost:5000/acme/app:main` |');
    expect(md).toContain(`| digest | \`${DIGEST}\` |`);
    expect(md).toContain('| size | 999 B |');
    expect(md).toContain('| layer cache | 3 of 4 steps cached (75%) |');
    expect(md).toContain('| test-command: make check | passed | 1.3s |');
    expect(md).toContain('**Builder:** engine 26.1.5, buildx 0.13.1');
    expect(md).toContain('**Cache:** registry: localhost:5000/acme/app:buildcache');
    expect(md).toContain('| test | 4.3 |');
    expect(md).toContain('| **total** | **16.4** |');
  });

  it('says why a pull request was not pushed, and shows a held tag', () => {
    const b = build(['pr-7', 'sha-1a2b3c4'], { imageId: 'sha256:x' });
    const fork = { ...prFacts(7), pr: { number: 7, fork: true, headRef: 'f' } };
    const md = summaryMarkdown(report({ facts: fork, builds: [b], push: { enabled: false, reason: 'pull request #7 comes from a fork: build and test only, never push' } }));
    expect(md).toContain('## autobuild: built and tested, not pushed');
    expect(md).toContain('(pull request #7, from a fork)');
    expect(md).toContain('**Push:** no: pull request #7 comes from a fork');
    expect(md).toContain('No tests ran');
    const held = pushed(build(['1.2.3', 'latest'], { version: '1.2.3' }));
    held.tags[1]!.held = '2.0.0 is the newest release';
    held.pushedRefs = [held.refs[0]!];
    const rel = summaryMarkdown(report({ facts: releaseFacts, builds: [held], pushed: true }));
    expect(rel).toContain('- `latest` held back: 2.0.0 is the newest release');
    expect(rel).toContain('| `latest` | default: latest | held back: 2.0.0 is the newest release |');
  });

  it('keeps table cells on one line', () => {
    const b = build(['x'], { tests: [{ name: 'a | b\nc', passed: false, seconds: 0 }] });
    expect(summaryMarkdown(report({ builds: [b] }))).toContain('| a \\| b c | **failed** | 0.0s |');
  });
});

describe('annotationsOf', () => {
  it('raises a titled error for a failed test with its last lines, and a warning for a held tag', () => {
    const b = build(['1.2.3', 'latest'], {
      version: '1.2.3',
      tests: [
        { name: 'test-command: ./check', passed: false, seconds: 1, tail: 'FAIL: login\nexpected 200, got 500' },
        { name: 'ok', passed: true, seconds: 1 },
      ],
    });
    b.tags[1]!.held = '2.0.0 is newer';
    expect(annotationsOf(report({ builds: [b] }))).toEqual([
      { level: 'error', title: 'Test failed: test-command: ./check', message: 'FAIL: login\nexpected 200, got 500' },
      { level: 'warning', title: 'Tag held back: latest', message: 'latest was not moved to 1.2.3: 2.0.0 is newer' },
    ]);
    expect(annotationsOf(report({ builds: [build(['a'])] }))).toEqual([]);
  });
});

describe('helpers', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1.00 kB'],
    [3_130_000, '3.13 MB'],
    [45_600_000, '45.6 MB'],
    [1_200_000_000, '1.20 GB'],
  ])('formatBytes(%i) = %s', (n, s) => expect(formatBytes(n)).toBe(s));

  it('gives a cache ratio only when steps were counted', () => {
    expect(cacheRatio({ cachedSteps: 0, totalSteps: 3 })).toBe('0 of 3 steps cached (0%)');
    expect(cacheRatio({ cachedSteps: 0, totalSteps: 0 })).toBeUndefined();
    expect(cacheRatio({})).toBeUndefined();
  });

  it('reads a release only from a semver git tag', () => {
    expect(releaseOf(report({ facts: facts({ refType: 'tag', tag: 'v1.2.3' }) }))).toEqual({ version: '1.2.3', tag: 'v1.2.3', prerelease: false });
    expect(releaseOf(report({ facts: facts({ refType: 'tag', tag: '1.2' }) }))).toBeUndefined();
    expect(releaseOf(report({ facts: facts() }))).toBeUndefined();
  });
});
