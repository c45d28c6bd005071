import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { failed, parsePs, pointAtImage, projectName, readAutotestFile, repositoryOf, toComposeV2, type BuiltImage, type ComposeModel } from '../../src/engine/compose.js';
import { autotestsFor } from '../../src/phases/test.js';

const built: BuiltImage = {
  ref: 'localhost:5000/acme/app:latest',
  context: '/repo',
  file: '/repo/Dockerfile',
  target: '',
  repositories: ['localhost:5000/acme/app', 'docker.io/acme/app'],
};

function model(services: Record<string, Record<string, unknown>>): ComposeModel {
  return { name: 'p', services };
}

describe('pointAtImage: services that mean "the image just built" use it, unbuilt and unpulled', () => {
  it.each([
    ['build: . (compose resolves it to the Dockerfile folder)', { build: { context: '/repo', dockerfile: 'Dockerfile' } }, true],
    ['build as a plain string', { build: '/repo' }, true],
    ['build with the same Dockerfile given absolute', { build: { context: '/repo', dockerfile: '/repo/Dockerfile' } }, true],
    ['image: ${IMAGE_NAME} (interpolated)', { image: 'localhost:5000/acme/app:latest' }, true],
    ['image naming the repository with another tag', { image: 'localhost:5000/acme/app:feature' }, true],
    ['image naming the Docker Hub repository the way Docker Hub did', { image: 'index.docker.io/acme/app:latest' }, true],
    ['image naming the Docker Hub repository by its short name', { image: 'acme/app' }, true],
    ['image by digest', { image: 'acme/app@sha256:' + 'b'.repeat(64) }, true],
    ['another Dockerfile (a test image)', { build: { context: '/repo', dockerfile: 'Dockerfile.test' } }, false],
    ['another folder', { build: { context: '/repo/tests' } }, false],
    ['another stage of the same Dockerfile', { build: { context: '/repo', dockerfile: 'Dockerfile', target: 'test' } }, false],
    ['an inline Dockerfile', { build: { context: '/repo', dockerfile_inline: 'FROM x' } }, false],
    ['a remote context', { build: { context: 'https://example.invalid/repo.git' } }, false],
    ['another image', { image: 'postgres:16' }, false],
    ['a similar repository name', { image: 'localhost:5000/acme/app-db' }, false],
  ])('%s', (_, service, ours) => {
    const { model: out, services } = pointAtImage(model({ svc: service }), built);
    expect(services).toEqual(ours ? ['svc'] : []);
    if (ours) {
      expect(out.services!.svc).toMatchObject({ image: built.ref, pull_policy: 'never' });
      expect(out.services!.svc!.build).toBeUndefined();
    } else {
      expect(out.services!.svc).toEqual(service);
    }
  });

  it('takes a service built from the Dockerfile folder when the build context is the repository root', () => {
    const image = { ...built, context: '/repo', file: '/repo/docker/Dockerfile' };
    const { services } = pointAtImage(model({ web: { build: { context: '/repo/docker', dockerfile: 'Dockerfile' } } }), image);
    expect(services).toEqual(['web']);
  });

  it('matches the target stage the build used', () => {
    const image = { ...built, target: 'prod' };
    expect(pointAtImage(model({ a: { build: { context: '/repo', target: 'prod' } } }), image).services).toEqual(['a']);
    expect(pointAtImage(model({ a: { build: { context: '/repo', target: 'dev' } } }), image).services).toEqual([]);
  });

  it('never lets another build take the tested image name', () => {
    const { model: out } = pointAtImage(model({ sut: { build: { context: '/repo/tests' }, image: 'localhost:5000/acme/app:latest' } }), built);
    expect(out.services!.sut).toEqual({ build: { context: '/repo/tests' } });
  });

  it('keeps everything else of the model and does not change its input', () => {
    const input = model({ sut: { image: 'acme/app', command: ['true'], depends_on: { db: { condition: 'service_healthy' } } }, db: { image: 'postgres' } });
    input.networks = { t: { internal: true } };
    const copy = structuredClone(input);
    const { model: out, services } = pointAtImage(input, built);
    expect(input).toEqual(copy);
    expect(services).toEqual(['sut']);
    expect(out.networks).toEqual({ t: { internal: true } });
    expect(out.services!.sut).toEqual({ image: built.ref, pull_policy: 'never', command: ['true'], depends_on: { db: { condition: 'service_healthy' } } });
    expect(out.services!.db).toEqual({ image: 'postgres' });
  });
});

