import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FaultProxy, newRepo, proxiedImage, removeLocalImages } from './fault-proxy.js';
import { recordingDocker } from './recording-docker.js';
import { APP_FILES, makeRepo } from './fixtures.js';
import { FAKE_TOKEN, pushEvent, runAction, shownLog, type ActionRun, type StepResult } from './runner.js';
import { BASE_IMAGE, deleteRepository, REGISTRY, REGISTRY_PASSWORD, REGISTRY_USER, registryDigest, registryTags } from './world.js';

const repos: string[] = [];
const temps: string[] = [];
const proxies: FaultProxy[] = [];
afterEach(async () => {
  for (const p of proxies.splice(0)) await p.close();
});
afterAll(async () => {
  for (const repo of repos) await deleteRepository(repo);
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
  removeLocalImages(/^(localhost|127\.0\.0\.1):\d+\/e2e\/secrets-/);
});

const BUILD_SECRET = 'build-secret-value-7f3a9c';
const LEGACY_TOKEN = 'legacy-build-arg-token-5d1e';

/** A value the main step has saved to its state file so far. */
function stateValue(stateFile: string, name: string): string | undefined {
  const text = fs.readFileSync(stateFile, 'utf8');
  return new RegExp(`^${name}<<(\\S+)\n(.*)\n\\1$`, 'm').exec(text)?.[2];
}

/** Every file under a folder (the runner's temp after the post step), as text. */
function filesUnder(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile()) out.set(p, fs.readFileSync(p, 'latin1'));
    }
  };
  walk(dir);
  return out;
}

/** The secret is registered as a mask before the first line that holds it (the runner then hides it). */
function expectMaskedFirst(step: StepResult, secret: string): void {
  const text = step.stdout + step.stderr;
  const mask = `::add-mask::${secret}`;
  expect(step.stdout.indexOf(mask), `no ::add-mask:: for ${secret}`).toBeGreaterThanOrEqual(0);
  expect(text.indexOf(secret)).toBe(step.stdout.indexOf(mask) + '::add-mask::'.length);
}

function expectNowhere(secret: string, run: ActionRun, where: Record<string, string>): void {
  const places: Record<string, string> = {
    'main log': shownLog(run),
    'post log': shownLog(run.post),
    outputs: JSON.stringify(run.outputs),
    state: JSON.stringify(run.state),
    summary: run.summary,
    ...where,
  };
  for (const [name, text] of Object.entries(places)) expect(text.includes(secret), `${secret} in ${name}`).toBe(false);
}

