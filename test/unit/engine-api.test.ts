import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SOCKET, EngineApi, localEngineSocket } from '../../src/engine/api.js';
import { splitTag } from '../../src/plan/images.js';
import { buildxVersion, pluginDirs, rememberedVersion, rememberVersion } from '../../src/engine/capabilities.js';
import { Docker } from '../../src/engine/docker.js';

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-api-'));
  temps.push(dir);
  return dir;
}
function configWith(config: unknown): string {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  return dir;
}

describe('localEngineSocket: the API is used only where the docker CLI would talk to the same local socket', () => {
  const none = tempDir();
  it.each<[string, Record<string, string>, string, string | undefined]>([
    ['nothing set', {}, none, DEFAULT_SOCKET],
    ['a unix DOCKER_HOST', { DOCKER_HOST: 'unix:///run/user/1000/docker.sock' }, none, '/run/user/1000/docker.sock'],
    ['a tcp DOCKER_HOST', { DOCKER_HOST: 'tcp://127.0.0.1:2376' }, none, undefined],
    ['an ssh DOCKER_HOST', { DOCKER_HOST: 'ssh://builder@host' }, none, undefined],
    ['a unix DOCKER_HOST without a path', { DOCKER_HOST: 'unix://' }, none, undefined],
    ['DOCKER_HOST wins over DOCKER_CONTEXT', { DOCKER_HOST: 'unix:///tmp/d.sock', DOCKER_CONTEXT: 'remote' }, none, '/tmp/d.sock'],
    ['a DOCKER_CONTEXT', { DOCKER_CONTEXT: 'remote' }, none, undefined],
    ['DOCKER_CONTEXT=default', { DOCKER_CONTEXT: 'default' }, configWith({ currentContext: 'remote' }), DEFAULT_SOCKET],
    ['the config names a context', {}, configWith({ currentContext: 'remote' }), undefined],
    ['the config names the default context', {}, configWith({ currentContext: 'default', auths: {} }), DEFAULT_SOCKET],
    ['a config without a context', {}, configWith({ auths: {} }), DEFAULT_SOCKET],
    ['an unreadable config', {}, configWith('{not json'), undefined],
  ])('%s', (_name, env, configDir, expected) => {
    expect(localEngineSocket(env, configDir)).toBe(expected);
  });
});

describe('splitTag', () => {
  it.each([
    ['localhost:5000/acme/app:1.2', { repo: 'localhost:5000/acme/app', tag: '1.2' }],
    ['acme/app:latest', { repo: 'acme/app', tag: 'latest' }],
    ['autobuild.invalid/acme/app:1a2b3c4d-0', { repo: 'autobuild.invalid/acme/app', tag: '1a2b3c4d-0' }],
    ['localhost:5000/acme/app', undefined],
    ['acme/app@sha256:0123', undefined],
  ])('%s', (ref, expected) => {
    expect(splitTag(ref)).toEqual(expected);
  });
});

describe('EngineApi', () => {
  /** An engine stand-in on a unix socket that answers each request with `reply`. */
  async function engine(reply: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<{ api: EngineApi; requests: string[]; close: () => Promise<void> }> {
    const socket = path.join(tempDir(), 'engine.sock');
    const requests: string[] = [];
    const server = http.createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      reply(req, res);
    });
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    return { api: new EngineApi(socket), requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
  }

  it('answers like the docker CLI: the body on success, the daemon message on failure', async () => {
    const e = await engine((req, res) => {
      if (req.url === '/info') return void res.end('{"ServerVersion":"26.1.5"}');
      res.statusCode = 404;
      res.end('{"message":"No such image: acme/app:1"}');
    });
    expect(await e.api.call('GET', '/info')).toEqual({ code: 0, stdout: '{"ServerVersion":"26.1.5"}', stderr: '' });
    expect(await e.api.call('DELETE', '/images/acme/app:1')).toEqual({ code: 1, stdout: '', stderr: 'Error response from daemon: No such image: acme/app:1' });
    expect(e.requests).toEqual(['GET /info', 'DELETE /images/acme/app:1']);
    await e.close();
  });

  it('a socket nobody listens on: undefined (the caller asks the CLI), and no second try', async () => {
    const api = new EngineApi(path.join(tempDir(), 'nothing.sock'));
    expect(await api.call('GET', '/info')).toBeUndefined();
    expect(api.timedOut).toBe(false);
    expect(await api.call('GET', '/info')).toBeUndefined();
  });

  it('an engine that takes the request and never answers: undefined after the time, marked timed out', async () => {
    const e = await engine(() => undefined);
    const started = Date.now();
    expect(await e.api.call('GET', '/info', { timeoutMs: 200 })).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(e.api.timedOut).toBe(true);
    await e.close().catch(() => undefined);
  });
});