describe('autotest files', () => {
  const write = (dir: string, files: Record<string, string>) => {
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
  };

  it('finds docker-compose.test.yml first, then *.test.yml and *-test.yml by name, next to the Dockerfile only', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-autotest-'));
    write(dir, {
      'app/Dockerfile': '',
      'app/z.test.yml': '',
      'app/docker-compose.test.yml': '',
      'app/api-test.yml': '',
      'app/docker-compose.yml': '',
      'app/test.yml': '',
      'app/b.test.yaml': '',
      'other.test.yml': '',
    });
    const build = { file: path.join(dir, 'app/Dockerfile') };
    expect(autotestsFor(build, 'auto', new Map()).map((f) => path.relative(dir, f))).toEqual([
      'app/docker-compose.test.yml',
      'app/api-test.yml',
      'app/z.test.yml',
    ]);
    expect(autotestsFor(build, 'off', new Map())).toEqual([]);
    expect(autotestsFor(build, ['/x/a.yml'], new Map())).toEqual(['/x/a.yml']);
    // hooks/test replaces the autotest it would find; explicit paths still run.
    expect(autotestsFor(build, 'auto', new Map([['test', '/hooks/test']]))).toEqual([]);
    expect(autotestsFor(build, ['/x/a.yml'], new Map([['test', '/hooks/test']]))).toEqual(['/x/a.yml']);
    fs.rmSync(dir, { recursive: true });
  });

  it('refuses a file without sut, naming the file and the services it has', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-autotest-'));
    write(dir, { 'a.test.yml': 'services:\n  web:\n    build: .\n  tests:\n    image: x\n', 'b.test.yml': 'services: {}\n', 'c.test.yml': 'services: [\n' });
    expect(() => readAutotestFile(path.join(dir, 'a.test.yml'), 'a.test.yml')).toThrow(
      "The autotest file a.test.yml defines no service named 'sut' (it has web, tests).",
    );
    expect(() => readAutotestFile(path.join(dir, 'b.test.yml'), 'b.test.yml')).toThrow("(it has no services)");
    expect(() => readAutotestFile(path.join(dir, 'c.test.yml'), 'c.test.yml')).toThrow('The autotest file c.test.yml is not valid YAML');
    fs.rmSync(dir, { recursive: true });
  });

  it('reads a Compose v1 file (services at the top level) as Compose v2', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-autotest-'));
    write(dir, { 'docker-compose.test.yml': 'sut:\n  build: .\n  dockerfile: Dockerfile.test\n  net: none\n  links: [web]\nweb:\n  build: .\n' });
    const read = readAutotestFile(path.join(dir, 'docker-compose.test.yml'));
    expect(read.legacy).toBe(true);
    expect(read.doc).toEqual({
      services: {
        sut: { build: { context: '.', dockerfile: 'Dockerfile.test' }, network_mode: 'none', links: ['web'] },
        web: { build: '.' },
      },
    });
    write(dir, { 'v2.test.yml': "version: '2'\nservices:\n  sut:\n    build: .\n" });
    expect(readAutotestFile(path.join(dir, 'v2.test.yml')).legacy).toBe(false);
    fs.rmSync(dir, { recursive: true });
  });

  it('toComposeV2 keeps unknown keys for Compose to judge', () => {
    expect(toComposeV2({ sut: { image: 'x', net: 'weird', volumes_from: ['a'] } })).toEqual({ services: { sut: { image: 'x', net: 'weird', volumes_from: ['a'] } } });
  });
});

describe('small helpers', () => {
  it.each([
    ['acme/app', 'docker.io/acme/app'],
    ['acme/app:1.0', 'docker.io/acme/app'],
    ['index.docker.io/acme/app:latest', 'docker.io/acme/app'],
    ['localhost:5000/a/b:c', 'localhost:5000/a/b'],
    ['localhost:5000/a/b', 'localhost:5000/a/b'],
    ['busybox', 'docker.io/library/busybox'],
    ['', undefined],
  ])('repositoryOf(%j) = %j', (image, repo) => {
    expect(repositoryOf(image)).toBe(repo);
  });

  it('parses compose ps output of old (array) and new (one object a line) versions', () => {
    const row = { ID: 'abc', Service: 'sut', State: 'exited', ExitCode: 3, Health: '' };
    const dep = { ID: 'def', Service: 'db', State: 'running', ExitCode: 0, Health: 'unhealthy' };
    const want = [
      { id: 'abc', service: 'sut', state: 'exited', exitCode: 3, health: '' },
      { id: 'def', service: 'db', state: 'running', exitCode: 0, health: 'unhealthy' },
    ];
    expect(parsePs(`${JSON.stringify(row)}\n${JSON.stringify(dep)}\n`)).toEqual(want);
    expect(parsePs(JSON.stringify([row, dep]))).toEqual(want);
    expect(parsePs('')).toEqual([]);
    expect(want.map(failed)).toEqual([true, true]);
    expect(failed({ id: 'x', service: 'web', state: 'running', exitCode: 0, health: 'healthy' })).toBe(false);
    expect(failed({ id: 'x', service: 'init', state: 'exited', exitCode: 0, health: '' })).toBe(false);
  });

  it('makes valid compose project names', () => {
    expect(projectName('autobuild', 123, 0, 1, 'a1b2c3')).toBe('autobuild-123-0-1-a1b2c3');
    expect(projectName('_Weird Name!', 'X')).toBe('weird-name--x');
  });
});