describe('secrets never leak', () => {
  it('login, build with secrets, test, push and post: no password, token or build secret anywhere', async () => {
    const app = makeRepo({
      ...APP_FILES,
      Dockerfile: `FROM ${BASE_IMAGE}
ARG LEGACY_API_TOKEN
RUN --mount=type=secret,id=buildsecret sha256sum /run/secrets/buildsecret | cut -d' ' -f1 > /secret.sha
COPY app.sh /app.sh
`,
    });
    const repo = newRepo(repos, 'secrets-all');
    const docker = recordingDocker(temps);
    const expectedSha = createHash('sha256').update(BUILD_SECRET).digest('hex');
    const configBefore = (home: string): string => fs.readFileSync(path.join(home, '.docker', 'config.json'), 'utf8');
    const r = await runAction({
      workspace: app.dir,
      event: pushEvent('refs/heads/main', app.sha),
      inputs: {
        image: `${REGISTRY}/${repo}`,
        username: REGISTRY_USER,
        password: REGISTRY_PASSWORD,
        secrets: 'id=buildsecret,env=BUILD_SECRET',
        'build-args': `LEGACY_API_TOKEN=${LEGACY_TOKEN}`,
        // The test sees the secret was there (its hash), never the secret itself.
        'test-command': `test "$(cat /secret.sha)" = "${expectedSha}" && echo SECRET-WAS-MOUNTED`,
      },
      env: { BUILD_SECRET, PATH: `${docker.dir}:${process.env.PATH}` },
    });
    expect(r.code, shownLog(r)).toBe(0);
    expect(r.post.code).toBe(0);
    expect(r.stdout).toContain('SECRET-WAS-MOUNTED');
    expect(await registryDigest(repo, 'latest')).toBe(r.outputs.digest);

    // Masked before first use.
    expectMaskedFirst(r, REGISTRY_PASSWORD);
    expectMaskedFirst(r, FAKE_TOKEN);
    // A build-arg that looks like a secret: a warning pointing to `secrets`, and its value masked.
    expect(r.stdout).toContain("::warning::Input 'build-args' sets LEGACY_API_TOKEN, which looks like a secret");
    expectMaskedFirst(r, LEGACY_TOKEN);

    // Never in argv, and the credentials never in a child's environment.
    const calls = docker.calls();
    expect(calls.some((c) => c.argv[0] === 'login' && c.argv.includes('--password-stdin'))).toBe(true);
    expect(calls.some((c) => c.argv[0] === 'buildx' && c.argv.includes('id=buildsecret,env=BUILD_SECRET'))).toBe(true);
    for (const call of calls) {
      for (const secret of [REGISTRY_PASSWORD, FAKE_TOKEN, BUILD_SECRET]) {
        expect(call.argv.join(' ').includes(secret), `${secret} in argv of docker ${call.argv.join(' ')}`).toBe(false);
      }
      for (const secret of [REGISTRY_PASSWORD, FAKE_TOKEN]) expect(call.env.includes(secret), `${secret} in env of docker ${call.argv[0]}`).toBe(false);
      expect(call.env).not.toMatch(/^INPUT_/m);
    }

    // After the post step, nothing under RUNNER_TEMP holds a secret: the private docker config is gone.
    const files = filesUnder(r.runnerTemp);
    expect([...files.keys()].some((f) => f.includes('autobuild-docker-'))).toBe(false);
    expect(fs.existsSync(r.state['docker-config']!)).toBe(false);
    const fileTexts = Object.fromEntries([...files].map(([f, text]) => [`file ${f}`, text]));
    for (const secret of [REGISTRY_PASSWORD, FAKE_TOKEN, BUILD_SECRET]) expectNowhere(secret, r, fileTexts);
    expect(Object.keys(r.state).sort()).toEqual(['docker-config', 'isPost', 'local-tags', 'run-id', 'test-containers']);
    // The main step removed its run-local name and its test container itself: nothing is left for post.
    expect(r.state['local-tags']).toBe('');
    expect(r.state['test-containers']).toBe('');

    // The image's history holds no build secret, but does hold build args (hence the warning).
    const history = execFileSync('docker', ['image', 'history', '--no-trunc', '--format', '{{.CreatedBy}}', `${REGISTRY}/${repo}:latest`], { encoding: 'utf8' });
    expect(history).toContain('sha256sum /run/secrets/buildsecret');
    expect(history).not.toContain(BUILD_SECRET);
    expect(history).toContain(`LEGACY_API_TOKEN=${LEGACY_TOKEN}`);
    // The runner's own docker config is untouched.
    expect(configBefore(r.home)).toBe('{"auths":{}}\n');
  });
});

describe("the runner's docker config is only read", () => {
  it('keeps its logins and helpers, never writes it, and keeps our login out of its credential store and helpers', async () => {
    const app = makeRepo();
    const repo = newRepo(repos, 'secrets-userconfig');
    // A credential store and a helper for our registry that do not exist: had docker used them, the login would fail.
    const userConfig = `${JSON.stringify({
      auths: { 'other.example:5000': { auth: Buffer.from('someone:their-password').toString('base64') } },
      credsStore: 'autobuild-e2e-missing',
      credHelpers: { [REGISTRY]: 'autobuild-e2e-missing', 'gcr.io': 'gcloud' },
    }, null, 2)}\n`;
    let privateConfig: Record<string, unknown> | undefined;
    const r = await runAction({
      workspace: app.dir,
      event: pushEvent('refs/heads/main', app.sha),
      inputs: { image: `${REGISTRY}/${repo}`, username: REGISTRY_USER, password: REGISTRY_PASSWORD, 'test-command': 'echo TEST-$((6*7))-STARTED' },
      userDockerConfig: userConfig,
      onMainStart: (child, runner) => {
        let seen = '';
        child.stdout!.on('data', (d: Buffer) => {
          seen += d.toString();
          if (!privateConfig && seen.includes('TEST-42-STARTED')) {
            privateConfig = JSON.parse(fs.readFileSync(path.join(stateValue(runner.stateFile, 'docker-config')!, 'config.json'), 'utf8')) as Record<string, unknown>;
          }
        });
      },
    });
    expect(r.code, shownLog(r)).toBe(0);
    expect(fs.readFileSync(path.join(r.home, '.docker', 'config.json'), 'utf8')).toBe(userConfig);
    // During the run: the user's other logins and helpers are there, ours is in the file, no store.
    expect(privateConfig).toBeDefined();
    expect(privateConfig!.credsStore).toBeUndefined();
    expect(privateConfig!.credHelpers).toEqual({ 'gcr.io': 'gcloud' });
    expect(Object.keys(privateConfig!.auths as object).sort()).toEqual([REGISTRY, 'other.example:5000'].sort());
    expect(fs.existsSync(r.state['docker-config']!)).toBe(false);
  });
});

