import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheFailure, cacheReadProblem, countCacheHits, failedOnlyOnExport, lockLocalCache, readCacheLog, withoutExport } from '../../src/engine/cache.js';
import { cacheServiceOf, canExportCache, engineBuildKit, parseInspect, parseVersion, selectedBuilder } from '../../src/engine/capabilities.js';

describe('capabilities', () => {
  it.each([
    ['github.com/docker/buildx 0.13.1+ds1 0.13.1+ds1-3', '0.13.1'],
    ['github.com/docker/buildx v0.21.2 1360a9e', '0.21.2'],
    ['v0.0.0+unknown', '0.0.0'],
    ['nothing', undefined],
  ])('parseVersion(%s) = %s', (text, version) => {
    expect(parseVersion(text)).toBe(version);
  });

  it('reads the builder from buildx inspect, ignoring an unknown BuildKit version', () => {
    const docker = 'Name:          default\nDriver:        docker\n\nNodes:\nName:             default\nBuildKit version: v0.0.0+unknown\n';
    expect(parseInspect(docker)).toEqual({ builder: 'default', driver: 'docker', buildkit: undefined });
    const container = 'Name:   builder-1\nDriver: docker-container\nNodes:\nName:      builder-10\nBuildKit:  v0.20.2\n';
    expect(parseInspect(container)).toEqual({ builder: 'builder-1', driver: 'docker-container', buildkit: '0.20.2' });
  });

  it.each([
    ['26.1.5+dfsg1', '0.13.0'],
    ['27.5.1', '0.15.0'],
    ['28.0.4', '0.20.0'],
    ['19.03.1', undefined],
  ])('engine %s has BuildKit %s built in', (engine, buildkit) => {
    expect(engineBuildKit(engine)).toBe(buildkit);
  });

  it.each([
    ['0.13.1', 'docker', true, true],
    ['0.13.1', 'docker', false, false],
    ['0.13.1', 'docker-container', false, true],
    ['0.13.1', 'remote', false, true],
    [undefined, undefined, true, false],
  ] as const)('buildx %s, driver %s, containerd store %s: cache export %s', (buildx, driver, store, expected) => {
    expect(canExportCache(buildx, driver, store)).toBe(expected);
  });

  const exporting = { buildx: '0.21.1', buildkit: '0.20.0', driver: 'docker-container', cacheExport: true, containerdStore: false };
  const v2 = { ACTIONS_RUNTIME_TOKEN: 't', ACTIONS_RESULTS_URL: 'http://127.0.0.1:1/', ACTIONS_CACHE_SERVICE_V2: 'true' };
  it.each([
    ['no runner variables', {}, exporting, undefined, false, /no runner cache service/],
    ['v2 with new enough tools', v2, exporting, 'v2', true, /v2/],
    ['v2 without a token', { ...v2, ACTIONS_RUNTIME_TOKEN: '' }, exporting, 'v2', false, /ACTIONS_RUNTIME_TOKEN/],
    ['v2 with an old buildx', v2, { ...exporting, buildx: '0.20.1' }, 'v2', false, /buildx >= 0.21/],
    ['v2 with an old BuildKit', v2, { ...exporting, buildkit: '0.19.0' }, 'v2', false, /BuildKit >= 0.20/],
    ['v2 with the classic-store docker driver', v2, { ...exporting, driver: 'docker', cacheExport: false }, 'v2', false, /classic image store/],
    ['the legacy service (GHES)', { ACTIONS_RUNTIME_TOKEN: 't', ACTIONS_CACHE_URL: 'http://127.0.0.1:1/' }, { ...exporting, buildx: '0.13.1', buildkit: '0.13.0' }, 'v1', true, /v1/],
  ])('gha: %s', (_name, env, caps, version, gha, reason) => {
    const s = cacheServiceOf(env, caps);
    expect(s.version).toBe(version);
    expect(s.gha).toBe(gha);
    expect(s.ghaReason).toMatch(reason);
  });
});

