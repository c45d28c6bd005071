import { describe, expect, it } from 'vitest';
import { makeRepo, testRepositories } from './fixtures.js';
import { pullRequestTargetEvent, pushEvent, runAction, shownLog } from './runner.js';
import { BASE_IMAGE, REGISTRY, REGISTRY_PASSWORD, REGISTRY_USER, registryTags } from './world.js';

const newRepo = testRepositories();
const credentials = { username: REGISTRY_USER, password: REGISTRY_PASSWORD };
const APP = { Dockerfile: `FROM ${BASE_IMAGE}\nCOPY app.sh /app.sh\n`, 'app.sh': '#!/bin/sh\necho app\n' };

/** Prints what the test container was given: /dev/shm's size, its user, working folder and two variables. */
const SHOW = `echo "shm=$(df -k /dev/shm | tail -1 | awk '{print $2}')k user=$(id -u) pwd=$(pwd) mode=$MODE token=\${STEP_TOKEN:-none}"`;

describe('test-options: the run options of the test container', () => {
  it('gives the test container --shm-size, --user, --workdir and variables, on every platform, and pushes', async () => {
    const app = makeRepo(APP);
    const repo = newRepo('test-options');
    const run = await runAction({
      workspace: app.dir,
      event: pushEvent('refs/heads/main', app.sha),
      env: { STEP_TOKEN: 'from-the-step' },
      inputs: {
        image: `${REGISTRY}/${repo}`,
        ...credentials,
        platforms: 'linux/amd64,linux/arm64',
        'test-command': SHOW,
        'test-options': '--shm-size 256m --user 1234 -w /tmp\n-e MODE=ci --env STEP_TOKEN',
      },
    });
    expect(run.code, shownLog(run)).toBe(0);
    // 256 MiB is 262144 KiB, against docker's default of 64 MiB.
    const lines = run.stdout.split('\n').filter((l) => l.startsWith('shm='));
    expect(lines).toEqual([
      'shm=262144k user=1234 pwd=/tmp mode=ci token=from-the-step',
      'shm=262144k user=1234 pwd=/tmp mode=ci token=from-the-step',
    ]);
    expect(run.stdout).toContain('::group::test-command (linux/arm64)');
    expect(await registryTags(repo)).toEqual(expect.arrayContaining(['latest', 'main']));
  });

  it("gives a fork's code none of the step's variables", async () => {
    const app = makeRepo(APP);
    const run = await runAction({
      workspace: app.dir,
      event: pullRequestTargetEvent(7, app.sha, { fork: true }),
      env: { STEP_TOKEN: 'secret-of-the-base' },
      inputs: { image: `${REGISTRY}/${newRepo('test-options-fork')}`, 'test-command': SHOW, 'test-options': '-e MODE=ci -e STEP_TOKEN --network host' },
    });
    expect(run.code, shownLog(run)).toBe(0);
    expect(run.stdout).toContain('mode=ci token=none');
    expect(run.stdout).not.toContain('secret-of-the-base');
    expect(run.stdout).toMatch(/test-options: --env STEP_TOKEN, --network host left out: code that is not a writer's gets none of the runner's variables, network, shared memory or devices/);
  });
});
