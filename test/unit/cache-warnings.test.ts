/** The build phase's cache lines: an unreadable cache source is a warning, a missing one (a first build) an info line. */
import * as core from '@actions/core';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { BuildResult } from '../../src/engine/build.js';
import { buildWithCache } from '../../src/phases/cache.js';
import type { BuildUnit, RunContext } from '../../src/phases/run-context.js';
import { cacheArgs, type BuildCachePlan } from '../../src/plan/cache.js';

vi.mock('@actions/core', async (importOriginal) => {
  const actual = await importOriginal<typeof import('@actions/core')>();
  return { ...actual, info: vi.fn(), warning: vi.fn(), debug: vi.fn() };
});

const MAIN = 'localhost:5000/e2e/app:buildcache-main';
const FEATURE = 'localhost:5000/e2e/app:buildcache-feature';

function run(log: string): Promise<BuildResult> {
  const from = [`type=registry,ref=${FEATURE}`, `type=registry,ref=${MAIN}`];
  const plan: BuildCachePlan = { from, args: cacheArgs(from), description: 'registry cache (read only)' };
  const ctx = { caps: { buildx: '0.13.1' }, cache: { builds: [plan], exports: false } } as unknown as RunContext;
  const unit = { index: 0, report: {} } as unknown as BuildUnit;
  return buildWithCache(ctx, unit, async () => ({ imageId: 'sha256:1', seconds: 1, cachedSteps: 0, totalSteps: 1, log }));
}

const lines = (fn: typeof core.info | typeof core.warning): string[] => vi.mocked(fn).mock.calls.map((c) => String(c[0]));

describe('cache sources BuildKit could not read', () => {
  beforeEach(() => {
    vi.mocked(core.info).mockClear();
    vi.mocked(core.warning).mockClear();
  });

  it('a registry answering 503 is a warning naming the source and the cause; a tag not written yet stays an info line', async () => {
    await run(
      [
        `#4 importing cache manifest from ${FEATURE}`,
        `#4 ERROR: failed to configure registry cache importer: ${FEATURE}: not found`,
        '',
        `#5 importing cache manifest from ${MAIN}`,
        `#5 ERROR: failed to configure registry cache importer: unexpected status from HEAD request to http://localhost:5000/v2/e2e/app/manifests/buildcache-main: 503 Service Unavailable`,
        '',
      ].join('\n'),
    );
    expect(lines(core.warning)).toEqual([
      `The layer cache ${MAIN} could not be read: HTTP 503 Service Unavailable (failed to configure registry cache importer: unexpected status from HEAD request to http://localhost:5000/v2/e2e/app/manifests/buildcache-main: 503 Service Unavailable). This build does without it.`,
    ]);
    expect(lines(core.info)).toContain(`Cache not found (a first build for this scope): ${FEATURE}`);
    expect(lines(core.info).join('\n')).not.toContain(MAIN);
  });

  it('only "not found": no warning at all', async () => {
    await run(`#4 importing cache manifest from ${MAIN}\n#4 ERROR: failed to configure registry cache importer: ${MAIN}: not found\n`);
    expect(lines(core.warning)).toEqual([]);
    expect(lines(core.info)).toContain(`Cache not found (a first build for this scope): ${MAIN}`);
  });

  it('a registry that refuses the connection is a warning', async () => {
    await run(
      `#4 importing cache manifest from ${MAIN}\n#4 ERROR: failed to configure registry cache importer: failed to do request: Head "https://localhost:5000/v2/e2e/app/manifests/buildcache-main": dial tcp 127.0.0.1:5000: connect: connection refused\n`,
    );
    expect(lines(core.warning)).toHaveLength(1);
    expect(lines(core.warning)[0]).toMatch(new RegExp(`^The layer cache ${MAIN} could not be read: connection refused \\(`));
  });
});
