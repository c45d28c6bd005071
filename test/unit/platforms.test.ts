import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { buildsEachPlatform, checkPlatforms, execFormatHint, missingPlatforms, normalizePlatform, parsePlatforms, platformError } from '../../src/engine/platforms.js';
import { testArgv } from '../../src/engine/run.js';
import { pointAtImage } from '../../src/engine/compose.js';
import { testPlatforms } from '../../src/phases/test.js';
import type { Docker } from '../../src/engine/docker.js';

// `docker buildx inspect` of the docker driver on an amd64 host, without and with QEMU's handlers.
const NATIVE = `Name:          default
Driver:        docker

Nodes:
Name:             default
Endpoint:         default
Status:           running
BuildKit version: v0.25.2
Platforms:        linux/amd64, linux/amd64/v2, linux/amd64/v3, linux/386
`;
const EMULATED = NATIVE.replace('linux/386', 'linux/386, linux/arm64, linux/riscv64, linux/arm/v7, linux/arm/v6');

describe('platforms the builder can build and run', () => {
  it('reads the Platforms line of buildx inspect', () => {
    expect(parsePlatforms(NATIVE)).toEqual(['linux/amd64', 'linux/amd64/v2', 'linux/amd64/v3', 'linux/386']);
    expect(parsePlatforms('Platforms: linux/amd64*, linux/arm64*')).toEqual(['linux/amd64', 'linux/arm64']);
    expect(parsePlatforms('Name: x')).toEqual([]);
  });

  it.each([
    ['linux/arm64/v8', 'linux/arm64'],
    ['linux/arm/v7', 'linux/arm'],
    ['linux/arm/v6', 'linux/arm/v6'],
    ['Linux/AMD64', 'linux/amd64'],
  ])('%s is %s', (given, normal) => expect(normalizePlatform(given)).toBe(normal));

  it('finds what is missing: arm64 without an emulator, nothing with one', () => {
    expect(missingPlatforms(['linux/amd64', 'linux/arm64'], parsePlatforms(NATIVE))).toEqual(['linux/arm64']);
    expect(missingPlatforms(['linux/amd64', 'linux/arm64/v8', 'linux/arm/v7'], parsePlatforms(EMULATED))).toEqual([]);
  });

  it('the error names the input, the platform, what the builder has and both fixes', () => {
    const message = platformError(['linux/arm64'], parsePlatforms(NATIVE), 'default').message;
    expect(message).toMatch(/^Input 'platforms': the builder default cannot build or run linux\/arm64 \(it lists linux\/amd64, /);
    expect(message).toContain('docker/setup-qemu-action');
    expect(message).toContain('qemu-user-static and binfmt-support');
    expect(message).toContain('on a runner of its own architecture');
  });

  const engine = (inspect: string): { docker: Docker; asked: string[][] } => {
    const asked: string[][] = [];
    const docker = { run: async (args: string[]) => (asked.push(args), { code: 0, stdout: inspect, stderr: '' }) } as unknown as Docker;
    return { docker, asked };
  };
  const caps = { buildx: '0.29.1', driver: 'docker', builder: 'default', containerdStore: true };

  it('checks before any build, and asks the builder nothing when no platform is given', async () => {
    const none = engine(NATIVE);
    await expect(checkPlatforms(none.docker, caps, [])).resolves.toEqual([]);
    expect(none.asked).toEqual([]);
    const missing = engine(NATIVE);
    await expect(checkPlatforms(missing.docker, caps, ['linux/amd64', 'linux/arm64'])).rejects.toThrow(UserError);
    expect(missing.asked).toEqual([['buildx', 'inspect', '--bootstrap']]);
    await expect(checkPlatforms(engine(EMULATED).docker, caps, ['linux/amd64', 'linux/arm64'])).resolves.toContain('linux/arm64');
  });

  it('the classic image store holds one platform of an image: several are built one at a time there', async () => {
    const classic = { ...caps, containerdStore: false };
    await expect(checkPlatforms(engine(EMULATED).docker, classic, ['linux/amd64', 'linux/arm64'])).resolves.toContain('linux/arm64');
    expect(buildsEachPlatform(classic, ['linux/amd64', 'linux/arm64'])).toBe(true);
    expect(buildsEachPlatform(classic, ['linux/arm64'])).toBe(false);
    expect(buildsEachPlatform({ containerdStore: false }, ['linux/amd64', 'linux/arm64'])).toBe(true);
    expect(buildsEachPlatform(caps, ['linux/amd64', 'linux/arm64'])).toBe(false);
  });
});

describe('each platform tested in its own image', () => {
  it('tests every platform given, or the engine\'s own', () => {
    expect(testPlatforms([])).toEqual([undefined]);
    expect(testPlatforms(['linux/amd64', 'linux/arm64'])).toEqual(['linux/amd64', 'linux/arm64']);
  });

  it('the test container runs the platform asked for', () => {
    expect(testArgv('sha256:abc', 'true', 'n', 'r', 'linux/arm64')).toEqual(['run', '--rm', '--name', 'n', '--label', 'autobuild.run=r', '--platform', 'linux/arm64', '--entrypoint', 'sh', 'sha256:abc', '-c', 'true']);
    expect(testArgv('sha256:abc', 'true', 'n')).not.toContain('--platform');
  });

  it('compose services on the built image run the platform tested; the others run their own', () => {
    const model = { services: { sut: { build: { context: '/w', dockerfile: 'Dockerfile' } }, db: { image: 'postgres:16' } } };
    const { model: out } = pointAtImage(model, { ref: 'autobuild.invalid/x:1', context: '/w', file: '/w/Dockerfile', target: '', repositories: [], platform: 'linux/arm64' });
    expect(out.services!.sut).toMatchObject({ image: 'autobuild.invalid/x:1', platform: 'linux/arm64' });
    expect(out.services!.db).toEqual({ image: 'postgres:16' });
  });
});

describe('execFormatHint', () => {
  it('names the platform and the fixes when a program found no emulator', () => {
    const hint = execFormatHint('#8 0.101 exec /bin/sh: exec format error\n', ['linux/arm64']);
    expect(hint).toContain('a program for another CPU (linux/arm64) found no emulator');
    expect(hint).toContain('F (fix binary) flag');
    expect(hint).toContain('docker/setup-qemu-action');
  });
  it('says nothing about other failures', () => {
    expect(execFormatHint('RUN make: exit code 2', ['linux/arm64'])).toBeUndefined();
  });
});
