import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PhaseTimeout, withinPhase } from '../../src/engine/deadline.js';
import { Docker } from '../../src/engine/docker.js';
import { DEFAULT_TIMEOUTS, type Inputs } from '../../src/inputs.js';
import { HOOK_NAMES, hookPhase, HookRunner, type HookName, type HookSet } from '../../src/phases/hooks.js';
import type { BuildUnit, RunContext } from '../../src/phases/run-context.js';
import { testContainerName } from '../../src/phases/test.js';
import { parseImage, type ImageRef } from '../../src/plan/images.js';

describe('hookPhase: each hook runs under the time limit of the step it belongs to', () => {
  it.each<[HookName, string]>([
    ['post_checkout', 'build'],
    ['pre_build', 'build'],
    ['build', 'build'],
    ['post_build', 'build'],
    ['pre_test', 'test'],
    ['test', 'test'],
    ['post_test', 'test'],
    ['pre_push', 'push'],
    ['push', 'push'],
    ['post_push', 'push'],
  ])('%s -> %s', (hook, phase) => expect(hookPhase(hook)).toBe(phase));

  it('covers every hook', () => expect(HOOK_NAMES.map(hookPhase)).toHaveLength(10));
});

describe('PhaseTimeout', () => {
  it('names what was stopped and the timeout value that would raise the limit', () => {
    expect(new PhaseTimeout('build', 3000, 'the hook hooks/build').message).toBe(
      "The build phase did not finish within 3s (the hook hooks/build was stopped). Raise the limit with the 'timeout' input, e.g. timeout: build=6s.",
    );
  });
  it('says so when no time was left to start it', () => {
    expect(new PhaseTimeout('push', 60_000, 'the hook hooks/push', false).message).toBe(
      "The push phase did not finish within 1m (the hook hooks/push was not started: no time was left). Raise the limit with the 'timeout' input, e.g. timeout: push=2m.",
    );
  });
});

describe('testContainerName', () => {
  it("is the run's id, not the process id: two runs on one engine never share it", () => {
    expect(testContainerName('1a2b3c4d', 0)).toBe('autobuild-test-1a2b3c4d-0');
    expect(testContainerName('1a2b3c4d', 2)).not.toBe(testContainerName('ffee0011', 2));
  });
});

describe('HookRunner: hooks stopped at the time limit of their phase', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  /** A workspace with hooks/<name> scripts, and a runner over it with the given time limits. */
  function setup(hooks: Partial<Record<HookName, string>>, timeout: Partial<Inputs['timeout']> = {}): { runner: HookRunner; unit: BuildUnit; image: ImageRef } {
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-hook-limits-'));
    dirs.push(workspace);
    fs.mkdirSync(path.join(workspace, 'hooks'));
    const set: HookSet = new Map();
    for (const [name, body] of Object.entries(hooks)) {
      const file = path.join(workspace, 'hooks', name);
      fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
      set.set(name as HookName, file);
    }
    const image = parseImage('localhost:5000/acme/app') as ImageRef;
    const build = { name: 'default', context: workspace, file: path.join(workspace, 'Dockerfile'), tags: [{ tag: 'latest', why: 'test' }] };
    const ctx = {
      facts: { workspace, branch: 'main', sha: 'a'.repeat(40), commitMessage: 'change' },
      inputs: { buildEnv: {}, timeout: { ...DEFAULT_TIMEOUTS, ...timeout } },
      plan: { images: [image] },
      docker: new Docker(),
      report: { builds: [], timings: {}, pushed: false },
      workDir: path.join(workspace, 'work'),
    } as unknown as RunContext;
    const unit = { index: 0, build, report: { refs: [`${image.name}:latest`], pushedRefs: [], tests: [] } } as unknown as BuildUnit;
    return { runner: new HookRunner(ctx, [set]), unit, image };
  }

  it('a hook run on its own gets its phase limit and fails naming the hook and the input', async () => {
    const { runner, unit } = setup({ pre_build: 'sleep 30' }, { build: 1000 });
    const started = Date.now();
    const error = await runner.run(unit, 'pre_build').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PhaseTimeout);
    expect((error as Error).message).toBe(
      "The build phase did not finish within 1s (the hook hooks/pre_build was stopped). Raise the limit with the 'timeout' input, e.g. timeout: build=2s.",
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('hooks inside their phase share its budget with the step they surround', async () => {
    const { runner, unit, image } = setup({ pre_push: 'sleep 0.6', push: 'sleep 0.6' }, { push: 60_000 });
    // Each hook alone fits in 1s; both together do not.
    const error = await withinPhase('push', 1000, async () => {
      await runner.run(unit, 'pre_push', image);
      await runner.run(unit, 'push', image);
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PhaseTimeout);
    expect((error as Error).message).toContain('(the hook hooks/push was stopped)');
    expect((error as Error).message).toContain('timeout: push=2s');
  });

  it('a hook that finishes in time passes', async () => {
    const { runner, unit } = setup({ post_test: 'exit 0' }, { test: 5000 });
    await expect(runner.run(unit, 'post_test')).resolves.toBe(true);
  });
});
