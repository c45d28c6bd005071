import { describe, expect, it } from 'vitest';
import { buildArgv, type BuildRequest } from '../../src/engine/build.js';

const req: BuildRequest = {
  build: {
    name: 'default',
    context: '/w',
    file: '/w/Dockerfile',
    tags: [{ tag: 'latest', why: 'x' }],
    labels: { 'org.opencontainers.image.revision': 'abc' },
    version: 'main',
  },
  inputs: { buildArgs: ['A=1'], target: 'prod', secrets: ['id=npm,env=NPM_TOKEN'], platforms: [] },
  localTag: 'localhost:5000/a/b:latest',
  cacheArgs: ['--cache-from', 'type=registry,ref=x'],
  iidFile: '/t/iid',
  metadataFile: '/t/meta.json',
};

describe('buildArgv', () => {
  it('builds with buildx, loads the image, keeps a single-platform manifest', () => {
    expect(buildArgv(req, { buildx: '0.13.1' })).toEqual([
      'buildx', 'build',
      '--file', '/w/Dockerfile',
      '--tag', 'localhost:5000/a/b:latest',
      '--label', 'org.opencontainers.image.revision=abc',
      '--build-arg', 'A=1',
      '--target', 'prod',
      '--iidfile', '/t/iid',
      '--secret', 'id=npm,env=NPM_TOKEN',
      '--provenance=false', '--metadata-file', '/t/meta.json', '--load',
      '--cache-from', 'type=registry,ref=x',
      '/w',
    ]);
  });

  it('also names the image by its first reference, in the same build (no docker tag after it)', () => {
    const argv = buildArgv({ ...req, localTag: 'autobuild.invalid/a/b:1a2b3c4d-0', alsoTag: 'localhost:5000/a/b:latest' }, { buildx: '0.13.1' });
    expect(argv.slice(2, 8)).toEqual(['--file', '/w/Dockerfile', '--tag', 'autobuild.invalid/a/b:1a2b3c4d-0', '--tag', 'localhost:5000/a/b:latest']);
  });

  it('falls back to the classic docker build without buildx', () => {
    const argv = buildArgv(req, { buildx: undefined });
    expect(argv.slice(0, 1)).toEqual(['build']);
    expect(argv).not.toContain('--load');
    expect(argv).not.toContain('--cache-from');
    expect(argv.at(-1)).toBe('/w');
  });
});