const OK_LOG = `#1 [internal] load build definition from Dockerfile
#1 DONE 0.0s

#4 importing cache manifest from localhost:5000/a/b:buildcache-feature
#4 ERROR: localhost:5000/a/b:buildcache-feature: not found

#5 importing cache manifest from localhost:5000/a/b:buildcache-main
#5 DONE 0.1s

#7 [2/3] RUN sleep 5
#7 CACHED

#9 exporting cache to registry
#9 preparing build cache for export
#9 writing layer sha256:0318 done
#9 DONE 0.2s
WARNING: local cache import at /tmp/x not found due to err: could not lock
`;

const EXPORT_FAILED = `#7 [2/3] RUN sleep 5
#7 DONE 5.1s

#9 exporting cache to registry
#9 preparing build cache for export 0.0s done
#9 ERROR: error writing layer blob: connection refused
------
 > exporting cache to registry:
------
ERROR: failed to solve: error writing layer blob: connection refused
`;

describe('reading the build log', () => {
  it('tells imported, missing and exported cache apart', () => {
    expect(readCacheLog(OK_LOG)).toEqual({
      imported: ['localhost:5000/a/b:buildcache-main'],
      missing: ['localhost:5000/a/b:buildcache-feature', '/tmp/x'],
      unreadable: [{ source: '/tmp/x', reason: 'unrecognised error: could not lock', error: 'could not lock' }],
      otherError: false,
    });
  });

  // Lines BuildKit (engine 28, docker driver) printed for --cache-from sources it could not read.
  const importLog = (source: string, error: string): string =>
    `#4 importing cache manifest from ${source}\n#4 ERROR: ${error}\n\n#6 [2/2] RUN echo probe\n#6 CACHED\n`;
  it.each([
    [
      'a registry that is not there (connection refused)',
      '127.0.0.1:1/x/y:buildcache-main',
      'failed to configure registry cache importer: failed to do request: Head "https://127.0.0.1:1/v2/x/y/manifests/buildcache-main": dial tcp 127.0.0.1:1: connect: connection refused',
      'connection refused',
    ],
    [
      'a private repository read without credentials (401)',
      'localhost:5000/e2e/app:buildcache-main',
      'failed to configure registry cache importer: unexpected status from HEAD request to http://localhost:5000/v2/e2e/app/manifests/buildcache-main: 401 Unauthorized',
      'unauthorized (HTTP 401): no or wrong credentials for reading it',
    ],
    [
      'credentials that may not read (403)',
      'localhost:5712/x/y:buildcache-main',
      'failed to configure registry cache importer: unexpected status from HEAD request to http://localhost:5712/v2/x/y/manifests/buildcache-main: 403 Forbidden',
      'access denied (HTTP 403): the credentials may not read it',
    ],
    [
      'a registry answering 503',
      'localhost:5711/x/y:buildcache-main',
      'failed to configure registry cache importer: unexpected status from HEAD request to http://localhost:5711/v2/x/y/manifests/buildcache-main: 503 Service Unavailable',
      'HTTP 503 Service Unavailable',
    ],
    [
      'a connection the registry closed (reset)',
      'localhost:5713/x/y:buildcache-main',
      'failed to configure registry cache importer: failed to do request: Head "https://localhost:5713/v2/x/y/manifests/buildcache-main": EOF',
      'connection closed early (EOF)',
    ],
    [
      'an unknown host',
      'nonexistent-host.invalid/x/y:buildcache-main',
      'failed to configure registry cache importer: failed to do request: Head "https://nonexistent-host.invalid/v2/x/y/manifests/buildcache-main": dial tcp: lookup nonexistent-host.invalid on 10.255.255.53:53: no such host',
      'unknown registry host (DNS: no such host)',
    ],
  ])('a cache source that cannot be read, %s, is unreadable with its cause', (_name, source, error, reason) => {
    expect(cacheReadProblem(error)).toBe(reason);
    const facts = readCacheLog(importLog(source, error));
    expect(facts.missing).toEqual([source]);
    expect(facts.unreadable).toEqual([{ source, reason, error }]);
    expect(facts.otherError).toBe(false);
  });

  it.each([
    ['a registry cache tag not written yet', 'localhost:5000/e2e/app:buildcache-main', 'failed to configure registry cache importer: localhost:5000/e2e/app:buildcache-main: not found'],
    ['(older BuildKit, no prefix)', 'localhost:5000/a/b:buildcache-feature', 'localhost:5000/a/b:buildcache-feature: not found'],
  ])('a cache source that does not exist yet, %s, is only missing (a first build)', (_name, source, error) => {
    expect(cacheReadProblem(error)).toBeUndefined();
    const facts = readCacheLog(importLog(source, error));
    expect(facts.missing).toEqual([source]);
    expect(facts.unreadable).toEqual([]);
  });

  it('a local cache folder that is not there is missing; one that cannot be read is unreadable', () => {
    const log = [
      'WARNING: local cache import at /tmp/c/nolocal not found due to err: could not lock /tmp/c/nolocal/index.json.lock: open /tmp/c/nolocal/index.json.lock: no such file or directory',
      'WARNING: local cache import at /tmp/c/badlocal not found due to err: could not unmarshal /tmp/c/badlocal/index.json ("garbage\\n"): invalid character \'g\' looking for beginning of value',
      '',
    ].join('\n');
    const facts = readCacheLog(log);
    expect(facts.missing).toEqual(['/tmp/c/nolocal', '/tmp/c/badlocal']);
    expect(facts.unreadable.map((u) => u.source)).toEqual(['/tmp/c/badlocal']);
    expect(facts.unreadable[0]!.reason).toMatch(/could not unmarshal/);
  });

  it('a build that failed only on the cache export is retried without it', () => {
    expect(readCacheLog(EXPORT_FAILED).exportError).toBe('error writing layer blob: connection refused');
    expect(failedOnlyOnExport(EXPORT_FAILED)).toBe(true);
    const broken = EXPORT_FAILED.replace('#7 DONE 5.1s', '#7 ERROR: process "/bin/sh -c sleep 5" did not complete successfully: exit code: 1');
    expect(failedOnlyOnExport(broken)).toBe(false);
    expect(failedOnlyOnExport(OK_LOG)).toBe(false);
  });

  it('a cache exporter or importer that cannot be set up is a cache failure, not a build failure', () => {
    expect(cacheFailure('ERROR: failed to solve: failed to configure gha cache exporter: token contains an invalid number of segments\n')).toBe('export');
    expect(cacheFailure('ERROR: failed to solve: failed to configure registry cache importer: invalid reference\n')).toBe('import');
    expect(cacheFailure('#7 ERROR: process "/bin/sh -c false" did not complete successfully: exit code: 1\nERROR: failed to solve: process "/bin/sh -c false" did not complete successfully\n')).toBeUndefined();
  });

  it('drops only the export from the arguments', () => {
    expect(withoutExport(['--cache-from', 'a', '--cache-to', 'b', '--cache-from', 'c'])).toEqual(['--cache-from', 'a', '--cache-from', 'c']);
  });
});