describe('pluginDirs: where the docker CLI finds buildx', () => {
  it('the config folder first, then cliPluginsExtraDirs, then the system folders', () => {
    const dir = configWith({ cliPluginsExtraDirs: ['/opt/plugins'] });
    expect(pluginDirs(dir)).toEqual([
      path.join(dir, 'cli-plugins'),
      '/opt/plugins',
      '/usr/local/lib/docker/cli-plugins',
      '/usr/local/libexec/docker/cli-plugins',
      '/usr/lib/docker/cli-plugins',
      '/usr/libexec/docker/cli-plugins',
    ]);
    expect(pluginDirs(tempDir())).toHaveLength(5);
  });
});

describe('buildxVersion: the plugin asked itself, once per binary', () => {
  /** A docker config folder with a docker-buildx that counts its calls. */
  function fakePlugin(version: string): { config: string; calls: () => number; plugin: string } {
    const config = tempDir();
    fs.mkdirSync(path.join(config, 'cli-plugins'));
    const plugin = path.join(config, 'cli-plugins', 'docker-buildx');
    const count = path.join(config, 'calls');
    fs.writeFileSync(plugin, `#!/bin/sh\necho x >> '${count}'\necho "github.com/docker/buildx ${version} abcdef"\n`, { mode: 0o755 });
    return { config, plugin, calls: () => (fs.existsSync(count) ? fs.readFileSync(count, 'utf8').split('\n').filter(Boolean).length : 0) };
  }

  it('asks the binary, remembers its answer, and asks again when the binary changes', async () => {
    const memory = path.join(tempDir(), 'memory');
    const p = fakePlugin('v0.29.1');
    const docker = new Docker();
    expect(await buildxVersion(docker, p.config, memory)).toBe('0.29.1');
    expect(await buildxVersion(docker, p.config, memory)).toBe('0.29.1');
    expect(p.calls()).toBe(1);
    expect(fs.statSync(memory).mode & 0o777).toBe(0o700);
    // An upgrade in place: another size and time, so another identity.
    fs.writeFileSync(p.plugin, fs.readFileSync(p.plugin, 'utf8').replace('v0.29.1', 'v0.30.10'));
    expect(await buildxVersion(docker, p.config, memory)).toBe('0.30.10');
    expect(p.calls()).toBe(2);
  });

  it('trusts no memory another user could have written', () => {
    const dir = tempDir();
    fs.chmodSync(dir, 0o700);
    rememberVersion(dir, 'id', '0.29.1');
    expect(rememberedVersion(dir, 'id')).toBe('0.29.1');
    expect(rememberedVersion(dir, 'another binary')).toBeUndefined();
    fs.chmodSync(path.join(dir, 'buildx-version.json'), 0o666);
    expect(rememberedVersion(dir, 'id')).toBeUndefined();
    fs.chmodSync(path.join(dir, 'buildx-version.json'), 0o600);
    fs.chmodSync(dir, 0o777);
    expect(rememberedVersion(dir, 'id')).toBeUndefined();
    expect(rememberedVersion(path.join(dir, 'nothing-here'), 'id')).toBeUndefined();
  });
});
