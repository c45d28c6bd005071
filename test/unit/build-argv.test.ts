import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { annotationArgs, buildArgv, buildEnv, canAnnotate, exportedDigest, pullsBasesAfresh, type BuildRequest } from '../../src/engine/build.js';
import { buildChecksOf } from '../../src/engine/capabilities.js';

const req: BuildRequest = {
  build: {
    name: 'default',
    context: '/w',
    file: '/w/Dockerfile',
    tags: [{ tag: 'latest', why: 'x' }],
    labels: { 'org.opencontainers.image.revision': 'abc', team: 'web' },
    annotations: { 'org.opencontainers.image.revision': 'abc' },
    version: 'main',
  },
  inputs: { buildArgs: ['A=1'], target: 'prod', secrets: ['id=npm,env=NPM_TOKEN'], platforms: [], check: 'warn' },
  localTag: 'localhost:5000/a/b:latest',
  cacheArgs: ['--cache-from', 'type=registry,ref=x'],
  iidFile: '/t/iid',
  metadataFile: '/t/meta.json',
};

describe('buildArgv', () => {
  it('builds with buildx, loads the image, keeps a single-platform manifest with the OCI annotations', () => {
    expect(buildArgv(req, { buildx: '0.13.1', containerdStore: true, buildChecks: false })).toEqual([
      'buildx', 'build',
      '--file', '/w/Dockerfile',
      '--tag', 'localhost:5000/a/b:latest',
      '--label', 'org.opencontainers.image.revision=abc',
      '--label', 'team=web',
      '--annotation', 'manifest:org.opencontainers.image.revision=abc',
      '--build-arg', 'A=1',
      '--target', 'prod',
      '--iidfile', '/t/iid',
      '--secret', 'id=npm,env=NPM_TOKEN',
      '--provenance=false', '--metadata-file', '/t/meta.json', '--load',
      '--cache-from', 'type=registry,ref=x',
      '/w',
    ]);
  });

  it('names the image by its run-local name only (another run may be naming the same reference)', () => {
    const argv = buildArgv({ ...req, localTag: 'autobuild.invalid/a/b:1a2b3c4d-0' }, { buildx: '0.13.1', containerdStore: true, buildChecks: false });
    expect(argv.filter((a) => a === '--tag')).toHaveLength(1);
    expect(argv.slice(2, 6)).toEqual(['--file', '/w/Dockerfile', '--tag', 'autobuild.invalid/a/b:1a2b3c4d-0']);
  });

  it('falls back to the classic docker build without buildx', () => {
    const argv = buildArgv(req, { buildx: undefined, containerdStore: true, buildChecks: false });
    expect(argv.slice(0, 1)).toEqual(['build']);
    expect(argv).not.toContain('--load');
    expect(argv).not.toContain('--cache-from');
    expect(argv).not.toContain('--annotation');
    expect(argv.at(-1)).toBe('/w');
  });

  it('writes no annotations where they would not reach the registry (classic image store) or buildx has no flag for them', () => {
    expect(buildArgv(req, { buildx: '0.29.1', containerdStore: false, buildChecks: true })).not.toContain('--annotation');
    expect(buildArgv(req, { buildx: '0.11.2', containerdStore: true, buildChecks: false })).not.toContain('--annotation');
  });
});

describe('build checks', () => {
  const current = { buildx: '0.29.1', containerdStore: true, buildChecks: true };
  it.each<[string, 'warn' | 'error' | 'off', string[], string[]]>([
    ['warn: BuildKit\'s default, the Dockerfile directive stays', 'warn', [], []],
    ['error: any finding fails the build', 'error', [], ['--build-arg', 'BUILDKIT_DOCKERFILE_CHECK=error=true']],
    ['off: none run', 'off', [], ['--build-arg', 'BUILDKIT_DOCKERFILE_CHECK=skip=all']],
    ['error, but build-args sets it: the user\'s wins', 'error', ['BUILDKIT_DOCKERFILE_CHECK=skip=JSONArgsRecommended'], []],
  ])('%s', (_name, check, buildArgs, extra) => {
    const argv = buildArgv({ ...req, inputs: { ...req.inputs, buildArgs, check } }, current);
    const at = argv.indexOf('--target');
    expect(argv.slice(at - extra.length, at)).toEqual(extra);
    expect(argv.filter((a) => a.startsWith('BUILDKIT_DOCKERFILE_CHECK')).length).toBe(extra.length ? 1 : buildArgs.length);
  });

  it('passes no check argument to a builder without checks', () => {
    const argv = buildArgv({ ...req, inputs: { ...req.inputs, check: 'error' } }, { ...current, buildChecks: false });
    expect(argv.join(' ')).not.toContain('BUILDKIT_DOCKERFILE_CHECK');
  });

  it('asks buildx for the findings in the metadata file, and for no provenance summary there', () => {
    expect(buildEnv({ check: 'warn' }, { buildChecks: true })).toEqual({ DOCKER_BUILDKIT: '1', BUILDKIT_PROGRESS: 'plain', BUILDX_METADATA_PROVENANCE: 'disabled', BUILDX_METADATA_WARNINGS: '1' });
    expect(buildEnv({ check: 'off' }, { buildChecks: true })).not.toHaveProperty('BUILDX_METADATA_WARNINGS');
    expect(buildEnv({ check: 'error' }, { buildChecks: false })).not.toHaveProperty('BUILDX_METADATA_WARNINGS');
  });

  it.each<[string, Parameters<typeof buildChecksOf>[0], boolean, string | RegExp | undefined]>([
    ['Docker 28.5, buildx 0.29 (BuildKit of the engine)', { engineVersion: '28.5.2', buildx: '0.29.1', buildkit: '0.20.0', buildkitFromEngine: true }, true, undefined],
    ['Docker 26.1, buildx 0.13', { engineVersion: '26.1.5', buildx: '0.13.1', buildkit: '0.13.0', buildkitFromEngine: true }, false, 'build checks need buildx >= 0.15.0 (this runner has 0.13.1)'],
    ['Docker 26.1, a newer buildx', { engineVersion: '26.1.5', buildx: '0.29.1', buildkit: '0.13.0', buildkitFromEngine: true }, false, 'build checks need BuildKit >= 0.14 (the BuildKit of Docker 26.1.5 is 0.13)'],
    ['docker-container builder of unknown BuildKit', { engineVersion: '26.1.5', buildx: '0.29.1', buildkit: undefined }, true, undefined],
    ['no buildx', { engineVersion: '28.5.2', buildx: undefined }, false, /classic builder/],
  ])('%s', (_name, caps, on, note) => {
    const got = buildChecksOf(caps);
    expect(got.buildChecks).toBe(on);
    if (typeof note === 'string') expect(got.buildChecksNote).toBe(note);
    else if (note) expect(got.buildChecksNote).toMatch(note);
    else expect(got.buildChecksNote).toBeUndefined();
  });
});

