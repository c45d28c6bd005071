import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseBuildEnv } from '../../src/inputs.js';
import { looksSecret } from '../../src/secrets.js';
import { describeDockerHub, dockerHubEnv, dockerRepo, findHooks, HOOK_NAMES } from '../../src/phases/hooks.js';
import { parseImage, type ImageRef } from '../../src/plan/images.js';
import { parseFlavor, parseTagRules } from '../../src/plan/metadata.js';
import { makePlan } from '../../src/plan/plan.js';
import { parseRules } from '../../src/plan/rules.js';
import { tagPush } from './facts.js';

const image = (name: string): ImageRef => parseImage(name) as ImageRef;
const sha = 'a'.repeat(40);
const tags = (...t: string[]) => t.map((tag) => ({ tag, why: 'test' }));

describe('dockerHubEnv: the environment Docker Hub gave hooks and autotests', () => {
  it.each([
    {
      what: 'a branch build on Docker Hub',
      facts: { branch: 'main', sha, commitMessage: 'Fix it\n\nbody' },
      build: { context: '/w', file: '/w/Dockerfile', tags: tags('latest', 'main') },
      image: 'acme/app',
      want: {
        SOURCE_BRANCH: 'main',
        SOURCE_COMMIT: sha,
        GIT_SHA1: sha,
        COMMIT_MSG: 'Fix it\n\nbody',
        DOCKER_REPO: 'index.docker.io/acme/app',
        DOCKERFILE_PATH: 'Dockerfile',
        DOCKER_TAG: 'latest',
        IMAGE_NAME: 'index.docker.io/acme/app:latest',
        CACHE_TAG: '',
        DOCKER_BUILDKIT: '1',
        BUILDX_NO_DEFAULT_ATTESTATIONS: '1',
      },
    },
    {
      what: 'a tag build: SOURCE_BRANCH is the tag name, DOCKER_TAG the first tag of the set',
      facts: { tag: 'v1.2.3', sha, commitMessage: 'Release' },
      build: { context: '/w', file: '/w/docker/prod/Dockerfile', tags: tags('1.2.3', '1.2', '1', 'latest') },
      image: 'ghcr.io/Acme/App',
      want: {
        SOURCE_BRANCH: 'v1.2.3',
        DOCKER_REPO: 'ghcr.io/acme/app',
        DOCKERFILE_PATH: 'docker/prod/Dockerfile',
        DOCKER_TAG: '1.2.3',
        IMAGE_NAME: 'ghcr.io/acme/app:1.2.3',
      },
    },
    {
      what: 'a pull request: the head branch',
      facts: { branch: 'feature/x', sha, commitMessage: 'A change' },
      build: { context: '/w/app', file: '/w/app/Dockerfile.prod', tags: tags('pr-42', 'sha-aaaaaaa') },
      image: 'localhost:5000/e2e/app',
      want: { SOURCE_BRANCH: 'feature/x', DOCKER_REPO: 'localhost:5000/e2e/app', DOCKERFILE_PATH: 'Dockerfile.prod', IMAGE_NAME: 'localhost:5000/e2e/app:pr-42' },
    },
  ])('$what', ({ facts, build, image: name, want }) => {
    const env = dockerHubEnv({ facts, build, image: image(name), buildEnv: {} });
    expect(env).toMatchObject(want);
    expect(Object.keys(env).sort()).toEqual(
      ['SOURCE_BRANCH', 'SOURCE_COMMIT', 'GIT_SHA1', 'COMMIT_MSG', 'DOCKER_REPO', 'DOCKERFILE_PATH', 'DOCKER_TAG', 'IMAGE_NAME', 'CACHE_TAG', 'DOCKER_BUILDKIT', 'BUILDX_NO_DEFAULT_ATTESTATIONS'].sort(),
    );
  });

  it('adds build-env last, so a user can opt out of BuildKit as on Docker Hub', () => {
    const env = dockerHubEnv({
      facts: { branch: 'main', sha, commitMessage: '' },
      build: { context: '/w', file: '/w/Dockerfile', tags: tags('latest') },
      image: image('acme/app'),
      buildEnv: { DOCKER_BUILDKIT: '0', VERSION: '2.0' },
    });
    expect(env.DOCKER_BUILDKIT).toBe('0');
    expect(env.VERSION).toBe('2.0');
  });

  it('a rule with a comma tag list: DOCKER_TAG is its first tag, not the list, so IMAGE_NAME is a name docker takes', () => {
    // Docker Hub gave the whole list (DOCKER_TAG=2.0.5,latest, IMAGE_NAME=repo:2.0.5,latest), which no
    // `docker build -t $IMAGE_NAME` accepts; the other tags of the list are pushed by the step.
    const plan = makePlan(tagPush('v2.0.5'), {
      images: [image('acme/app')],
      context: '/w',
      file: '',
      labels: [],
      rules: parseRules("- source-type: tag\n  source: /^v([0-9.]+)$/\n  tag: '{\\1},latest'"),
      push: 'auto',
      prPreview: false,
      tags: parseTagRules(''),
      flavor: parseFlavor(''),
    }, new Date('2026-03-04T05:06:07Z'));
    const build = plan.builds[0]!;
    expect(build.tags.map((t) => t.tag)).toEqual(['2.0.5', 'latest']);
    const env = dockerHubEnv({ facts: { tag: 'v2.0.5', sha, commitMessage: '' }, build, image: image('acme/app'), buildEnv: {} });
    expect(env.DOCKER_TAG).toBe('2.0.5');
    expect(env.IMAGE_NAME).toBe('index.docker.io/acme/app:2.0.5');
  });

  it('gives Docker Hub repositories with the registry Docker Hub used', () => {
    expect(dockerRepo(image('acme/app'))).toBe('index.docker.io/acme/app');
    expect(dockerRepo(image('docker.io/acme/app'))).toBe('index.docker.io/acme/app');
    expect(dockerRepo(image('quay.io/acme/app'))).toBe('quay.io/acme/app');
  });
});

