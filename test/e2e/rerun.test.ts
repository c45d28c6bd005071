/**
 * No work done twice: a re-run of a commit whose image the registry already holds under every
 * tag pushes nothing, on the containerd image store (the same digest) and on the classic store
 * (the same image config; its manifest is made at push time).
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { APP_FILES, makeRepo, testRepositories } from './fixtures.js';
import { pushEvent, ROOT, runAction, shownLog } from './runner.js';
import { REGISTRY, REGISTRY_PASSWORD, REGISTRY_USER, registryDigest } from './world.js';

const newRepo = testRepositories();
const credentials = { username: REGISTRY_USER, password: REGISTRY_PASSWORD };
let classicHost = '';

beforeAll(() => {
  classicHost = execFileSync('bash', [path.join(ROOT, 'scripts/test-world.sh'), 'classic'], { encoding: 'utf8' }).trim().split('\n').pop()!;
});

const pushes = (stdout: string): string[] => stdout.split('\n').filter((l) => /^::debug::exec: docker push /.test(l));

describe('a re-run of the same commit', () => {
  // On the classic store, cache: auto writes the inline cache, whose records are part of the image
  // config and can differ from run to run (such a re-run pushes again, as the README says): the
  // classic case compares builds without it.
  it.each([
    ['the containerd image store', () => ({}), {}],
    ['the classic image store', () => ({ DOCKER_HOST: classicHost }), { cache: 'off' }],
  ])('pushes nothing on %s, and says so; a new commit pushes again', async (_store, env, extra) => {
    const app = makeRepo(APP_FILES);
    const repo = newRepo('rerun');
    const inputs = { image: `${REGISTRY}/${repo}`, ...credentials, 'test-command': 'true', ...extra };
    const first = await runAction({ workspace: app.dir, event: pushEvent('refs/heads/main', app.sha), inputs, env: env() });
    expect(first.code, shownLog(first)).toBe(0);
    expect(pushes(first.stdout)).toHaveLength(1);
    const digest = await registryDigest(repo, 'latest');

    const again = await runAction({ workspace: app.dir, event: pushEvent('refs/heads/main', app.sha), inputs, env: env() });
    expect(again.code, shownLog(again)).toBe(0);
    expect(pushes(again.stdout)).toEqual([]);
    expect(again.stdout).toContain(`${REGISTRY}/${repo} already holds this image under every tag (latest, main, sha-${app.sha.slice(0, 7)} -> ${digest}): nothing pushed.`);
    expect(again.outputs.pushed).toBe('true');
    expect(again.outputs.digest).toBe(digest);
    expect(JSON.parse(again.outputs.metadata!).builds[0].unchanged).toEqual([`${REGISTRY}/${repo}`]);
    expect(again.summary).toContain('already held this image under every tag: nothing was pushed there.');
    // The registry cache is there from the first run: not exported again (cache: off on classic).
    if (!('cache' in extra)) {
      expect(again.stdout).toContain(`Cache not exported again: ${REGISTRY}/${repo}:sha-${app.sha.slice(0, 7)} is in the registry already`);
      expect(again.stdout).not.toMatch(/--cache-to/);
      expect(first.stdout).toMatch(/--cache-to type=registry/);
    }
    expect(await registryDigest(repo, 'latest')).toBe(digest);

    // One tag that names another image (a new commit moved it): everything is pushed.
    const next = makeRepo({ ...APP_FILES, 'app.sh': '#!/bin/sh\necho v2\n' });
    const moved = await runAction({ workspace: next.dir, event: pushEvent('refs/heads/main', next.sha), inputs, env: env() });
    expect(moved.code, shownLog(moved)).toBe(0);
    expect(pushes(moved.stdout)).toHaveLength(1);
    expect(moved.stdout).not.toContain('nothing pushed');
    expect(moved.stdout).not.toContain('Cache not exported again');
  });
});
