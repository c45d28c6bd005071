import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { newRepo, removeLocalImages } from './fault-proxy.js';
import { APP_FILES, makeRepo } from './fixtures.js';
import { recordingDocker } from './recording-docker.js';
import { pushEvent, runAction, shownLog } from './runner.js';
import { deleteRepository, REGISTRY, REGISTRY_PASSWORD, REGISTRY_USER, registryTags } from './world.js';

/**
 * The post step does only what the main step left: after a run that cleaned up after itself it
 * removes the private docker config and asks nothing of the engine; after a main step that was
 * killed outright it removes the test container and the run-local image name it left.
 */
const repos: string[] = [];
const temps: string[] = [];
afterAll(async () => {
  for (const repo of repos) await deleteRepository(repo);
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
  removeLocalImages(/^localhost:\d+\/e2e\/post-/);
});

const docker = (...args: string[]): string => execFileSync('docker', args, { encoding: 'utf8' }).trim();

/** A value the main step has saved to its state file so far. */
function stateValue(stateFile: string, name: string): string {
  return new RegExp(`^${name}<<(\\S+)\n(.*)\n\\1$`, 'm').exec(fs.readFileSync(stateFile, 'utf8'))?.[2] ?? '';
}

/** This run's local image names (Docker.localTag) still on the engine. */
function runLocalNames(runId: string): string[] {
  return docker('image', 'ls', '--format', '{{.Repository}}:{{.Tag}}')
    .split('\n')
    .filter((ref) => ref.startsWith('autobuild.invalid/') && ref.endsWith(`:${runId}-0`));
}

describe('the post step', () => {
  it('after a run that cleaned up after itself: does nothing, and runs no docker command', async () => {
    const app = makeRepo();
    const repo = newRepo(repos, 'post-clean');
    const recorder = recordingDocker(temps);
    let callsAtMainEnd = -1;
    let namesAtMainEnd: string[] | undefined;
    let configAtMainEnd: boolean | undefined;
    let runId = '';
    const r = await runAction({
      workspace: app.dir,
      event: pushEvent('refs/heads/main', app.sha),
      inputs: { image: `${REGISTRY}/${repo}`, username: REGISTRY_USER, password: REGISTRY_PASSWORD, 'test-command': 'test -x /app.sh' },
      env: { PATH: `${recorder.dir}:${process.env.PATH}` },
      onMainStart: (child, runner) => {
        child.on('close', () => {
          callsAtMainEnd = recorder.calls().length;
          runId = stateValue(runner.stateFile, 'run-id');
          namesAtMainEnd = runLocalNames(runId);
          configAtMainEnd = fs.existsSync(stateValue(runner.stateFile, 'docker-config'));
        });
      },
    });
    expect(r.code, shownLog(r)).toBe(0);
    expect(await registryTags(repo)).toEqual(['latest', 'main', `sha-${app.sha.slice(0, 7)}`]);
    // The main step loaded its build under a run-local name, and removed it before it ended.
    expect(runId).toMatch(/^[0-9a-f]{8}$/);
    expect(recorder.calls().some((c) => c.argv.includes(`autobuild.invalid/${repo}:${runId}-0`))).toBe(true);
    expect(namesAtMainEnd).toEqual([]);
    expect(r.state['local-tags']).toBe('');
    expect(r.state['test-containers']).toBe('');
    // The main step logged out itself...
    expect(r.state['docker-config']).toContain(r.runnerTemp);
    expect(configAtMainEnd).toBe(false);
    expect(r.stdout).toContain('Logged out: removed the private docker config.');
    // ...so the post step has nothing to do: not one docker command.
    expect(r.post.code).toBe(0);
    expect(r.post.stdout).not.toContain('Logged out');
    expect(callsAtMainEnd).toBeGreaterThan(0);
    expect(recorder.calls().length).toBe(callsAtMainEnd);
  });

  it('after a main step killed during the test: removes the test container it left', async () => {
    const app = makeRepo();
    const repo = newRepo(repos, 'post-killed-test');
    let runId = '';
    let containersWhenKilled = '';
    const r = await runAction({
      workspace: app.dir,
      event: pushEvent('refs/heads/main', app.sha),
      inputs: { image: `${REGISTRY}/${repo}`, username: REGISTRY_USER, password: REGISTRY_PASSWORD, 'test-command': 'echo TEST-$((6*7))-STARTED; sleep 600' },
      onMainStart: (child, runner) => {
        let seen = '';
        child.stdout!.on('data', (d: Buffer) => {
          seen += d.toString();
          if (!runId && seen.includes('TEST-42-STARTED')) {
            runId = stateValue(runner.stateFile, 'run-id');
            containersWhenKilled = docker('ps', '--all', '--quiet', '--filter', `label=autobuild.run=${runId}`);
            // No cleanup of its own: the runner (or the machine) ended the step outright.
            child.kill('SIGKILL');
          }
        });
      },
    });
    expect(r.code).not.toBe(0);
    expect(containersWhenKilled).not.toBe('');
    expect(r.state['test-containers']).toBe('true');
    // The post step removed it, and the credentials.
    expect(r.post.code, shownLog(r.post)).toBe(0);
    expect(r.post.stdout).toContain('Removed 1 container left by this run.');
    expect(docker('ps', '--all', '--quiet', '--filter', `label=autobuild.run=${runId}`)).toBe('');
    expect(runLocalNames(runId)).toEqual([]);
    expect(r.post.stdout).toContain('Logged out: removed the private docker config.');
    expect(fs.existsSync(r.state['docker-config']!)).toBe(false);
    expect(await registryTags(repo)).toEqual([]);
  });

  it('after a main step killed between build and test: removes the run-local image name it left', async () => {
    // The hook notes its pid: killing the main step outright leaves it running, and the test ends it.
    const app = makeRepo({ ...APP_FILES, 'hooks/post_build': '#!/bin/sh\necho $$ > "$0.pid"\necho POST-BUILD-$((6*7))-STARTED\nexec sleep 600\n' });
    const repo = newRepo(repos, 'post-killed-build');
    let runId = '';
    let namesWhenKilled: string[] = [];
    const r = await runAction({
      workspace: app.dir,
      event: pushEvent('refs/heads/main', app.sha),
      inputs: { image: `${REGISTRY}/${repo}`, username: REGISTRY_USER, password: REGISTRY_PASSWORD },
      onMainStart: (child, runner) => {
        let seen = '';
        child.stdout!.on('data', (d: Buffer) => {
          seen += d.toString();
          if (!runId && seen.includes('POST-BUILD-42-STARTED')) {
            runId = stateValue(runner.stateFile, 'run-id');
            namesWhenKilled = runLocalNames(runId);
            child.kill('SIGKILL');
          }
        });
      },
    });
    process.kill(Number(fs.readFileSync(`${app.dir}/hooks/post_build.pid`, 'utf8')), 'SIGKILL');
    expect(r.code).not.toBe(0);
    expect(namesWhenKilled).toEqual([`autobuild.invalid/${repo}:${runId}-0`]);
    expect(JSON.parse(r.state['local-tags']!)).toEqual(namesWhenKilled);
    expect(r.post.code, shownLog(r.post)).toBe(0);
    expect(runLocalNames(runId)).toEqual([]);
    // The image keeps the name the build gave it for later steps of the job.
    expect(docker('image', 'ls', '--quiet', `${REGISTRY}/${repo}:latest`)).not.toBe('');
    expect(r.post.stdout).toContain('Logged out: removed the private docker config.');
    expect(fs.existsSync(r.state['docker-config']!)).toBe(false);
    expect(await registryTags(repo)).toEqual([]);
  });
});
