import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { callsComposeV1, composeShim, findOnPath, gitShim, prepareHookTools, removeHookBuilders } from '../../src/phases/hook-tools.js';
import { composeV1Hooks, type HookSet } from '../../src/phases/hooks.js';

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

describe('callsComposeV1: hooks that run docker-compose', () => {
  it.each([
    ['docker-compose -f docker-compose.test.yml -p ci up -d', true],
    ['  docker-compose -p ci ps sut | grep "Exit 0"', true],
    ['if ! docker-compose version; then exit 1; fi', true],
    ['$(docker-compose -p ci ps -q sut)', true],
    ['docker compose -f docker-compose.test.yml up', false],
    ['cp docker-compose.test.yml /tmp/', false],
    ['# docker-compose -p ci up', false],
    ['echo hi # then docker-compose up', false],
    ['./my-docker-compose up', false],
    ['docker-compose-wrapper up', false],
  ])('%s -> %s', (text, calls) => expect(callsComposeV1(`#!/bin/bash\n${text}\n`)).toBe(calls));

  it('names the hooks of a set that call it', () => {
    const dir = temp();
    const hooks: HookSet = new Map([
      ['build', write(path.join(dir, 'hooks/build'), '#!/bin/sh\ndocker build -t "$IMAGE_NAME" .\n')],
      ['test', write(path.join(dir, 'hooks/test'), '#!/bin/sh\ndocker-compose -f docker-compose.test.yml -p ci up -d\n')],
      ['post_test', path.join(dir, 'hooks/missing')],
    ]);
    expect(composeV1Hooks(hooks)).toEqual(['test']);
  });
});

/** A fake `docker` on PATH: records its argv, answers `compose version` and `compose ... ps -a --format`. */
function fakeDocker(opts: { compose?: boolean } = {}): { dir: string; calls: () => string[][] } {
  const dir = temp();
  const log = path.join(dir, 'calls');
  write(
    path.join(dir, 'docker'),
    `#!/usr/bin/env bash
printf '%s\\0' "$@" >> ${log}; printf '\\n' >> ${log}
if [ "$1 $2" = "compose version" ]; then ${opts.compose === false ? 'exit 1' : 'echo "Docker Compose version v2.40.3"; exit 0'}; fi
for a in "$@"; do
  if [ "$a" = --format ]; then
    printf '%s\\t%s\\t%s\\t%s\\t%s\\n' ci_sut_1 '"sh -c '"'"'echo ok'"'"'"' exited 0 ''
    printf '%s\\t%s\\t%s\\t%s\\t%s\\n' ci_web_1 '"httpd -f"' running 0 '0.0.0.0:8080->8080/tcp'
    printf '%s\\t%s\\t%s\\t%s\\t%s\\n' ci_db_1 '"postgres"' exited 3 ''
    exit 0
  fi
done
echo "docker ran"
`,
    0o755,
  );
  const calls = (): string[][] =>
    fs.existsSync(log)
      ? fs
          .readFileSync(log, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => l.split('\0').filter(Boolean))
      : [];
  return { dir, calls };
}

function runShim(shim: string, args: string[], pathDirs: string[]): { code: number; stdout: string; stderr: string } {
  const file = write(path.join(temp(), 'docker-compose'), shim, 0o755);
  const r = spawnSync(file, args, { encoding: 'utf8', env: { ...process.env, PATH: [...pathDirs, process.env.PATH].join(':') } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe('the docker-compose shim: Compose v1 commands on Compose v2', () => {
  it('ps lists exited containers with a v1 State column, so grep "Exit 0" finds sut', () => {
    const docker = fakeDocker();
    const r = runShim(composeShim(undefined), ['-f', 'docker-compose.test.yml', '-p', 'ci', 'ps', 'sut'], [docker.dir]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Name\s+Command\s+State\s+Ports$/);
    expect(lines[1]).toMatch(/^-+$/);
    expect(lines[2]).toMatch(/^ci_sut_1\s+sh -c 'echo ok'\s+Exit 0\s*$/);
    expect(lines[3]).toMatch(/^ci_web_1\s+httpd -f\s+Up\s+0\.0\.0\.0:8080->8080\/tcp$/);
    expect(lines[4]).toMatch(/^ci_db_1\s+postgres\s+Exit 3\s*$/);
    // Columns line up, as v1's table did.
    expect(lines[2]!.indexOf('Exit 0')).toBe(lines[3]!.indexOf('Up'));
    const ps = docker.calls().find((c) => c.includes('ps'))!;
    expect(ps.slice(0, 8)).toEqual(['compose', '--compatibility', '-f', 'docker-compose.test.yml', '-p', 'ci', 'ps', '-a']);
    expect(ps.at(-1)).toBe('sut');
  });

  it('ps -q and --services pass through, with exited containers (-a)', () => {
    const docker = fakeDocker();
    runShim(composeShim(undefined), ['-p', 'ci', 'ps', '-q', 'sut'], [docker.dir]);
    expect(docker.calls().at(-1)).toEqual(['compose', '--compatibility', '-p', 'ci', 'ps', '-a', '-q', 'sut']);
  });

  it("maps v1's global options and runs every other command as docker compose --compatibility", () => {
    const docker = fakeDocker();
    const r = runShim(composeShim(undefined), ['--no-ansi', '--verbose', '-f', 'a.yml', '--project-name=ci', 'up', '-d', '--build'], [docker.dir]);
    expect(r.stdout).toContain('docker ran');
    expect(docker.calls().at(-1)).toEqual(['compose', '--compatibility', '--ansi', 'never', '-f', 'a.yml', '--project-name=ci', 'up', '-d', '--build']);
    runShim(composeShim(undefined), ['-p', 'ci', 'logs', 'sut'], [docker.dir]);
    expect(docker.calls().at(-1)).toEqual(['compose', '--compatibility', '-p', 'ci', 'logs', 'sut']);
  });

  it('without Compose v2 runs the docker-compose installed on the runner, or says there is none', () => {
    const docker = fakeDocker({ compose: false });
    const installed = write(path.join(temp(), 'docker-compose'), '#!/bin/sh\necho "real v1 $*"\n', 0o755);
    expect(runShim(composeShim(installed), ['-p', 'ci', 'ps'], [docker.dir]).stdout).toBe('real v1 -p ci ps\n');
    const none = runShim(composeShim(undefined), ['up'], [docker.dir]);
    expect(none.code).toBe(127);
    expect(none.stderr).toContain('Compose v2 (docker compose) is not installed');
  });
});

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
    expect(fs.statSync(path.join(tools.bin, 'docker-compose')).mode & 0o111).toBeTruthy();
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