describe('counting cache hits', () => {
  it('counts local hits (CACHED) and hits from an imported cache (only layer download and extraction)', () => {
    const log = `#7 [1/3] FROM localhost:5000/base@sha256:4c03
#7 resolve localhost:5000/base@sha256:4c03 0.1s done
#7 DONE 0.1s

#8 [2/3] RUN echo x && sleep 2
#8 sha256:7faaf18c5e0269c8648d24e2c48217c198916502ed6b2686bb5edf79fa611ebf 262.45kB / 262.45kB 0.0s done
#8 DONE 0.0s

#8 [2/3] RUN echo x && sleep 2
#8 extracting sha256:7faaf18c5e0269c8648d24e2c48217c198916502ed6b2686bb5edf79fa611ebf 0.0s done
#8 DONE 0.0s

#9 [3/4] COPY app.sh /app.sh
#9 DONE 0.0s

#10 [4/4] RUN ./configure
#10 0.412 checking things
#10 DONE 0.5s

#11 [build 2/2] RUN make
#11 CACHED

#12 [internal] load build context
#12 DONE 0.0s
`;
    expect(countCacheHits(log)).toEqual({ steps: 4, cached: 2 });
  });
});

describe('the selected builder, from buildx state', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-unit-buildx-'));
  fs.mkdirSync(path.join(dir, 'buildx', 'instances'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'buildx', 'instances', 'ci'), JSON.stringify({ Name: 'ci', Driver: 'docker-container', Nodes: [] }));

  it('no current builder: the default builder, docker driver', () => {
    expect(selectedBuilder(dir, {})).toEqual({ builder: 'default', driver: 'docker' });
  });
  it('the current builder, and BUILDX_BUILDER over it', () => {
    fs.writeFileSync(path.join(dir, 'buildx', 'current'), JSON.stringify({ Key: 'unix:///var/run/docker.sock', Name: 'ci', Global: false }));
    expect(selectedBuilder(dir, {})).toEqual({ builder: 'ci', driver: 'docker-container' });
    expect(selectedBuilder(dir, { BUILDX_BUILDER: 'default' })).toEqual({ builder: 'default', driver: 'docker' });
  });
  it('a builder chosen for another engine: undefined, so buildx is asked', () => {
    fs.writeFileSync(path.join(dir, 'buildx', 'current'), JSON.stringify({ Key: 'unix:///var/run/docker.sock', Name: 'ci', Global: false }));
    expect(selectedBuilder(dir, { DOCKER_HOST: 'tcp://10.0.0.2:2375' })).toBeUndefined();
    expect(selectedBuilder(dir, { DOCKER_CONTEXT: 'remote' })).toBeUndefined();
    fs.writeFileSync(path.join(dir, 'buildx', 'current'), JSON.stringify({ Key: 'tcp://10.0.0.2:2375', Name: 'ci', Global: false }));
    expect(selectedBuilder(dir, { DOCKER_HOST: 'tcp://10.0.0.2:2375' })).toEqual({ builder: 'ci', driver: 'docker-container' });
    fs.writeFileSync(path.join(dir, 'buildx', 'current'), JSON.stringify({ Key: 'unix:///var/run/docker.sock', Name: 'ci', Global: true }));
    expect(selectedBuilder(dir, { DOCKER_HOST: 'tcp://10.0.0.2:2375' })).toEqual({ builder: 'ci', driver: 'docker-container' });
  });
  it('an unknown builder: undefined, so buildx is asked', () => {
    expect(selectedBuilder(dir, { BUILDX_BUILDER: 'elsewhere' })).toBeUndefined();
  });
});