describe('credentials are removed also when the main step fails or is cancelled', () => {
  it('a failing test: the private config is still removed (by the main step itself)', async () => {
    const app = makeRepo();
    const r = await runAction({
      workspace: app.dir,
      event: pushEvent('refs/heads/main', app.sha),
      inputs: { image: `${REGISTRY}/${newRepo(repos, 'secrets-failing')}`, username: REGISTRY_USER, password: REGISTRY_PASSWORD, 'test-command': 'exit 1' },
    });
    expect(r.code).not.toBe(0);
    expect(r.state['docker-config']).toContain(r.runnerTemp);
    expect(fs.existsSync(r.state['docker-config']!)).toBe(false);
    expect(r.stdout).toContain('Logged out: removed the private docker config.');
    expect(r.post.code).toBe(0);
  });

  it('cancelled during the test: the container is killed and removed, the credentials are gone after post', async () => {
    const app = makeRepo();
    const repo = newRepo(repos, 'secrets-cancel');
    let configDuringRun: string | undefined;
    let loginDuringRun = '';
    const r = await runAction({
      workspace: app.dir,
      event: pushEvent('refs/heads/main', app.sha),
      inputs: { image: `${REGISTRY}/${repo}`, username: REGISTRY_USER, password: REGISTRY_PASSWORD, 'test-command': 'echo TEST-$((6*7))-STARTED; sleep 600' },
      onMainStart: (child, runner) => {
        let seen = '';
        child.stdout!.on('data', (d: Buffer) => {
          seen += d.toString();
          // (The command's text is in the log too, so look for what only running it prints.)
          if (configDuringRun === undefined && seen.includes('TEST-42-STARTED')) {
            // The private config holds the login while the run goes on...
            configDuringRun = stateValue(runner.stateFile, 'docker-config') ?? '';
            loginDuringRun = fs.readFileSync(path.join(configDuringRun, 'config.json'), 'utf8');
            // ...when the job is cancelled: the runner signals the step.
            child.kill('SIGINT');
          }
        });
      },
    });
    expect(JSON.parse(loginDuringRun).auths).toHaveProperty([REGISTRY]);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toContain('Received SIGINT: stopping the running commands and cleaning up.');
    expect(r.stdout).toMatch(/::error::Cancelled \(SIGINT\) while running 'docker run'\. The test container autobuild-test-[0-9a-f]+-0 was killed and removed; nothing was pushed\./);
    const left = execFileSync('docker', ['ps', '--all', '--quiet', '--filter', `label=autobuild.run=${r.state['run-id']}`], { encoding: 'utf8' });
    expect(left.trim()).toBe('');
    expect(r.state['docker-config']).toBe(configDuringRun);
    expect(fs.existsSync(configDuringRun!)).toBe(false);
    expect(r.post.code).toBe(0);
    expect(await registryTags(repo)).toEqual([]);
  });

  it('cancelled in the middle of a login: the state already names the config, and post removes it', async () => {
    const proxy = await FaultProxy.start();
    proxies.push(proxy);
    // The registry answers the login only after a long time: the job is cancelled meanwhile.
    proxy.setFaults({ method: 'GET', path: /^\/v2\/$/, fault: { kind: 'delay', ms: 60_000 } });
    const { image } = proxiedImage(proxy, newRepo(repos, 'secrets-cancel-login'));
    const app = makeRepo();
    let configDuringLogin: string | undefined;
    const r = await runAction({
      workspace: app.dir,
      event: pushEvent('refs/heads/main', app.sha),
      inputs: { image, username: REGISTRY_USER, password: REGISTRY_PASSWORD },
      onMainStart: (child, runner) => {
        const timer = setInterval(() => {
          // The login request has reached the registry (and hangs there).
          if (proxy.requests.length === 0) return;
          clearInterval(timer);
          configDuringLogin = stateValue(runner.stateFile, 'docker-config');
          child.kill('SIGTERM');
        }, 50);
      },
    });
    expect(r.code).not.toBe(0);
    expect(configDuringLogin).toBeDefined();
    expect(r.state['docker-config']).toBe(configDuringLogin);
    expect(r.stdout).toContain(`Cancelled (SIGTERM) while running 'docker login ${proxy.host}'`);
    expect(fs.existsSync(configDuringLogin!)).toBe(false);
    expect(r.stdout).not.toContain('::group::build');
  });
});
