import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeRepo, testRepositories, type Repo } from './fixtures.js';
import { pullRequestEvent, pushEvent, ROOT, runAction, shownLog, type ActionRun, type Event, type RunOptions } from './runner.js';
import { BASE_IMAGE, REGISTRY, REGISTRY_PASSWORD, REGISTRY_USER, registryDigest, registryManifest, registryTags } from './world.js';

// Docker Hub-style repositories (hooks/, docker-compose.test.yml) run unchanged.

const newRepo = testRepositories();

const credentials = { username: REGISTRY_USER, password: REGISTRY_PASSWORD };

/** Compose projects the runs of the current test started (read from their logs). */
let projects: string[] = [];

/** The step's own `env:`, with a secret of the kind the README's recipes put there, and the runner's tokens. */
const STEP_ENV = { NPM_TOKEN: 'npm-step-secret-e2e', ACTIONS_RUNTIME_TOKEN: 'runtime-token-e2e', ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-token-e2e' };

async function run(workspace: string, event: Event, inputs: Record<string, string>, cancelWhen?: RegExp, more: Partial<RunOptions> = {}): Promise<ActionRun> {
  const result = await runAction({ workspace, event, inputs, cancelWhen, env: STEP_ENV, ...more });
  projects.push(...[...result.stdout.matchAll(/Compose project (autobuild-[a-z0-9_-]+)/g)].map((m) => m[1]!));
  return result;
}

function docker(...args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8' }).trim();
}

/** Every container (running or not), network and volume on the engine. */
function engineObjects(): Record<'containers' | 'networks' | 'volumes', string[]> {
  const list = (...args: string[]): string[] => docker(...args).split('\n').filter(Boolean);
  return { containers: list('ps', '--all', '--quiet', '--no-trunc'), networks: list('network', 'ls', '--quiet', '--no-trunc'), volumes: list('volume', 'ls', '--quiet') };
}

let before: ReturnType<typeof engineObjects>;
beforeEach(() => {
  before = engineObjects();
});

// After each test: nothing it started is left on the engine (test files run one at a time), not
// only what carries a compose label: test-command containers, hooks' own `docker run`s too.
afterEach(() => {
  const after = engineObjects();
  for (const kind of ['containers', 'networks', 'volumes'] as const) {
    expect(after[kind].filter((id) => !before[kind].includes(id)), `${kind} left on the engine`).toEqual([]);
  }
  for (const project of projects) {
    const label = `label=com.docker.compose.project=${project}`;
    expect(docker('ps', '--all', '--quiet', '--filter', label), `containers of ${project}`).toBe('');
    expect(docker('network', 'ls', '--quiet', '--filter', label), `networks of ${project}`).toBe('');
    expect(docker('volume', 'ls', '--quiet', '--filter', label), `volumes of ${project}`).toBe('');
    expect(docker('image', 'ls', '--quiet', '--filter', label), `images of ${project}`).toBe('');
  }
  projects = [];
});

/** The text of the log group `title` (up to the next ::endgroup::). */
function group(log: string, title: string): string {
  const start = log.indexOf(`::group::${title}\n`);
  if (start < 0) return '';
  const end = log.indexOf('::endgroup::', start);
  return log.slice(start, end < 0 ? undefined : end);
}

/** The app served over HTTP inside the compose network; refuses to build without MUST_BE_SET. */
const WEB_APP: Record<string, string> = {
  Dockerfile: [
    `FROM ${BASE_IMAGE}`,
    'ARG MUST_BE_SET',
    // Compose rebuilding `build: .` would not pass the build argument and fail here.
    'RUN test -n "$MUST_BE_SET" || { echo "rebuilt without the build args: not the image autobuild built"; exit 1; }',
    'RUN mkdir /www && echo "hello from web" > /www/index.html',
    'CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]',
    '',
  ].join('\n'),
};

const COMPOSE_PASSING = `services:
  web:
    build: .
    networks: [internal]
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://localhost:8080/"]
      interval: 250ms
      retries: 120
  sut:
    image: \${IMAGE_NAME}
    networks: [internal]
    depends_on:
      web: { condition: service_healthy }
    volumes: [scratch:/scratch]
    environment: [SOURCE_COMMIT, SOURCE_BRANCH]
    command: ["sh", "-c", "wget -qO- http://web:8080/ > /scratch/page && grep -q 'hello from web' /scratch/page && echo SUT-PASSED $$SOURCE_BRANCH $$SOURCE_COMMIT"]
  unused:
    image: ${BASE_IMAGE}
    network_mode: none
    command: ["echo", "UNUSED-SERVICE-STARTED"]
networks:
  internal: { internal: true }
volumes:
  scratch: {}
`;

describe('autotest: docker-compose.test.yml with sut', () => {
  it('runs sut against the image just built, with a dependency, in every *.test.yml, then pushes', async () => {
    const repo = newRepo('autotest-pass');
    // Compose v1 format, as many Docker Hub repositories still have; it names the repository.
    // Its command also interpolates a variable of the step's env: compose never sees it.
    const legacy = `sut:\n  image: ${REGISTRY}/${repo}\n  net: none\n  command: sh -c 'test -f /www/index.html && echo V1-SUT-OK \${NPM_TOKEN:-not-given}'\n`;
    const app = makeRepo({ ...WEB_APP, 'docker-compose.test.yml': COMPOSE_PASSING, 'api-test.yml': legacy }, 'feature/x');
    const result = await run(app.dir, pushEvent('refs/heads/feature/x', app.sha), {
      image: `${REGISTRY}/${repo}`,
      ...credentials,
      'build-args': 'MUST_BE_SET=1',
    });
    expect(result.code, result.stdout).toBe(0);
    const main = group(result.stdout, 'autotest docker-compose.test.yml');
    // On the run-local name, which no other run on the engine can re-tag; $IMAGE_NAME still names the repository.
    expect(main).toMatch(/Services on the image just built \(sha256:[0-9a-f]{64} as autobuild\.invalid\/e2e\/autotest-pass-[^ ]+:[0-9a-f]+-0, not rebuilt/);
    expect(main).toContain(`SUT-PASSED feature/x ${app.sha}`);
    expect(main).not.toContain('UNUSED-SERVICE-STARTED');
    expect(main).not.toMatch(/unused-1/);
    // The v1 file names the repository without a tag (:latest, never built on this branch): it still gets the image.
    const second = group(result.stdout, 'autotest api-test.yml');
    expect(second).toContain('Compose v1 format');
    expect(second).toContain('V1-SUT-OK not-given');
    expect(result.stdout).not.toContain(STEP_ENV.NPM_TOKEN);
    expect(result.stdout.indexOf('::group::autotest docker-compose.test.yml')).toBeLessThan(result.stdout.indexOf('::group::autotest api-test.yml'));
    expect(result.stdout.indexOf('::group::autotest api-test.yml')).toBeLessThan(result.stdout.indexOf('::group::push'));
    expect(projects).toHaveLength(2);
    expect(await registryTags(repo)).toEqual(['feature-x', `sha-${app.sha.slice(0, 7)}`]);
    const metadata = JSON.parse(result.outputs.metadata!) as { builds: { tests: { name: string; passed: boolean }[] }[] };
    expect(metadata.builds[0]!.tests).toMatchObject([
      { name: 'autotest docker-compose.test.yml', passed: true },
      { name: 'autotest api-test.yml', passed: true },
    ]);
  });

  it("fails on sut's exit code, shows its log and the failing dependency's, pushes nothing", async () => {
    const repo = newRepo('autotest-fail');
    const failing = `services:
  broken:
    image: ${BASE_IMAGE}
    network_mode: none
    command: ["sh", "-c", "echo dependency broke down; exit 2"]
  sut:
    build: .
    network_mode: none
    depends_on: [broken]
    command: ["sh", "-c", "echo sut says the page is wrong; exit 4"]
`;
    const app = makeRepo({ ...WEB_APP, 'docker-compose.test.yml': failing });
    const result = await run(app.dir, pushEvent('refs/heads/main', app.sha), { image: `${REGISTRY}/${repo}`, ...credentials, 'build-args': 'MUST_BE_SET=1' });
    expect(result.code).not.toBe(0);
    expect(result.stdout).toContain('::error::Autotest docker-compose.test.yml failed: sut exited with 4. Nothing was pushed.');
    const log = group(result.stdout, 'autotest docker-compose.test.yml');
    expect(log).toContain('----- sut (exit 4) -----');
    expect(log).toContain('sut says the page is wrong');
    expect(log).toContain('----- broken (exit 2) -----');
    expect(log).toContain('dependency broke down');
    expect(projects).toHaveLength(1);
    expect(await registryTags(repo)).toEqual([]);
    expect(result.outputs.pushed).toBe('false');
    expect(result.summary).toMatch(/autotest docker-compose.test.yml \| \*\*failed\*\*/);
  });

  it('removes the compose project in the post step when the job is cancelled during the autotest', async () => {
    const hanging = `services:
  db:
    image: ${BASE_IMAGE}
    network_mode: none
    volumes: [data:/data]
    command: ["sleep", "300"]
  sut:
    build: .
    network_mode: none
    depends_on: [db]
    command: ["sleep", "300"]
volumes:
  data: {}
`;
    const app = makeRepo({ Dockerfile: `FROM ${BASE_IMAGE}\n`, 'docker-compose.test.yml': hanging });
    const result = await run(app.dir, pushEvent('refs/heads/main', app.sha), { image: `${REGISTRY}/${newRepo('cancel')}`, push: 'false' }, /sut-1 {2}Started/);
    expect(result.code).not.toBe(0);
    expect(projects).toHaveLength(1);
    const label = `label=com.docker.compose.project=${projects[0]}`;
    expect(result.post.code).toBe(0);
    expect(result.post.stdout).toContain(`Removed compose test projects left by the main step: ${projects[0]}.`);
    // (afterEach checks that nothing is left.) Without the post step, these would still be running:
    expect(docker('ps', '--all', '--quiet', '--filter', label)).toBe('');
  });

  it('runs only the files named in test-compose, and none with off', async () => {
    const app = makeRepo({
      Dockerfile: `FROM ${BASE_IMAGE}\nRUN echo smoke > /smoke\n`,
      'docker-compose.test.yml': 'services:\n  sut:\n    build: .\n    network_mode: none\n    command: ["false"]\n',
      'ci/smoke.yml': 'services:\n  sut:\n    image: ${IMAGE_NAME}\n    network_mode: none\n    command: ["cat", "/smoke"]\n',
    });
    const image = `${REGISTRY}/${newRepo('explicit')}`;
    const named = await run(app.dir, pushEvent('refs/heads/main', app.sha), { image, push: 'false', 'test-compose': 'ci/smoke.yml' });
    expect(named.code, named.stdout).toBe(0);
    expect(group(named.stdout, 'autotest ci/smoke.yml')).toContain('sut exited with 0.');
    expect(named.stdout).not.toContain('::group::autotest docker-compose.test.yml');
    const off = await run(app.dir, pushEvent('refs/heads/main', app.sha), { image, push: 'false', 'test-compose': 'off' });
    expect(off.code, off.stdout).toBe(0);
    expect(off.stdout).not.toContain('::group::autotest');
    const missing = await run(app.dir, pushEvent('refs/heads/main', app.sha), { image, 'test-compose': 'ci/nope.yml' });
    expect(missing.code).not.toBe(0);
    expect(missing.stdout).toContain("::error::Input 'test-compose' has an invalid value 'ci/nope.yml': no such file");
    expect(projects).toHaveLength(1);
  });

  it('refuses a test file without sut before any work, naming the file', async () => {
    const app = makeRepo({ ...WEB_APP, 'docker-compose.test.yml': 'services:\n  tests:\n    build: .\n' });
    const result = await run(app.dir, pushEvent('refs/heads/main', app.sha), { image: `${REGISTRY}/${newRepo('nosut')}`, ...credentials });
    expect(result.code).not.toBe(0);
    expect(result.stdout).toContain("::error::The autotest file docker-compose.test.yml defines no service named 'sut' (it has tests).");
    expect(result.stdout).not.toContain('Logged in');
    expect(result.stdout).not.toContain('::group::build');
  });
});

/** Every hook appends its name to $MARKERS/order and writes its working folder and environment. */
const MARKER = `#!/bin/sh
set -e
hook=$(basename "$0")
echo "$hook" >> "$MARKERS/order"
{ pwd; env; } > "$MARKERS/$hook.env"
echo "hook $hook sees API_TOKEN=$API_TOKEN"
`;

function readMarker(dir: string, hook: string): { cwd: string; env: Record<string, string> } {
  const [cwd = '', ...lines] = fs.readFileSync(path.join(dir, `${hook}.env`), 'utf8').split('\n');
  const env: Record<string, string> = {};
  for (const line of lines) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (m) env[m[1]!] = m[2]!;
  }
  return { cwd, env };
}

function markerDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-e2e-markers-'));
}