describe('the local cache folder lock', () => {
  const folder = (): string => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-lock-')), 'cache', 'app');

  it('one job at a time: a second taker is told who holds it; after release it can be taken again', () => {
    const dir = folder();
    const first = lockLocalCache({ dir });
    expect('release' in first).toBe(true);
    // The same machine, another live process (this test's parent stands in for it).
    fs.writeFileSync(path.join(`${dir}.lock`, 'owner.json'), JSON.stringify({ pid: process.ppid, since: Date.now() }));
    const second = lockLocalCache({ dir });
    expect(second).toEqual({ busy: expect.stringMatching(new RegExp(`^another job on this machine \\(process ${process.ppid}\\) is using it since `)) });
    (first as { release: () => void }).release();
    expect(fs.existsSync(`${dir}.lock`)).toBe(false);
    expect('release' in lockLocalCache({ dir })).toBe(true);
  });

  it('takes over the lock of a run that is gone, and one held longer than a build may take', () => {
    const dir = folder();
    fs.mkdirSync(`${dir}.lock`, { recursive: true });
    const gone = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid!;
    fs.writeFileSync(path.join(`${dir}.lock`, 'owner.json'), JSON.stringify({ pid: gone, since: Date.now() }));
    expect('release' in lockLocalCache({ dir })).toBe(true);
    fs.writeFileSync(path.join(`${dir}.lock`, 'owner.json'), JSON.stringify({ pid: process.ppid, since: Date.now() - 7 * 3600_000 }));
    expect('release' in lockLocalCache({ dir })).toBe(true);
  });

  it('a lock folder just made, whose owner has not written itself yet, is busy; one left half-made long ago is taken', () => {
    const dir = folder();
    fs.mkdirSync(`${dir}.lock`, { recursive: true });
    expect(lockLocalCache({ dir })).toEqual({ busy: expect.stringContaining('another job on this machine is taking it') });
    expect('release' in lockLocalCache({ dir }, Date.now() + 120_000)).toBe(true);
  });
});
