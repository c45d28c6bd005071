/**
 * An engine on another host, named by DOCKER_HOST=tcp://...: autobuild builds, tests and pushes
 * there, and the machine it runs on keeps nothing. The test world's remote engine is a dockerd in
 * a network namespace of its own, reached over a veth pair (scripts/test-world.sh remote); it sees
 * the registry at the host side of that pair, and the registry's loopback address reads the same
 * repositories.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRepo, testRepositories } from './fixtures.js';
import { pushEvent, ROOT, runAction, shownLog } from './runner.js';
import { REGISTRY_PASSWORD, REGISTRY_USER, registryDigest, registryTags } from './world.js';

const WORLD = path.join(ROOT, 'scripts/test-world.sh');
const newRepo = testRepositories();
const login = { username: REGISTRY_USER, password: REGISTRY_PASSWORD };
/** What `test-world.sh remote` prints: DOCKER_HOST, AUTOBUILD_REMOTE_REGISTRY, AUTOBUILD_REMOTE_BASE_IMAGE. */
let remote: Record<string, string> = {};

const remoteDocker = (...args: string[]): string =>
  execFileSync('docker', args, { encoding: 'utf8', env: { ...process.env, DOCKER_HOST: remote.DOCKER_HOST }, stdio: ['ignore', 'pipe', 'pipe'] });
/** The local engine (docker's default socket) has this image. */
const localHas = (ref: string): boolean => {
  try {
    execFileSync('docker', ['image', 'inspect', ref], { env: { ...process.env, DOCKER_HOST: 'unix:///var/run/docker.sock' }, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

beforeAll(() => {
  const out = execFileSync('bash', [WORLD, 'remote'], { encoding: 'utf8' });
  remote = Object.fromEntries(out.split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  expect(remote.DOCKER_HOST).toBe('tcp://10.213.0.2:2375');
  expect(remote.AUTOBUILD_REMOTE_REGISTRY).toMatch(/^10\.213\.0\.1:\d+$/);
});
afterAll(() => {
  execFileSync('bash', [WORLD, 'remote-down'], { stdio: 'ignore' });
});

/**
 * An app whose build step records the address it ran at, and a test command that prints it with
 * the address the test runs at: both are on the remote engine's own bridge (10.213.1.0/24), which
 * no engine of this machine has.
 */
function remoteApp(): ReturnType<typeof makeRepo> {
  return makeRepo({
    Dockerfile: [
      `FROM ${remote.AUTOBUILD_REMOTE_BASE_IMAGE}`,
      "RUN ip -4 -o addr show eth0 | awk '{print $4}' > /built-at",
      'COPY app.sh /app.sh',
      'ENTRYPOINT ["/app.sh"]',
      '',
    ].join('\n'),
    'app.sh': '#!/bin/sh\necho v1\n',
  });
}
const WHERE = `echo "built at $(cat /built-at), tested at $(ip -4 -o addr show eth0 | awk '{print $4}')"`;

describe('a remote engine (DOCKER_HOST=tcp://...)', () => {
  it('builds, tests and pushes on the remote engine; the local engine never sees the image', async () => {
    const repo = newRepo('remote');
    const image = `${remote.AUTOBUILD_REMOTE_REGISTRY}/${repo}`;
    const source = remoteApp();
    const run = await runAction({
      workspace: source.dir,
      event: pushEvent('refs/heads/main', source.sha),
      inputs: { image, ...login, 'test-command': `${WHERE} && test "$(/app.sh)" = v1` },
      env: { DOCKER_HOST: remote.DOCKER_HOST! },
    });
    expect(run.code, shownLog(run)).toBe(0);
    // The build step and the test both ran in containers of the remote engine.
    expect(run.stdout).toMatch(/built at 10\.213\.1\.\d+\/24, tested at 10\.213\.1\.\d+\/24/);
    // The image is in the remote engine's store, not in the local one's.
    expect(remoteDocker('image', 'inspect', '--format', '{{.Id}}', `${image}:main`).trim()).toBe(run.outputs.imageid);
    expect(localHas(`${image}:main`)).toBe(false);
    expect(localHas(run.outputs.imageid!)).toBe(false);
    // Pushed by the remote engine through the registry's host-side address; read here on loopback.
    expect(await registryTags(repo)).toEqual(['latest', 'main', `sha-${source.sha.slice(0, 7)}`]);
    expect(await registryDigest(repo, 'main')).toBe(run.outputs.digest);
    expect(run.outputs.pushed).toBe('true');
    expect(run.post.code).toBe(0);
  });

  it('a failing test command on the remote engine pushes nothing', async () => {
    const repo = newRepo('remote-fail');
    const image = `${remote.AUTOBUILD_REMOTE_REGISTRY}/${repo}`;
    const source = remoteApp();
    const run = await runAction({
      workspace: source.dir,
      event: pushEvent('refs/heads/main', source.sha),
      inputs: { image, ...login, 'test-command': `${WHERE}; exit 3` },
      env: { DOCKER_HOST: remote.DOCKER_HOST! },
    });
    expect(run.code).not.toBe(0);
    expect(run.stdout).toMatch(/built at 10\.213\.1\.\d+\/24, tested at 10\.213\.1\.\d+\/24/);
    expect(run.stdout).toContain(`::error::The test command failed (exit 3) inside ${image}:latest; nothing was pushed.`);
    expect(run.outputs.pushed).toBe('false');
    expect(localHas(`${image}:main`)).toBe(false);
    // No image tag (the layer cache, buildcache-*, is written by the build, before any test).
    expect(await registryTags(repo)).toEqual([]);
    expect(run.post.code).toBe(0);
  });
});
