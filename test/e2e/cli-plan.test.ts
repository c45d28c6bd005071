import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FaultProxy, removeLocalImages } from './fault-proxy.js';
import { APP_FILES, makeRepo, type Repo } from './fixtures.js';
import { recordingDocker, type RecordingDocker } from './recording-docker.js';
import { recordingSocket, type RecordingSocket } from './recording-socket.js';
import { ROOT, type StepResult } from './runner.js';
import { REGISTRY_PASSWORD, REGISTRY_USER } from './world.js';

/**
 * `autobuild plan` (the bundled dist/cli.js) prints what a run would do for any ref, and does
 * none of it: no docker command (a recording `docker` first on PATH), no engine request (DOCKER_HOST
 * is a socket that counts them) and no registry request (the image's registry is a proxy that
 * counts them). The last test runs the same setup without `plan` and sees all three counters move.
 */
let app: Repo;
let dockerHubApp: Repo;
let docker: RecordingDocker;
let engine: RecordingSocket;
let proxy: FaultProxy;
const temps: string[] = [];

beforeAll(async () => {
  app = makeRepo();
  dockerHubApp = makeRepo({
    ...APP_FILES,
    'hooks/post_checkout': '#!/bin/sh\necho checked out\n',
    'hooks/pre_push': '#!/bin/sh\necho pushing\n',
    'docker-compose.test.yml': 'services:\n  sut:\n    build: .\n    entrypoint: ["true"]\n',
    'smoke.test.yml': 'services:\n  sut:\n    build: .\n    entrypoint: ["true"]\n',
  });
  docker = recordingDocker(temps);
  engine = await recordingSocket(temps);
  proxy = await FaultProxy.start();
});
afterAll(async () => {
  await engine.close();
  await proxy.close();
  removeLocalImages(/^127\.0\.0\.1:\d+\/e2e\/cli-plan:/);
  for (const dir of [...temps, app.dir, dockerHubApp.dir]) fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs dist/cli.js with these arguments, as a user's shell would (no runner variables). */
function cli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<StepResult> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(GITHUB_|RUNNER_|INPUT_|STATE_|ACTIONS_)/.test(k)) env[k] = v;
  Object.assign(env, { PATH: `${docker.dir}:${process.env.PATH}`, DOCKER_HOST: engine.host }, opts.env);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'dist/cli.js'), ...args], { cwd: opts.cwd ?? os.tmpdir(), env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** The tags a plan lists, in order. */
function tagsOf(stdout: string): string[] {
  return [...stdout.matchAll(/^ {2}tag (\S+) +<- /gm)].map((m) => m[1]!);
}

describe('autobuild plan: the plan, and nothing else', () => {
  let before: { engine: number; docker: number; registry: number };
  beforeEach(() => {
    before = { engine: engine.requests().length, docker: docker.calls().length, registry: proxy.requests.length };
  });
  /** Nothing reached docker, the engine or the registry since the test began. */
  const touchedNothing = (): void => {
    expect(engine.requests().slice(before.engine), 'engine requests').toEqual([]);
    expect(docker.calls().slice(before.docker).map((c) => c.argv.join(' ')), 'docker commands').toEqual([]);
    expect(proxy.requests.slice(before.registry), 'registry requests').toEqual([]);
  };

  it('a release tag: 1.2.3, 1.2, 1 and latest, pushed', async () => {
    const r = await cli(['plan', '--ref', 'refs/tags/v1.2.3', '--image', 'localhost:5000/acme/app', app.dir]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('== Plan');
    expect(r.stdout).toContain('Event: push on refs/tags/v1.2.3');
    expect(r.stdout).toContain('Images: localhost:5000/acme/app');
    expect(tagsOf(r.stdout)).toEqual(['1.2.3', '1.2', '1', 'latest', `sha-${app.sha.slice(0, 7)}`]);
    expect(r.stdout).toContain('Push: yes, push event on refs/tags/v1.2.3');
    expect(r.stdout).toContain('registry cache localhost:5000/acme/app:buildcache-tag-v1 (mode=max)');
    expect(r.stdout).toContain('Cache: auto, decided at run time');
    expect(r.stdout).toContain('Hooks and autotests of default: none found next to the Dockerfile (.)');
    touchedNothing();
  });

  it('branches: the default branch gets latest, another branch its own name', async () => {
    const main = await cli(['plan', '--ref', 'main', '--image', `${proxy.host}/e2e/cli-plan`, app.dir]);
    expect(main.code, main.stdout + main.stderr).toBe(0);
    expect(tagsOf(main.stdout)).toEqual(['latest', 'main', `sha-${app.sha.slice(0, 7)}`]);
    expect(main.stdout).toContain('Push: yes, push event on refs/heads/main');
    const feature = await cli(['plan', '--ref', 'refs/heads/feature/login', '--image', `${proxy.host}/e2e/cli-plan`, app.dir]);
    expect(feature.code, feature.stdout + feature.stderr).toBe(0);
    expect(tagsOf(feature.stdout)).toEqual(['feature-login', `sha-${app.sha.slice(0, 7)}`]);
    touchedNothing();
  });

  it('a pull request: pr-<N> tags, never pushed without pr-preview; a fork’s runs no hooks on the host', async () => {
    const pr = await cli(['plan', '--ref', 'refs/pull/7/merge', '--image', `${proxy.host}/e2e/cli-plan`, app.dir]);
    expect(pr.code, pr.stdout + pr.stderr).toBe(0);
    expect(pr.stdout).toContain('Event: pull_request on refs/pull/7/merge, pull request #7 into main');
    expect(tagsOf(pr.stdout)).toEqual(['pr-7', `pr-7-${app.sha.slice(0, 7)}`]);
    expect(pr.stdout).toContain('Push: no, pull request #7: build and test only');
    expect(pr.stdout).not.toMatch(/^Push: yes/m);

    const preview = await cli(['plan', '--ref', 'refs/pull/7/merge', '--pr-preview', 'true', '--image', `${proxy.host}/e2e/cli-plan`, app.dir]);
    expect(preview.stdout).toContain('Push: yes, pr-preview: true for pull request #7');
    expect(preview.stdout).toContain(`Push at run time without credentials: no, no credentials for ${proxy.host}`);

    const fork = await cli(['plan', '--ref', 'refs/pull/8/merge', '--fork', '--pr-preview', 'true', '--image', `${proxy.host}/e2e/cli-plan`, dockerHubApp.dir]);
    expect(fork.code, fork.stdout + fork.stderr).toBe(0);
    expect(fork.stdout).toContain('Code from: a fork (pull request #8 comes from a fork)');
    expect(fork.stdout).toContain('Push: no, pull request #8 comes from a fork: build and test only, never push');
    expect(fork.stdout).toContain('Hooks of default (hooks): post_checkout, pre_push (not run: pull request #8 comes from a fork)');
    touchedNothing();
  });

  it('a Docker Hub repository: its hooks/ and autotest files are found and listed', async () => {
    const r = await cli(['plan', '--ref', 'refs/tags/v2.0.0', '--image', `${proxy.host}/e2e/cli-plan`, dockerHubApp.dir]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('Hooks of default (hooks): post_checkout, pre_push\n');
    expect(r.stdout).toContain('Autotest of default: docker-compose.test.yml, smoke.test.yml');
    expect(tagsOf(r.stdout)).toEqual(['2.0.0', '2.0', '2', 'latest', `sha-${dockerHubApp.sha.slice(0, 7)}`]);
    touchedNothing();
  });

  it('no --image: the repository name stands in, and says so', async () => {
    const r = await cli(['plan', '--ref', 'main'], { cwd: app.dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const placeholder = `local/${path.basename(app.dir).toLowerCase()}`;
    expect(r.stdout).toContain(`note: no --image given: planned for ${placeholder}, the repository's name (give --image to plan for yours)`);
    expect(r.stdout).toContain(`Images: docker.io/${placeholder}`);
    expect(r.stdout).toContain('Docker Hub description: not updated, no README.md in the repository root\n');
    touchedNothing();
  });

  it('the Docker Hub description: the README and its size on the default branch, not for a tag; no credentials are asked', async () => {
    const readme = '# app\n\nThe app.\n';
    const withReadme = makeRepo({ ...APP_FILES, 'README.md': readme });
    temps.push(withReadme.dir);
    const onMain = await cli(['plan', '--ref', 'main', '--image', 'acme/app', withReadme.dir]);
    expect(onMain.code, onMain.stdout + onMain.stderr).toBe(0);
    expect(onMain.stdout).toContain(
      `Docker Hub description: README.md (${Buffer.byteLength(readme)} bytes) to docker.io/acme/app once the pushes succeed, with the run's Docker Hub credentials (username and password, or registry-auth for docker.io)\n`,
    );
    const onTag = await cli(['plan', '--ref', 'refs/tags/v1.0.0', '--image', 'acme/app', withReadme.dir]);
    expect(onTag.stdout).toContain("Docker Hub description: not updated, tag 'v1.0.0' is not the default branch (main): only a push of the default branch updates it\n");
    const elsewhere = await cli(['plan', '--ref', 'main', '--image', 'localhost:5000/acme/app', withReadme.dir]);
    expect(elsewhere.stdout).not.toContain('Docker Hub description');
    touchedNothing();
  });

  it('a folder named plan: the subcommand is only the first word; ./plan is the folder', async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-e2e-plan-parent-'));
    temps.push(parent);
    fs.cpSync(app.dir, path.join(parent, 'plan'), { recursive: true });
    const here = await cli(['plan', '--image', 'acme/app'], { cwd: parent });
    expect(here.stdout).toContain('note: planning the current folder; for the folder named plan, give it as a path: autobuild plan ./plan');
    const there = await cli(['plan', '--ref', 'main', '--image', 'acme/app', './plan'], { cwd: parent });
    expect(there.code, there.stdout + there.stderr).toBe(0);
    expect(there.stdout).toContain(`Commit: ${app.sha}`);
    touchedNothing();
  });

  it('bad input fails as the run fails: the same error line, exit code 1; a bad ref exits 2', async () => {
    const plan = await cli(['plan', '--cache', 's3', '--image', `${proxy.host}/e2e/cli-plan`, app.dir]);
    const run = await cli(['--cache', 's3', '--image', `${proxy.host}/e2e/cli-plan`, app.dir]);
    const errorLine = (s: string): string[] => s.split('\n').filter((l) => l.startsWith('error: '));
    expect(plan.code).toBe(1);
    expect(run.code).toBe(1);
    expect(errorLine(plan.stdout)).toEqual(["error: Input 'cache' has an invalid value 's3': expected one of auto, registry, gha, local, inline, off."]);
    expect(errorLine(plan.stdout)).toEqual(errorLine(run.stdout));

    const badRef = await cli(['plan', '--ref', 'refs/pull/seven/merge', app.dir]);
    expect(badRef.code).toBe(2);
    expect(badRef.stderr).toContain("autobuild: --ref 'refs/pull/seven/merge' is not a pull request's ref: give refs/pull/<number>/merge");
    touchedNothing();
  });

  it('the same setup without plan builds: docker, the engine and the registry are reached (the counters work)', async () => {
    const r = await cli(['--image', `${proxy.host}/e2e/cli-plan`, '--username', REGISTRY_USER, '--push', 'false', app.dir], { env: { AUTOBUILD_PASSWORD: REGISTRY_PASSWORD } });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(engine.requests().length).toBeGreaterThan(before.engine);
    expect(docker.calls().length).toBeGreaterThan(before.docker);
    expect(proxy.requests.length).toBeGreaterThan(before.registry);
  });
});