describe('build-env input', () => {
  afterEach(() => vi.restoreAllMocks());

  it('reads NAME=value lines, keeps = and spaces in values, skips comments', () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    expect(parseBuildEnv('VERSION=1.2\n# comment\nFLAGS=--a=b c\nEMPTY=\n')).toEqual({ VERSION: '1.2', FLAGS: '--a=b c', EMPTY: '' });
  });

  it.each([
    ['JUST_A_NAME', "Input 'build-env' has an invalid value 'JUST_A_NAME': expected one NAME=value a line"],
    ['1ABC=x', "Input 'build-env' has an invalid value '1ABC'"],
    ['MY-VAR=x', "Input 'build-env' has an invalid value 'MY-VAR'"],
  ])('refuses %j naming the input', (value, message) => {
    expect(() => parseBuildEnv(value)).toThrow(message);
  });

  it('masks values whose names look secret, and only those', () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (written.push(String(chunk)), true));
    parseBuildEnv('NPM_TOKEN=tok-123456\nVERSION=1.2.3\nAPI_KEY=k-abcdef\nDB_PASSWORD=pw-xyz987');
    const masks = written.filter((l) => l.startsWith('::add-mask::')).map((l) => l.trim());
    expect(masks).toEqual(['::add-mask::tok-123456', '::add-mask::k-abcdef', '::add-mask::pw-xyz987']);
  });

  it.each([
    ['GITHUB_TOKEN', true],
    ['MY_SECRET', true],
    ['DB_PASSWORD', true],
    ['SSH_KEY', true],
    ['AWS_SECRET_ACCESS_KEY', true],
    ['REGISTRY_PASS', true],
    ['BASIC_AUTH', true],
    ['VERSION', false],
    ['KEYBOARD_LAYOUT', false],
    ['PASSTHROUGH', false],
    ['BUILD_DATE', false],
  ])('%s looks secret: %s', (name, secret) => {
    expect(looksSecret(name)).toBe(secret);
  });
});

describe('hooks on disk', () => {
  it('finds Docker Hub hooks next to the Dockerfile and ignores other files; off finds none', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-hooks-'));
    fs.mkdirSync(path.join(dir, 'app/hooks'), { recursive: true });
    for (const name of ['post_push', 'build', 'README.md', 'pre_build.sh']) fs.writeFileSync(path.join(dir, 'app/hooks', name), '');
    fs.mkdirSync(path.join(dir, 'app/hooks/test'));
    const build = { file: path.join(dir, 'app/Dockerfile') };
    const found = findHooks(build, 'auto');
    expect([...found.keys()]).toEqual(['build', 'post_push']);
    expect(found.get('build')).toBe(path.join(dir, 'app/hooks/build'));
    expect(findHooks(build, 'off').size).toBe(0);
    expect(describeDockerHub('default', found, [path.join(dir, 'app/docker-compose.test.yml')], dir)).toEqual([
      'Hooks of default (app/hooks): build (replaces the default build), post_push',
      'Autotest of default: app/docker-compose.test.yml',
    ]);
    fs.rmSync(dir, { recursive: true });
  });

  it('knows the ten hooks in Docker Hub order', () => {
    expect(HOOK_NAMES).toEqual(['post_checkout', 'pre_build', 'build', 'post_build', 'pre_test', 'test', 'post_test', 'pre_push', 'push', 'post_push']);
  });
});
