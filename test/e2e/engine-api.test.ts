import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeRepo, testRepositories } from './fixtures.js';
import { recordingDocker } from './recording-docker.js';
import { recordingSocket } from './recording-socket.js';
import { pushEvent, runAction, shownLog } from './runner.js';
import { REGISTRY, REGISTRY_PASSWORD, REGISTRY_USER, registryDigest, registryTags } from './world.js';

/**
 * The quick questions of a run (is the engine there, what is in an image, name it, unname it) go
 * to the engine's API when the docker CLI would talk to a local socket, and through the docker
 * CLI otherwise (a docker context). Both give the same pushed image. The engine is reached
 * through a socket that notes every request: the action's own are `/info` and `/images/...`
 * without an API version (`GET /info`); the docker CLI's carry one (`GET /v1.45/info`).
 */
const newRepo = testRepositories();
const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});

/** The action's own requests (buildx's /grpc and /session carry no version either, and are not these). */
const own = (requests: string[]): string[] => requests.filter((r) => /^[A-Z]+ \/(info|images\/)/.test(r));
const argvOf = (calls: { argv: string[] }[]): string[] => calls.map((c) => c.argv.slice(0, 2).join(' '));

async function pushRun(env: Record<string, string>, dockerOnPath: string) {
  const app = makeRepo();
  const repo = newRepo('api');
  const run = await runAction({
    workspace: app.dir,
    event: pushEvent('refs/heads/main', app.sha),
    inputs: { image: `${REGISTRY}/${repo}`, username: REGISTRY_USER, password: REGISTRY_PASSWORD, 'test-command': 'test -x /app.sh' },
    env: { PATH: `${dockerOnPath}:${process.env.PATH}`, ...env },
  });
  expect(run.code, shownLog(run)).toBe(0);
  expect(run.post.code).toBe(0);
  const short = app.sha.slice(0, 7);
  expect(await registryTags(repo)).toEqual(['latest', 'main', `sha-${short}`]);
  for (const tag of ['latest', 'main', `sha-${short}`]) expect(await registryDigest(repo, tag)).toBe(run.outputs.digest);
  // The run-local name is gone.
  const left = execFileSync('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}'], { encoding: 'utf8' });
  expect(left).not.toContain(`autobuild.invalid/${repo}:`);
  return run;
}

describe('the engine API and the docker CLI', () => {
  it('on a local socket: info, inspect, tag and untag go to the API, build, test, login and push to the CLI', async () => {
    const socket = await recordingSocket(temps);
    const docker = recordingDocker(temps);
    const run = await pushRun({ DOCKER_HOST: socket.host }, docker.dir);
    const asked = own(socket.requests());
    expect(asked).toContainEqual('GET /info HTTP/1.1');
    // The first reference after the build, then every reference before the push.
    expect(asked.filter((r) => /^POST \/images\/sha256:[0-9a-f]{64}\/tag\?repo=/.test(r))).toHaveLength(4);
    expect(asked.some((r) => /^GET \/images\/sha256:[0-9a-f]{64}\/json /.test(r))).toBe(true);
    expect(asked.some((r) => r.startsWith('DELETE /images/autobuild.invalid/'))).toBe(true);
    const cli = argvOf(docker.calls());
    for (const quick of ['info --format', 'tag sha256', 'image inspect', 'image rm', 'buildx version']) expect(cli.some((c) => c.startsWith(quick)), quick).toBe(false);
    for (const work of ['login localhost', 'buildx build', 'run --rm', 'push localhost']) expect(cli.some((c) => c.startsWith(work.split(' ')[0]!)), work).toBe(true);
    expect(run.summary).toMatch(/buildx \d+\.\d+\.\d+, builder default \(driver docker/);
    // One docker push (latest, with the layers); main and sha-<7> are put in the registry directly.
    expect(cli.filter((c) => c.startsWith('push '))).toHaveLength(1);
    expect(run.stdout.split('\n').filter((l) => l.startsWith('Pushed ') && l.endsWith(' (tagged in the registry)'))).toHaveLength(2);
    await socket.close();
  });

  it('with a docker context: everything goes through the docker CLI, and the result is the same', async () => {
    const socket = await recordingSocket(temps);
    const docker = recordingDocker(temps);
    const config = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-e2e-context-'));
    temps.push(config);
    fs.writeFileSync(path.join(config, 'config.json'), '{"auths":{}}\n');
    // The world's plugins (the oldest generation keeps its own in its DOCKER_CONFIG).
    const plugins = process.env.DOCKER_CONFIG && path.join(process.env.DOCKER_CONFIG, 'cli-plugins');
    if (plugins && fs.existsSync(plugins)) fs.symlinkSync(plugins, path.join(config, 'cli-plugins'));
    execFileSync('docker', ['context', 'create', 'autobuild-e2e', '--docker', `host=${socket.host}`], { env: { ...process.env, DOCKER_CONFIG: config }, stdio: 'ignore' });
    // No DOCKER_HOST: it would win over the context.
    const run = await pushRun({ DOCKER_CONFIG: config, DOCKER_CONTEXT: 'autobuild-e2e', DOCKER_HOST: '' }, docker.dir);
    // Every request reached the engine through the context (so through the recording socket), and none was the action's own.
    expect(socket.requests().length).toBeGreaterThan(0);
    expect(own(socket.requests())).toEqual([]);
    const cli = argvOf(docker.calls());
    expect(cli.filter((c) => c.startsWith('info'))).toHaveLength(1);
    expect(cli.filter((c) => c.startsWith('tag'))).toHaveLength(4);
    expect(cli.some((c) => c.startsWith('image rm'))).toBe(true);
    expect(run.summary).toMatch(/buildx \d+\.\d+\.\d+, builder default \(driver docker/);
    await socket.close();
  });
});