function order(dir: string): string[] {
  const file = path.join(dir, 'order');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n') : [];
}

const ALL_HOOKS = ['post_checkout', 'pre_build', 'build', 'post_build', 'pre_test', 'test', 'post_test', 'pre_push', 'push', 'post_push'];

/** A repository with every hook in app/hooks; build, test and push do the real work after the marker. */
function hookedRepo(extra: Record<string, string> = {}, hooks = ALL_HOOKS): Repo {
  const files: Record<string, string> = {
    'app/Dockerfile': `FROM ${BASE_IMAGE}\nRUN echo built > /built\n`,
    'README.md': 'repository root\n',
    ...extra,
  };
  for (const hook of hooks) {
    const work =
      hook === 'build' ? 'docker build -q -f "$DOCKERFILE_PATH" -t "$IMAGE_NAME" .\n'
      : hook === 'test' ? 'docker run --rm --network none "$IMAGE_NAME" cat /built\n'
      : hook === 'push' ? 'docker push "$IMAGE_NAME"\n'
      : '';
    files[`app/hooks/${hook}`] = MARKER + work;
  }
  const repo = makeRepo(files);
  for (const hook of hooks) fs.chmodSync(path.join(repo.dir, 'app/hooks', hook), 0o755);
  return repo;
}

describe('hooks: Docker Hub order, environment and replacements', () => {
  it('runs every hook in order from the Dockerfile folder with the Docker Hub environment', async () => {
    const repo = newRepo('hooks-all');
    const markers = markerDir();
    const app = hookedRepo();
    // A hook without the run bit still runs (with bash), with a warning.
    fs.chmodSync(path.join(app.dir, 'app/hooks/pre_test'), 0o644);
    app.git('tag', 'v1.2.3');
    const secret = 'tok-e2e-secret-value-4821';
    const result = await run(app.dir, pushEvent('refs/tags/v1.2.3', app.sha, 'Release 1.2.3'), {
      image: `${REGISTRY}/${repo}`,
      ...credentials,
      context: 'app',
      'test-command': 'test "$(cat /built)" = built',
      'build-env': `MARKERS=${markers}\nGREETING=hello world\nAPI_TOKEN=${secret}`,
    });
    expect(result.code, result.stdout).toBe(0);
    expect(order(markers)).toEqual(ALL_HOOKS);

    const { cwd, env } = readMarker(markers, 'pre_build');
    expect(cwd).toBe(path.join(app.dir, 'app'));
    expect(env).toMatchObject({
      SOURCE_BRANCH: 'v1.2.3',
      SOURCE_COMMIT: app.sha,
      GIT_SHA1: app.sha,
      COMMIT_MSG: 'Release 1.2.3',
      DOCKER_REPO: `${REGISTRY}/${repo}`,
      DOCKERFILE_PATH: 'Dockerfile',
      DOCKER_TAG: '1.2.3',
      IMAGE_NAME: `${REGISTRY}/${repo}:1.2.3`,
      CACHE_TAG: '',
      DOCKER_BUILDKIT: '1',
      GREETING: 'hello world',
      API_TOKEN: secret,
    });
    // The run's private, logged-in docker config: not the runner's own.
    expect(env.DOCKER_CONFIG).toContain(result.runnerTemp);
    // Hooks run on the host with Docker Hub's variables and the basics, never the runner's tokens,
    // its command files or the step's other env.
    for (const hook of ALL_HOOKS) {
      const seen = readMarker(markers, hook).env;
      for (const name of [...Object.keys(STEP_ENV), 'GITHUB_STATE', 'GITHUB_ENV', 'GITHUB_OUTPUT', 'GITHUB_PATH', 'GITHUB_STEP_SUMMARY', 'ACTIONS_RESULTS_URL']) {
        expect(seen[name], `${hook} sees ${name}`).toBeUndefined();
      }
      expect(seen.PATH).toBeTruthy();
    }
    for (const hook of ALL_HOOKS) expect(readMarker(markers, hook).env.IMAGE_NAME).toBe(`${REGISTRY}/${repo}:1.2.3`);

    // Each hook has its own log group, around the default steps, in Docker Hub's order.
    const groups = [...result.stdout.matchAll(/^::group::(.*)$/gm)].map((m) => m[1]);
    expect(groups).toEqual([
      'Plan', 'login',
      'app/hooks/post_checkout', 'app/hooks/pre_build', 'app/hooks/build', 'app/hooks/post_build',
      'app/hooks/pre_test', 'test-command', 'app/hooks/test', 'app/hooks/post_test',
      'app/hooks/pre_push', 'app/hooks/push', 'app/hooks/post_push',
    ]);
    expect(result.stdout).toContain('::warning::app/hooks/pre_test is not executable: running it with bash.');
    // build-env values with secret-looking names are masked before any hook can print them,
    // and autobuild itself writes them nowhere.
    const mask = result.stdout.indexOf(`::add-mask::${secret}`);
    expect(mask).toBeGreaterThanOrEqual(0);
    expect(mask).toBeLessThan(result.stdout.indexOf(`sees API_TOKEN=${secret}`));
    for (const text of [JSON.stringify(result.outputs), JSON.stringify(result.state), result.summary, shownLog(result.post)]) expect(text).not.toContain(secret);
    // hooks/push replaced the push: only what it pushed is there.
    expect(await registryTags(repo)).toEqual(['1.2.3']);
    const metadata = JSON.parse(result.outputs.metadata!) as { builds: { hooks: string[]; tests: { name: string }[] }[] };
    expect(metadata.builds[0]!.hooks).toEqual(ALL_HOOKS);
    expect(result.summary).toContain('Docker Hub hooks: `post_checkout`, `pre_build`, `build`');
    expect(result.summary).toContain('(hooks/push replaced the push)');
    expect(metadata.builds[0]!.tests.map((t) => t.name)).toEqual(['test-command: test "$(cat /built)" = built', 'app/hooks/test']);
    fs.rmSync(markers, { recursive: true });
  });

  it('fails the build naming a hook that exits non-zero, before anything is built', async () => {
    const app = makeRepo({ 'Dockerfile': `FROM ${BASE_IMAGE}\n`, 'hooks/pre_build': '#!/bin/sh\necho "pre_build is unhappy"\nexit 3\n' });
    const result = await run(app.dir, pushEvent('refs/heads/main', app.sha), { image: `${REGISTRY}/${newRepo('hook-fails')}`, ...credentials });
    expect(result.code).not.toBe(0);
    expect(result.stdout).toContain('pre_build is unhappy');
    expect(result.stdout).toContain('::error::The hook hooks/pre_build failed (exit 3); nothing was pushed.');
    expect(result.stdout).not.toContain('::group::build');
  });

  it('tests and pushes the image hooks/build made (custom build args), and post_push adds a tag: the example repository', async () => {
    const repo = newRepo('hook-build');
    const files: Record<string, string> = {};
    const example = path.join(ROOT, 'examples/dockerhub-app');
    for (const name of ['Dockerfile', 'docker-compose.test.yml', 'hooks/build', 'hooks/post_push']) {
      files[name] = fs.readFileSync(path.join(example, name), 'utf8');
    }
    const app = makeRepo(files);
    const result = await run(app.dir, pushEvent('refs/heads/main', app.sha), {
      image: `${REGISTRY}/${repo}`,
      ...credentials,
      'build-env': `BASE_IMAGE=${BASE_IMAGE}`,
      'test-command': `grep -q "version latest, commit ${app.sha}" /www/version.txt`,
    });
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain('hooks/build built sha256:');
    expect(result.stdout).not.toContain('::group::build');
    // The compose test saw the commit the hook baked in: it tested the hook's image, not a rebuild.
    expect(group(result.stdout, 'autotest docker-compose.test.yml')).toContain(`version latest, commit ${app.sha}`);
    const short = `sha-${app.sha.slice(0, 7)}`;
    expect(await registryTags(repo)).toEqual([app.sha, 'latest', 'main', short].sort());
    const digest = result.outputs.digest!;
    expect(digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    for (const tag of ['latest', 'main', short, app.sha]) expect(await registryDigest(repo, tag)).toBe(digest);
    expect(docker('image', 'inspect', '--format', '{{.Id}}', `${REGISTRY}/${repo}:latest`)).toBe(result.outputs.imageid);
    expect(result.stdout.indexOf('::group::push')).toBeLessThan(result.stdout.indexOf('::group::hooks/post_push'));
  });

  it('refuses a hooks/build that tags nothing as $IMAGE_NAME, even when an old image has that name', async () => {
    const repo = newRepo('hook-notag');
    const stale = `${REGISTRY}/${repo}:latest`;
    docker('tag', BASE_IMAGE, stale);
    const app = makeRepo({ Dockerfile: `FROM ${BASE_IMAGE}\n`, 'hooks/build': '#!/bin/sh\necho "built, but forgot -t"\n' });
    const result = await run(app.dir, pushEvent('refs/heads/main', app.sha), { image: `${REGISTRY}/${repo}`, ...credentials });
    expect(result.code).not.toBe(0);
    expect(result.stdout).toContain(`::error::hooks/build finished but there is no image ${stale} (it left no image of ${REGISTRY}/${repo} in the engine`);
    expect(result.stdout).toContain('a build hook must tag what it builds as $IMAGE_NAME');
    expect(await registryTags(repo)).toEqual([]);
  });

  // The shape of per-architecture repositories on Docker Hub: hooks/build builds one image an
  // architecture under $IMAGE_NAME-ARCH, hooks/push pushes those, post_push makes and annotates
  // the manifest list (--insecure only because the test registry speaks plain HTTP).
  const PER_ARCH_HOOKS: Record<string, string> = {
    'hooks/build': [
      '#!/bin/bash',
      'set -e',
      'for arch in amd64 arm64v8; do',
      '  docker build --build-arg ARCH=${arch} -f $DOCKERFILE_PATH -t ${IMAGE_NAME}-${arch} .',
      'done',
      '',
    ].join('\n'),
    'hooks/push': ['#!/bin/bash', 'set -e', 'for arch in amd64 arm64v8; do', '  docker push ${IMAGE_NAME}-${arch}', 'done', ''].join('\n'),
    'hooks/post_push': [
      '#!/bin/bash',
      'set -e',
      'docker manifest create --insecure ${IMAGE_NAME} ${IMAGE_NAME}-amd64 ${IMAGE_NAME}-arm64v8',
      'docker manifest annotate ${IMAGE_NAME} ${IMAGE_NAME}-arm64v8 --os linux --arch arm64 --variant v8',
      'docker manifest push --insecure --purge ${IMAGE_NAME}',
      '',
    ].join('\n'),
  };
  const PER_ARCH_APP: Record<string, string> = {
    Dockerfile: `ARG ARCH=amd64\nFROM ${BASE_IMAGE}\nARG ARCH\nRUN echo "$ARCH" > /arch\n`,
    // Compose builds sut itself, as Docker Hub's autotest did when the image had another name.
    'docker-compose.test.yml': `services:\n  sut:\n    build: .\n    network_mode: none\n    command: sh -c 'test "$$(cat /arch)" = amd64 && echo SUT-ARCH-OK'\n`,
    ...PER_ARCH_HOOKS,
  };

  it('runs a hooks/build that builds $IMAGE_NAME-ARCH for each architecture: hooks/push pushes them, post_push makes the list, the autotest runs as written', async () => {
    const repo = newRepo('hook-arch-names');
    const app = makeRepo(PER_ARCH_APP);
    for (const hook of Object.keys(PER_ARCH_HOOKS)) fs.chmodSync(path.join(app.dir, hook), 0o755);
    const result = await run(app.dir, pushEvent('refs/heads/main', app.sha), { image: `${REGISTRY}/${repo}`, ...credentials });
    expect(result.code, result.stdout).toBe(0);
    const name = `${REGISTRY}/${repo}`;
    expect(result.stdout).toContain(`hooks/build made no ${name}:latest; it made ${name}:latest-amd64, ${name}:latest-arm64v8. hooks/push pushes what it built`);
    expect(result.stdout).toContain('hooks/build made no $IMAGE_NAME: docker-compose.test.yml runs as written');
    expect(result.stdout).toContain('SUT-ARCH-OK');
    expect(await registryTags(repo)).toEqual(['latest', 'latest-amd64', 'latest-arm64v8']);
    const list = await registryManifest(repo, 'latest');
    const entries = list.manifests as { digest: string; platform: { architecture: string } }[];
    expect(entries.map((m) => m.digest).sort()).toEqual([await registryDigest(repo, 'latest-amd64'), await registryDigest(repo, 'latest-arm64v8')].sort());
    expect(entries.map((m) => m.platform.architecture).sort()).toEqual(['amd64', 'arm64']);
    // autobuild pushed nothing of its own, so it claims no image.
    expect(result.outputs.pushed).toBe('false');
    expect(result.outputs.digest).toBe('');
    expect(result.summary).toContain(`hooks/build made \`${name}:latest-amd64\`, \`${name}:latest-arm64v8\`, not \`$IMAGE_NAME\``);
  });

  it('builds the per-architecture names for a pull request and runs the autotest, but runs no push hook', async () => {
    const repo = newRepo('hook-arch-pr');
    const app = makeRepo(PER_ARCH_APP);
    for (const hook of Object.keys(PER_ARCH_HOOKS)) fs.chmodSync(path.join(app.dir, hook), 0o755);
    const result = await run(app.dir, pullRequestEvent(7, app.sha), { image: `${REGISTRY}/${repo}`, ...credentials });
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain('SUT-ARCH-OK');
    expect(result.stdout).not.toContain('::group::hooks/push');
    expect(await registryTags(repo)).toEqual([]);
  });

  it('refuses a hooks/build that makes other names without a hooks/push to push them, naming what it made', async () => {
    const repo = newRepo('hook-arch-nopush');
    const app = makeRepo({ Dockerfile: PER_ARCH_APP.Dockerfile!, 'hooks/build': PER_ARCH_HOOKS['hooks/build']! });
    fs.chmodSync(path.join(app.dir, 'hooks/build'), 0o755);
    const result = await run(app.dir, pushEvent('refs/heads/main', app.sha), { image: `${REGISTRY}/${repo}`, ...credentials });
    expect(result.code).not.toBe(0);
    const name = `${REGISTRY}/${repo}`;
    expect(result.stdout).toContain(`::error::hooks/build finished but there is no image ${name}:latest (it made ${name}:latest-amd64, ${name}:latest-arm64v8)`);
    expect(result.stdout).toContain('or come with a hooks/push that pushes what it built. Nothing was pushed.');
    expect(await registryTags(repo)).toEqual([]);
  });

  it('pushes the image of the build step when hooks/test builds $IMAGE_NAME again, and warns', async () => {
    const repo = newRepo('hook-test-retag');
    const app = makeRepo({
      Dockerfile: `FROM ${BASE_IMAGE} AS app\nRUN echo app > /app\nFROM app AS test\nRUN echo test > /test-only\nFROM app\n`,
      // A test stage built under the image's own name, as some repositories' hooks/test do.
      'hooks/test': [
        '#!/bin/bash',
        'set -e',
        'docker build --target test -t $IMAGE_NAME -f $DOCKERFILE_PATH .',
        'echo "TEST-IMAGE $(docker image inspect --format \'{{.Id}}\' $IMAGE_NAME)"',
        'docker run --rm $IMAGE_NAME test -f /test-only',
        '',
      ].join('\n'),
    });
    fs.chmodSync(path.join(app.dir, 'hooks/test'), 0o755);
    const result = await run(app.dir, pushEvent('refs/heads/main', app.sha), { image: `${REGISTRY}/${repo}`, ...credentials });
    expect(result.code, result.stdout).toBe(0);
    const testImage = /TEST-IMAGE (\S+)/.exec(result.stdout)?.[1];
    const id = result.outputs.imageid!;
    expect(testImage).toBeDefined();
    expect(testImage).not.toBe(id);
    expect(result.stdout).toContain(`::warning title=The tests changed $IMAGE_NAME::hooks/test built ${REGISTRY}/${repo}:latest again (now ${testImage}): autobuild pushes the image of the build step, ${id}`);
    // What went up under every tag is the build step's image: it has no /test-only.
    expect(await registryDigest(repo, 'latest')).toBe(result.outputs.digest);
    expect(docker('image', 'inspect', '--format', '{{.Id}}', `${REGISTRY}/${repo}:latest`)).toBe(id);
    expect(docker('run', '--rm', `${REGISTRY}/${repo}:latest`, 'sh', '-c', 'test ! -f /test-only && cat /app')).toBe('app');
    docker('image', 'rm', '--force', testImage!);
  });

  it('stops a hooks/build at the build time limit, naming the hook and the timeout input', async () => {
    const repo = newRepo('hook-timeout');
    const app = makeRepo({ Dockerfile: `FROM ${BASE_IMAGE}\n`, 'hooks/build': '#!/bin/sh\necho "building slowly"\nsleep 60\n' });
    const started = Date.now();
    const result = await run(app.dir, pushEvent('refs/heads/main', app.sha), { image: `${REGISTRY}/${repo}`, ...credentials, timeout: 'build=3s' });
    expect(result.code).not.toBe(0);
    expect(result.stdout).toContain('building slowly');
    expect(result.stdout).toContain(
      "::error::The build phase did not finish within 3s (the hook hooks/build was stopped). Raise the limit with the 'timeout' input, e.g. timeout: build=6s.",
    );
    // Stopped at the limit (plus the kill grace), not after the 10 minutes of a command outside any phase.
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(await registryTags(repo)).toEqual([]);
  });

  it('gives the image each repository\'s $IMAGE_NAME before its push hooks: hooks/push pushes every repository', async () => {
    const repo = newRepo('hook-push-two');
    const mirror = newRepo.track(`${repo}-mirror`);
    const app = makeRepo({
      Dockerfile: `FROM ${BASE_IMAGE}\nRUN echo built > /built\n`,
      // pre_push sees the name already on the tested image; hooks/push is Docker Hub's own line.
      'hooks/pre_push': '#!/bin/sh\nset -e\necho "pre_push $IMAGE_NAME is $(docker image inspect --format \'{{.Id}}\' "$IMAGE_NAME")"\n',
      'hooks/push': '#!/bin/sh\nset -e\ndocker push "$IMAGE_NAME"\n',
    });
    const result = await run(app.dir, pushEvent('refs/heads/main', app.sha), {
      image: `${REGISTRY}/${repo}, ${REGISTRY}/${mirror}`,
      ...credentials,
      'test-command': 'test -f /built',
    });
    expect(result.code, result.stdout).toBe(0);
    const id = result.outputs.imageid!;
    for (const name of [repo, mirror]) {
      expect(result.stdout).toContain(`pre_push ${REGISTRY}/${name}:latest is ${id}`);
      expect(result.stdout).toContain(`hooks/push replaced the push to ${REGISTRY}/${name}.`);
      // Only what the hook pushed: $IMAGE_NAME of that repository.
      expect(await registryTags(name)).toEqual(['latest']);
      // The real names stay on the engine, on the tested image, as after a default push.
      expect(docker('image', 'inspect', '--format', '{{.Id}}', `${REGISTRY}/${name}:latest`)).toBe(id);
    }
    expect(await registryDigest(mirror, 'latest')).toBe(await registryDigest(repo, 'latest'));
    // The run-local name is gone.
    expect(docker('image', 'ls', '--quiet', '--filter', `reference=autobuild.invalid/${repo}`)).toBe('');
  });

  it('skips the push for an empty hooks/push', async () => {
    const repo = newRepo('empty-push');
    const markers = markerDir();
    const app = hookedRepo({ 'app/hooks/push': '' }, ['pre_push', 'post_push']);
    const result = await run(app.dir, pushEvent('refs/heads/main', app.sha), {
      image: `${REGISTRY}/${repo}`,
      ...credentials,
      context: 'app',
      'build-env': `MARKERS=${markers}`,
      'test-command': 'test -f /built',
    });
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain(`hooks/push replaced the push to ${REGISTRY}/${repo}.`);
    expect(result.stdout).not.toContain('::group::push');
    expect(order(markers)).toEqual(['pre_push', 'post_push']);
    expect(await registryTags(repo)).toEqual([]);
    expect(result.outputs.pushed).toBe('false');
    fs.rmSync(markers, { recursive: true });
  });

  it('runs no push hook and pushes nothing for a pull request, but builds and runs the autotest', async () => {
    const repo = newRepo('hooks-pr');
    const markers = markerDir();
    const app = hookedRepo({ 'app/docker-compose.test.yml': 'services:\n  sut:\n    build: .\n    network_mode: none\n    command: cat /built\n' }, [
      'post_checkout', 'pre_build', 'post_build', 'pre_test', 'post_test', 'pre_push', 'push', 'post_push',
    ]);
    const result = await run(app.dir, pullRequestEvent(7, app.sha, { headRef: 'feature/y' }), {
      image: `${REGISTRY}/${repo}`,
      ...credentials,
      context: 'app',
      'build-env': `MARKERS=${markers}`,
    });
    expect(result.code, result.stdout).toBe(0);
    expect(order(markers)).toEqual(['post_checkout', 'pre_build', 'post_build', 'pre_test', 'post_test']);
    expect(readMarker(markers, 'pre_build').env).toMatchObject({ SOURCE_BRANCH: 'feature/y', SOURCE_COMMIT: app.sha, DOCKER_TAG: 'pr-7' });
    expect(group(result.stdout, 'autotest app/docker-compose.test.yml')).toContain('sut exited with 0.');
    expect(projects).toHaveLength(1);
    expect(result.stdout).toContain('Not pushing: pull request #7');
    expect(await registryTags(repo)).toEqual([]);
    expect(result.outputs.pushed).toBe('false');
    fs.rmSync(markers, { recursive: true });
  });
});

describe('rules with several Dockerfiles, each with its own hooks and autotest', () => {
  it("builds every matching rule with Docker Hub's paths and runs each folder's hooks", async () => {
    const repo = newRepo('multi');
    const markers = markerDir();
    const post = (name: string) => `#!/bin/sh\necho "${name} $DOCKER_TAG $DOCKERFILE_PATH $(pwd)" >> "$MARKERS/order"\n`;
    const app = makeRepo({
      // Context '/': the Dockerfile is relative to the root and COPYs from it.
      'docker/web/Dockerfile': `FROM ${BASE_IMAGE}\nCOPY README.md /README.md\n`,
      'docker/web/hooks/post_push': post('web'),
      'docker/web/docker-compose.test.yml': 'services:\n  sut:\n    build: { context: ../.., dockerfile: docker/web/Dockerfile }\n    network_mode: none\n    command: grep -q root /README.md\n',
      // Blank context: the Dockerfile's folder.
      'worker/Dockerfile': `FROM ${BASE_IMAGE}\nCOPY job.sh /job.sh\n`,
      'worker/job.sh': 'echo job\n',
      'worker/hooks/post_push': post('worker'),
      'README.md': 'root\n',
    });
    for (const f of ['docker/web/hooks/post_push', 'worker/hooks/post_push']) fs.chmodSync(path.join(app.dir, f), 0o755);
    const rules = `- source-type: branch
  source: main
  tag: latest
  context: /
  dockerfile: docker/web/Dockerfile
- source-type: branch
  source: main
  tag: worker
  dockerfile: worker/Dockerfile
`;
    const result = await run(app.dir, pushEvent('refs/heads/main', app.sha), {
      image: `${REGISTRY}/${repo}`,
      ...credentials,
      rules,
      'build-env': `MARKERS=${markers}`,
    });
    expect(result.code, result.stdout).toBe(0);
    expect(order(markers)).toEqual([
      `web latest docker/web/Dockerfile ${path.join(app.dir, 'docker/web')}`,
      `worker worker Dockerfile ${path.join(app.dir, 'worker')}`,
    ]);
    expect(result.stdout).toContain('Autotest of rule 1');
    expect(projects).toHaveLength(1);
    expect(await registryTags(repo)).toEqual(['latest', 'worker']);
    fs.rmSync(markers, { recursive: true });
  });
});

// Hooks as public repositories wrote them for Docker Hub's builders: one checkout per build rule,
// a builder thrown away after each build, Compose v1.
describe("hooks written for Docker Hub's builders", () => {
  it('runs post_checkout once per rule, with its DOCKER_TAG, and git fetch --unshallow passes on the shared checkout', async () => {
    const source = makeRepo({
      Dockerfile: `FROM ${BASE_IMAGE}\nRUN echo amd64 > /arch\n`,
      'Dockerfile.arm': `FROM ${BASE_IMAGE}\nCOPY qemu-arm-static /usr/bin/qemu-arm-static\nRUN echo arm > /arch\n`,
      // The shape of many multi-arch repositories' hooks: full history for the version, and the
      // emulator only for the rule that builds arm.
      'hooks/post_checkout': [
        '#!/bin/bash',
        'set -e',
        '# Docker Hub clones shallow: fetch the history and tags',
        'git fetch --unshallow',
        'echo "post_checkout $DOCKER_TAG at $(git rev-list --count HEAD) commits"',
        'if [[ "$DOCKER_TAG" =~ arm ]]; then',
        '  echo "fetching the arm emulator for $DOCKER_TAG"',
        '  curl -fsSL "$QEMU_URL" -o qemu-arm-static',
        '  chmod +x qemu-arm-static',
        'fi',
        '',
      ].join('\n'),
    });
    source.commit({ 'README.md': 'two\n' }, 'second');
    source.commit({ 'README.md': 'three\n' }, 'third');
    // actions/checkout's default: a shallow clone.
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-e2e-shallow-'));
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${source.dir}`, work]);
    const downloads = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-e2e-qemu-'));
    fs.writeFileSync(path.join(downloads, 'qemu-arm-static'), '#!/bin/sh\necho emulator\n');
    const rules = `- source-type: branch
  source: main
  tag: latest
- source-type: branch
  source: main
  tag: latest-arm
  dockerfile: Dockerfile.arm
`;
    try {
      const result = await run(work, pushEvent('refs/heads/main', source.sha), {
        image: `${REGISTRY}/${newRepo('post-checkout')}`,
        push: 'false',
        rules,
        'build-env': `QEMU_URL=file://${downloads}/qemu-arm-static`,
        'test-command': 'cat /arch',
      });
      expect(result.code, result.stdout).toBe(0);
      const groups = [...result.stdout.matchAll(/^::group::(.*)$/gm)].map((m) => m[1]);
      expect(groups.filter((g) => g === 'hooks/post_checkout')).toHaveLength(2);
      // Before each rule's build, with that rule's tag; the first fetch made the clone complete.
      expect(result.stdout).toMatch(/post_checkout latest at 3 commits[\s\S]*post_checkout latest-arm at 3 commits/);
      expect(result.stdout).toContain('fetching the arm emulator for latest-arm');
      expect(result.stdout.match(/fetching the arm emulator/g)).toHaveLength(1);
      expect(result.stdout).toContain('the repository is complete already (not shallow): git fetch runs without --unshallow');
      expect(result.stdout.indexOf('post_checkout latest-arm')).toBeGreaterThan(result.stdout.indexOf('::group::test-command'));
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
      fs.rmSync(downloads, { recursive: true, force: true });
    }
  });

  it("keeps a hook's docker buildx create --use to the step: the user's builders and selection unchanged, the builder and its container removed", async () => {
    // The test world has no moby/buildkit image: this one stands in (a buildkitd that idles and a
    // buildctl that answers), enough for buildx to create and bootstrap a docker-container builder.
    const buildkit = 'autobuild-e2e/fake-buildkit:1';
    execFileSync('docker', ['build', '-q', '-t', buildkit, '-'], {
      input: `FROM ${BASE_IMAGE}\nRUN printf '#!/bin/sh\\nexec sleep 3600\\n' > /bin/buildkitd && printf '#!/bin/sh\\nexit 0\\n' > /bin/buildctl && chmod +x /bin/buildkitd /bin/buildctl\nENTRYPOINT ["buildkitd"]\n`,
      stdio: ['pipe', 'ignore', 'inherit'],
    });
    const app = makeRepo({
      Dockerfile: `FROM ${BASE_IMAGE}\nRUN echo built > /built\n`,
      'hooks/build': [
        '#!/bin/bash',
        'set -e',
        '# a builder of its own for the build, as multi-platform hooks make one',
        'docker buildx create --use --driver-opt "image=$BUILDKIT_IMAGE"',
        'docker buildx inspect --bootstrap',
        'docker buildx ls',
        // The stand-in cannot build: the image is built on the engine's builder.
        'docker buildx build --builder default --load -f "$DOCKERFILE_PATH" -t "$IMAGE_NAME" .',
        '',
      ].join('\n'),
    });
    let home = '';
    const userDocker = (...args: string[]): string => execFileSync('docker', args, { encoding: 'utf8', env: { ...process.env, DOCKER_CONFIG: path.join(home, '.docker') } }).trim();
    const state = (): Record<string, string> => {
      const dir = path.join(home, '.docker/buildx');
      const files: Record<string, string> = {};
      for (const f of ['current', ...fs.readdirSync(path.join(dir, 'instances')).map((n) => `instances/${n}`)]) {
        files[f] = fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), 'utf8') : '(none)';
      }
      return files;
    };
    let beforeLs = '';
    let beforeState: Record<string, string> = {};
    try {
      const result = await run(app.dir, pushEvent('refs/heads/main', app.sha), { image: `${REGISTRY}/${newRepo('hook-builder')}`, push: 'false', 'build-env': `BUILDKIT_IMAGE=${buildkit}`, 'test-command': 'test -f /built' }, undefined, {
        // The runner user has a builder of their own (created, never selected): hooks can use it.
        prepareHome: (h) => {
          home = h;
          userDocker('buildx', 'create', '--name', 'team-builder', '--driver', 'docker-container', '--driver-opt', `image=${buildkit}`);
          beforeLs = userDocker('buildx', 'ls');
          beforeState = state();
        },
      });
      expect(result.code, result.stdout).toBe(0);
      const hook = group(result.stdout, 'hooks/build');
      expect(hook).toContain('team-builder');
      const created = /^(\S+)\*\s+docker-container/m.exec(hook)?.[1];
      expect(created, 'the new builder is the current one in the hook').toBeTruthy();
      expect(result.stdout).toContain(`Removed the builder the hooks created: ${created}.`);
      // The runner user's buildx is as it was: same builders, same selection, no new state file.
      expect(state()).toEqual(beforeState);
      expect(userDocker('buildx', 'ls')).toBe(beforeLs);
      expect(/^Name:\s+(\S+)/m.exec(userDocker('buildx', 'inspect'))?.[1]).toBe('default');
      expect(docker('ps', '--all', '--quiet', '--filter', `name=buildx_buildkit_${created}`)).toBe('');
      expect(docker('volume', 'ls', '--quiet', '--filter', `name=buildx_buildkit_${created}`)).toBe('');
    } finally {
      // Whatever a failed run left in the user's state goes, so that afterEach sees only this run's leftovers.
      for (const name of fs.existsSync(path.join(home, '.docker/buildx/instances')) ? fs.readdirSync(path.join(home, '.docker/buildx/instances')) : []) {
        if (name !== 'team-builder') execFileSync('docker', ['buildx', 'rm', name], { env: { ...process.env, DOCKER_CONFIG: path.join(home, '.docker') }, stdio: 'ignore' });
      }
      execFileSync('docker', ['image', 'rm', '--force', buildkit], { stdio: 'ignore' });
    }
  });

  it("pushes every rule though one rule's post_push fails: a manifest list that needs every architecture's tag converges", async () => {
    const repo = newRepo('per-arch');
    // The shape of per-architecture repositories: a rule a Dockerfile, and a post_push that makes
    // the manifest list, which fails until every architecture's tag exists (--insecure only because
    // the test registry speaks plain HTTP).
    const postPush = [
      '#!/bin/bash',
      'set -e',
      'docker manifest create --insecure --amend "$DOCKER_REPO:latest" "$DOCKER_REPO:amd64" "$DOCKER_REPO:arm64v8"',
      'docker manifest push --insecure --purge "$DOCKER_REPO:latest"',
      '',
    ].join('\n');
    const app = makeRepo({
      Dockerfile: `FROM ${BASE_IMAGE}\nCOPY arch /arch\n`,
      'Dockerfile.arm64v8': `FROM --platform=linux/arm64 ${BASE_IMAGE}\nCOPY arch /arch\n`,
      arch: 'any\n',
      'hooks/post_push': postPush,
    });
    fs.chmodSync(path.join(app.dir, 'hooks/post_push'), 0o755);
    const rules = `- source-type: branch
  source: main
  tag: amd64
- source-type: branch
  source: main
  tag: arm64v8
  dockerfile: Dockerfile.arm64v8
`;
    const result = await run(app.dir, pushEvent('refs/heads/main', app.sha), { image: `${REGISTRY}/${repo}`, ...credentials, rules });
    // The first rule's post_push failed (no arm64v8 tag yet); the second rule still pushed, and its
    // post_push made the list. The step reports the failure.
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/::error::Pushing failed for one build:%0A- rule 1 \(branch main -> amd64\), [^%]*: The hook hooks\/post_push failed/);
    expect(await registryTags(repo)).toEqual(['amd64', 'arm64v8', 'latest']);
    // The list names both rules' images (their platforms are the engine's business: Docker 26
    // builds FROM --platform=linux/arm64 from the locally stored amd64 base, see the README).
    const list = await registryManifest(repo, 'latest');
    const digests = [await registryDigest(repo, 'amd64'), await registryDigest(repo, 'arm64v8')];
    expect((list.manifests as { digest: string }[]).map((m) => m.digest).sort()).toEqual([...digests].sort());
  });

  it('runs a hooks/test written for Compose v1 (docker-compose ps sut | grep "Exit 0"), and says so in the plan', async () => {
    const app = makeRepo({
      Dockerfile: `FROM ${BASE_IMAGE}\nRUN echo hello > /greeting\n`,
      'docker-compose.test.yml': `version: '3'\nservices:\n  sut:\n    image: \${IMAGE_NAME}\n    network_mode: none\n    command: sh -c 'test "$$(cat /greeting)" = hello && echo SUT-OK'\n`,
      'hooks/test': [
        '#!/bin/bash',
        '# Docker Hub autotest by hand: start sut, wait for it, check its state',
        'docker-compose -f docker-compose.test.yml -p ci up -d',
        'docker wait ci_sut_1',
        'docker-compose -f docker-compose.test.yml -p ci logs sut',
        'docker-compose -f docker-compose.test.yml -p ci ps',
        'docker-compose -f docker-compose.test.yml -p ci ps sut | grep -q "Exit 0"',
        'result=$?',
        'docker-compose -f docker-compose.test.yml -p ci down',
        'exit $result',
        '',
      ].join('\n'),
    });
    const result = await run(app.dir, pushEvent('refs/heads/main', app.sha), { image: `${REGISTRY}/${newRepo('compose-v1')}`, push: 'false' });
    expect(result.code, result.stdout).toBe(0);
    expect(group(result.stdout, 'Plan')).toContain('hooks/test calls docker-compose (Compose v1): it runs as docker compose (v2)');
    const hook = group(result.stdout, 'hooks/test');
    expect(hook).toContain('SUT-OK');
    expect(hook).toMatch(/^ci_sut_1\s+.*\s+Exit 0\s*$/m);
    expect(result.stdout).not.toContain('::group::autotest');
  });
});