describe('annotations', () => {
  it.each<[string, { buildx?: string; containerdStore: boolean }, boolean]>([
    ['buildx 0.13.1, containerd image store', { buildx: '0.13.1', containerdStore: true }, true],
    ['buildx 0.12.0, containerd image store', { buildx: '0.12.0', containerdStore: true }, true],
    ['buildx 0.11.2 (no --annotation)', { buildx: '0.11.2', containerdStore: true }, false],
    ['classic image store (docker push writes a new manifest)', { buildx: '0.29.1', containerdStore: false }, false],
    ['no buildx', { buildx: undefined, containerdStore: true }, false],
    ['unknown buildx version', { buildx: 'unknown', containerdStore: true }, false],
  ])('%s: %s', (_name, caps, expected) => {
    expect(canAnnotate(caps)).toBe(expected);
  });

  it.each<[string[], string[]]>([
    [[], ['--annotation', 'manifest:a=1', '--annotation', 'manifest:b=x, y="z"']],
    [['linux/amd64'], ['--annotation', 'manifest:a=1', '--annotation', 'manifest:b=x, y="z"']],
    [['linux/amd64', 'linux/arm64'], ['--annotation', 'index:a=1', '--annotation', 'manifest:a=1', '--annotation', 'index:b=x, y="z"', '--annotation', 'manifest:b=x, y="z"']],
  ])('platforms %j', (platforms, argv) => {
    expect(annotationArgs({ a: '1', b: 'x, y="z"' }, platforms)).toEqual(argv);
  });

  it('none planned, none written', () => {
    expect(annotationArgs(undefined, [])).toEqual([]);
  });
});

describe('exportedDigest: the engine id of a docker-driver build, from --metadata-file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-meta-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const digest = `sha256:${'ab'.repeat(32)}`;
  it.each<[string, string | undefined, string | undefined]>([
    ['the exported digest', JSON.stringify({ 'containerimage.config.digest': `sha256:${'cd'.repeat(32)}`, 'containerimage.digest': digest }), digest],
    ['no digest in it', JSON.stringify({ 'buildx.build.ref': 'default/default/x' }), undefined],
    ['not a digest', JSON.stringify({ 'containerimage.digest': 'latest' }), undefined],
    ['not JSON', '{', undefined],
    ['no file', undefined, undefined],
  ])('%s', (name, content, expected) => {
    const file = path.join(dir, `${name.replace(/\W/g, '-')}.json`);
    if (content !== undefined) fs.writeFileSync(file, content);
    expect(exportedDigest(file)).toBe(expected);
  });
});

describe('pullsBasesAfresh', () => {
  const docker26 = { buildx: '0.13.1', containerdStore: true, driver: 'docker', buildkit: '0.13.0' };
  it('pulls bases for another platform than the native one on the BuildKit of Docker 26 with the containerd store', () => {
    expect(pullsBasesAfresh(['linux/amd64', 'linux/arm64'], docker26, 'linux/amd64')).toBe(true);
    expect(pullsBasesAfresh(['linux/arm64'], docker26, 'linux/amd64')).toBe(true);
    expect(pullsBasesAfresh(['linux/amd64'], docker26, 'linux/amd64')).toBe(false);
    expect(pullsBasesAfresh([], docker26, 'linux/amd64')).toBe(false);
    expect(buildArgv({ ...req, inputs: { ...req.inputs, platforms: ['linux/amd64', 'linux/arm64'] } }, { ...docker26, buildChecks: false })).toContain('--pull');
  });
  it.each([
    ['the native platform alone', ['linux/amd64'], docker26],
    ['Docker 28', ['linux/amd64', 'linux/arm64'], { ...docker26, buildkit: '0.20.0' }],
    ['the classic store', ['linux/amd64', 'linux/arm64'], { ...docker26, containerdStore: false }],
    ['a docker-container builder', ['linux/amd64', 'linux/arm64'], { ...docker26, driver: 'docker-container' }],
    ['an unknown BuildKit', ['linux/amd64', 'linux/arm64'], { ...docker26, buildkit: undefined }],
  ])('does not for %s', (_name, platforms, caps) => {
    expect(pullsBasesAfresh(platforms, caps, 'linux/amd64')).toBe(false);
  });
});
