import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findOnPath, gitShim, prepareHookTools, removeHookBuilders } from '../../src/phases/hook-tools.js';

const temps: string[] = [];
function temp(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-hook-tools-'));
  temps.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function write(file: string, text: string, mode = 0o644): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text, { mode });
  return file;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' },
  }).trim();
}

describe('the git shim: git fetch --unshallow on a checkout that is complete already', () => {
  it('unshallows a shallow clone, then lets the same command pass on the complete one; real git refuses it', () => {
    const source = temp();
    git(source, 'init', '-q', '-b', 'main');
    for (const n of [1, 2, 3]) {
      fs.writeFileSync(path.join(source, 'f'), String(n));
      git(source, 'add', 'f');
      git(source, 'commit', '-q', '-m', `c${n}`);
    }
    git(source, 'tag', 'v1');
    const work = path.join(temp(), 'work');
    git(os.tmpdir(), 'clone', '-q', '--depth', '1', `file://${source}`, work);
    expect(git(work, 'rev-parse', '--is-shallow-repository')).toBe('true');
    const bin = temp();
    const shim = write(path.join(bin, 'git'), gitShim(findOnPath('git', bin)!), 0o755);
    const run = (...args: string[]) => spawnSync(shim, args, { cwd: work, encoding: 'utf8' });

    const first = run('fetch', '--unshallow');
    expect(first.status, first.stderr).toBe(0);
    expect(git(work, 'rev-list', '--count', 'HEAD')).toBe('3');
    expect(first.stderr).not.toContain('autobuild');

    // What a second build's post_checkout does on the same checkout.
    const real = spawnSync('git', ['fetch', '--unshallow'], { cwd: work, encoding: 'utf8' });
    expect(real.status).not.toBe(0);
    expect(real.stderr).toContain('--unshallow on a complete repository does not make sense');
    const again = spawnSync(shim, ['-C', work, 'fetch', '--unshallow', '--tags'], { cwd: os.tmpdir(), encoding: 'utf8' });
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toContain('the repository is complete already (not shallow): git fetch runs without --unshallow');
    expect(git(work, 'tag')).toBe('v1');
    // Everything else is plain git.
    expect(run('rev-parse', 'HEAD').stdout.trim()).toBe(git(work, 'rev-parse', 'HEAD'));
    expect(run('log', '--format=%s', '-1').stdout.trim()).toBe('c3');
  });
});

describe('prepareHookTools and removeHookBuilders: a buildx state of the hooks’ own', () => {
  it("copies the user's builders and selection (not refs), puts the shims first, and removes nothing that was there", async () => {
    const user = temp();
    write(path.join(user, 'buildx/instances/team'), '{"Name":"team","Driver":"docker-container"}');
    write(path.join(user, 'buildx/current'), '{"Key":"unix:///var/run/docker.sock","Name":"team","Global":false}');
    write(path.join(user, 'buildx/refs/team/x'), '{}');
    const config = temp();
    const tools = prepareHookTools(config, { DOCKER_CONFIG: user, PATH: process.env.PATH });
    expect(tools.buildxConfig).toBe(path.join(config, 'hooks/buildx'));
    expect(fs.readFileSync(path.join(tools.buildxConfig, 'instances/team'), 'utf8')).toContain('docker-container');
    expect(fs.readFileSync(path.join(tools.buildxConfig, 'current'), 'utf8')).toContain('"team"');
    expect(fs.existsSync(path.join(tools.buildxConfig, 'refs'))).toBe(false);
    expect(fs.readFileSync(path.join(tools.bin, 'git'), 'utf8')).toContain(`REAL='${findOnPath('git', tools.bin)}'`);
    // A builder a hook writes into the hooks' state leaves the user's untouched.
    write(path.join(tools.buildxConfig, 'current'), '{"Name":"hooks-own"}');
    expect(fs.readFileSync(path.join(user, 'buildx/current'), 'utf8')).toContain('"team"');
    // Only builders that were not there before are removed: here there are none.
    expect(await removeHookBuilders(config)).toEqual([]);
    expect(await removeHookBuilders(temp())).toEqual([]);
  });

  it('BUILDX_CONFIG, when set, is the state copied', () => {
    const own = temp();
    write(path.join(own, 'instances/ci'), '{"Name":"ci"}');
    const tools = prepareHookTools(temp(), { BUILDX_CONFIG: own, DOCKER_CONFIG: temp(), PATH: '' });
    expect(fs.existsSync(path.join(tools.buildxConfig, 'instances/ci'))).toBe(true);
    // No git on that PATH: no git shim.
    expect(fs.existsSync(path.join(tools.bin, 'git'))).toBe(false);
  });
});
