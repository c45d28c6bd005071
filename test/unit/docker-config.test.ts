import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasConfiguredLogin, removeDockerConfig, reserveDockerConfig, writeDockerConfig } from '../../src/engine/login.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-config-'));
const user = path.join(root, 'user-docker');
const runnerTemp = path.join(root, 'runner-temp');
const saved = process.env.DOCKER_CONFIG;
const userConfig = JSON.stringify({ auths: { 'ghcr.io': { auth: 'eDp5' } }, credsStore: 'desktop', credHelpers: { 'gcr.io': 'gcloud' }, detachKeys: 'ctrl-e,e' });

beforeEach(() => {
  fs.mkdirSync(path.join(user, 'cli-plugins'), { recursive: true });
  fs.writeFileSync(path.join(user, 'cli-plugins', 'docker-buildx'), 'plugin');
  fs.writeFileSync(path.join(user, 'config.json'), userConfig);
  fs.mkdirSync(runnerTemp, { recursive: true });
  process.env.DOCKER_CONFIG = user;
});
afterEach(() => {
  if (saved === undefined) delete process.env.DOCKER_CONFIG;
  else process.env.DOCKER_CONFIG = saved;
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('the private docker config', () => {
  it('is reserved empty and private under RUNNER_TEMP, before anything is written to it', () => {
    const dir = reserveDockerConfig(runnerTemp);
    expect(path.dirname(dir)).toBe(runnerTemp);
    expect(path.basename(dir)).toMatch(/^autobuild-docker-/);
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
  });

  it("copies the user's settings and logins, drops the credential store, links plugins, and never writes the user's file", () => {
    const dir = reserveDockerConfig(runnerTemp);
    writeDockerConfig(dir);
    const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toEqual({ auths: { 'ghcr.io': { auth: 'eDp5' } }, credHelpers: { 'gcr.io': 'gcloud' }, detachKeys: 'ctrl-e,e' });
    expect(fs.statSync(path.join(dir, 'config.json')).mode & 0o777).toBe(0o600);
    expect(fs.readlinkSync(path.join(dir, 'cli-plugins'))).toBe(path.join(user, 'cli-plugins'));
    expect(fs.readFileSync(path.join(user, 'config.json'), 'utf8')).toBe(userConfig);
  });

  it("keeps the logins held in the user's credential store readable, through per-registry helpers", () => {
    fs.writeFileSync(
      path.join(user, 'config.json'),
      JSON.stringify({ auths: { 'https://index.docker.io/v1/': {}, 'quay.example': {}, 'ghcr.io': { auth: 'eDp5' } }, credsStore: 'osxkeychain', credHelpers: { 'quay.example': 'quay' } }),
    );
    const dir = reserveDockerConfig(runnerTemp);
    writeDockerConfig(dir);
    const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(config.credsStore).toBeUndefined();
    // The store answers for the logins it holds; a registry's own helper and a login in the file stay as they were.
    expect(config.credHelpers).toEqual({ 'https://index.docker.io/v1/': 'osxkeychain', 'quay.example': 'quay' });
    expect(hasConfiguredLogin(dir, 'docker.io')).toBe(true);
    expect(hasConfiguredLogin(dir, 'ghcr.io')).toBe(true);
  });

  it('is removed with its links, and what they point to stays', () => {
    const dir = reserveDockerConfig(runnerTemp);
    writeDockerConfig(dir);
    removeDockerConfig(dir);
    expect(fs.existsSync(dir)).toBe(false);
    expect(fs.readFileSync(path.join(user, 'cli-plugins', 'docker-buildx'), 'utf8')).toBe('plugin');
  });

  it('removal refuses any folder it did not make (the path comes back through state)', () => {
    expect(() => removeDockerConfig(user)).toThrow(/refusing to remove/);
    expect(() => removeDockerConfig('/')).toThrow(/refusing to remove/);
    expect(fs.existsSync(path.join(user, 'config.json'))).toBe(true);
  });
});

describe('hasConfiguredLogin', () => {
  it.each([
    [{ auths: { 'ghcr.io': { auth: 'eDp5' } } }, 'ghcr.io', true],
    [{ auths: { 'https://index.docker.io/v1/': { auth: 'eDp5' } } }, 'docker.io', true],
    [{ auths: { 'registry-1.docker.io': { identitytoken: 't' } } }, 'docker.io', true],
    [{ auths: { 'localhost:5000': { auth: 'eDp5' } } }, 'localhost:5000', true],
    [{ auths: { 'http://localhost:5000': { auth: 'eDp5' } } }, 'localhost:5000', true],
    [{ auths: { 'localhost:5000': {} } }, 'localhost:5000', false],
    [{ auths: { 'localhost:5001': { auth: 'eDp5' } } }, 'localhost:5000', false],
    [{ auths: { 'https://index.docker.io/v1/': { auth: 'eDp5' } } }, 'ghcr.io', false],
    [{ credHelpers: { '123.dkr.ecr.us-east-1.amazonaws.com': 'ecr-login' } }, '123.dkr.ecr.us-east-1.amazonaws.com', true],
    [{ credsStore: 'desktop' }, 'docker.io', false],
    [{}, 'ghcr.io', false],
  ])('%j has a login for %s: %s', (config, registry, expected) => {
    const dir = fs.mkdtempSync(path.join(root, 'cfg-'));
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
    expect(hasConfiguredLogin(dir, registry)).toBe(expected);
  });

  it('a missing or broken config has no login', () => {
    expect(hasConfiguredLogin(path.join(root, 'nowhere'), 'ghcr.io')).toBe(false);
    const dir = fs.mkdtempSync(path.join(root, 'cfg-'));
    fs.writeFileSync(path.join(dir, 'config.json'), '{not json');
    expect(hasConfiguredLogin(dir, 'ghcr.io')).toBe(false);
  });
});
