import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as zlib from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { indexTar, readArchive, readAll } from '../../src/engine/oci-archive.js';
import { canonicalIndex, DOCKER_LIST, latestReports, meetingKey, OCI_INDEX, standing, type PlatformReport } from '../../src/plan/distribute.js';
import { describePlan } from '../../src/plan/describe.js';
import { makePlan } from '../../src/plan/plan.js';
import { folderMeeting, meetingFor, reportName } from '../../src/phases/meeting.js';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const digestOf = (s: string | Buffer): string => `sha256:${createHash('sha256').update(s).digest('hex')}`;

const passed = (platform: string, attempt = 1, mediaType = OCI_MANIFEST): PlatformReport => ({
  key: 'k',
  platform,
  attempt,
  passed: true,
  digest: digestOf(platform),
  size: 500,
  mediaType,
});
const failed = (platform: string, attempt = 1): PlatformReport => ({ key: 'k', platform, attempt, passed: false, error: 'test failed' });

describe('where a distributed image stands', () => {
  it('is complete once every platform has passed, in the order of platforms', () => {
    const s = standing(['linux/amd64', 'linux/arm64'], [passed('linux/arm64'), passed('linux/amd64')]);
    expect(s.state).toBe('complete');
    expect(s.state === 'complete' && s.manifests.map((m) => m.platform)).toEqual(['linux/amd64', 'linux/arm64']);
  });

  it('waits for a platform that has not reported, and fails on one that failed', () => {
    expect(standing(['linux/amd64', 'linux/arm64'], [passed('linux/amd64')])).toEqual({ state: 'waiting', waiting: ['linux/arm64'] });
    const s = standing(['linux/amd64', 'linux/arm64', 'linux/arm/v7'], [passed('linux/amd64'), failed('linux/arm64')]);
    expect(s).toMatchObject({ state: 'failed', waiting: ['linux/arm/v7'] });
    expect(s.state === 'failed' && s.failed.map((r) => r.platform)).toEqual(['linux/arm64']);
  });

  it("a re-run's report replaces the earlier attempt's, both ways; one platform spelled two ways is one", () => {
    expect(standing(['linux/arm64'], [failed('linux/arm64', 1), passed('linux/arm64/v8', 2)]).state).toBe('complete');
    expect(standing(['linux/arm64'], [passed('linux/arm64', 1), failed('linux/arm64', 2)]).state).toBe('failed');
    expect(latestReports([failed('linux/arm64', 1), passed('linux/arm64', 1)]).get('linux/arm64')!.passed).toBe(true);
  });

  it("a report of a later attempt than this job's is not believed", () => {
    expect(standing(['linux/arm64'], [failed('linux/arm64', 1), passed('linux/arm64', 999)], 2).state).toBe('failed');
    expect(standing(['linux/arm64'], [passed('linux/arm64', 999)], 2).state).toBe('waiting');
  });

  it('reports from another meeting are not read (folderMeeting filters by key)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meet-'));
    const ours = folderMeeting(dir, 'k');
    const theirs = folderMeeting(dir, 'other');
    await ours.put(passed('linux/amd64'));
    await theirs.put({ ...passed('linux/arm64'), key: 'other' });
    expect((await ours.list()).map((r) => r.platform)).toEqual(['linux/amd64']);
    expect(fs.readdirSync(dir).sort()).toEqual([reportName({ key: 'k', platform: 'linux/amd64', attempt: 1 }), reportName({ key: 'other', platform: 'linux/arm64', attempt: 1 })].sort());
    expect(fs.readdirSync(dir).some((n) => n.endsWith('.part'))).toBe(false);
  });

  it('needs a meeting place: the artifact service, or a folder', () => {
    expect(() => meetingFor('k', '/tmp', {})).toThrow(/cannot find each other here: the runner gives no artifact service .* --distribute-dir/);
    expect(meetingFor('k', '/tmp', { AUTOBUILD_DISTRIBUTE_DIR: '/shared' }).where).toBe('the folder /shared');
    expect(meetingFor('k', '/tmp', { ACTIONS_RUNTIME_TOKEN: 't', ACTIONS_RESULTS_URL: 'http://127.0.0.1:1/' }).where).toBe("the run's artifacts");
  });
});

describe('the index every finishing job writes', () => {
  it('is byte for byte the same whatever order the reports came in', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray([passed('linux/amd64'), passed('linux/arm64'), passed('linux/arm/v7')], { minLength: 3, maxLength: 3 }), (reports) => {
        const s = standing(['linux/amd64', 'linux/arm64', 'linux/arm/v7'], reports);
        const a = s.state === 'complete' ? canonicalIndex(s.manifests, { b: '2', a: '1' }) : undefined;
        const b = canonicalIndex([passed('linux/amd64'), passed('linux/arm64'), passed('linux/arm/v7')], { a: '1', b: '2' });
        expect(a?.digest).toBe(b.digest);
      }),
    );
  });

  it('is an OCI index with the annotations, or a Docker list when every manifest is a Docker one', () => {
    const oci = canonicalIndex([passed('linux/amd64'), passed('linux/arm/v7')], { 'org.opencontainers.image.revision': 'abc' });
    const body = JSON.parse(Buffer.from(oci.bytes).toString());
    expect(oci.mediaType).toBe(OCI_INDEX);
    expect(body.manifests.map((m: { platform: object }) => m.platform)).toEqual([
      { architecture: 'amd64', os: 'linux' },
      { architecture: 'arm', os: 'linux', variant: 'v7' },
    ]);
    expect(body.annotations).toEqual({ 'org.opencontainers.image.revision': 'abc' });
    expect(oci.digest).toBe(digestOf(Buffer.from(oci.bytes)));
    const docker = canonicalIndex([passed('linux/amd64', 1, DOCKER_MANIFEST), passed('linux/arm64', 1, DOCKER_MANIFEST)], { a: 'b' });
    expect(docker.mediaType).toBe(DOCKER_LIST);
    expect(JSON.parse(Buffer.from(docker.bytes).toString()).annotations).toBeUndefined();
  });

  it('the jobs of one build meet under one key; another run, commit, build, repository set or platform list is another', () => {
    const base = { sha: 'a'.repeat(40), build: 'default', images: ['x/app', 'y/app'], platforms: ['linux/amd64', 'linux/arm64'], run: '77' };
    const key = meetingKey(base);
    expect(meetingKey({ ...base, images: ['y/app', 'x/app'], platforms: ['linux/arm64/v8', 'linux/amd64'] })).toBe(key);
    for (const change of [{ sha: 'b'.repeat(40) }, { build: 'rule 2' }, { images: ['x/app'] }, { platforms: ['linux/amd64'] }, { run: '78' }]) expect(meetingKey({ ...base, ...change })).not.toBe(key);
  });

  it("leaves out the created time (each job's own clock where the commit's is unknown)", () => {
    const a = canonicalIndex([passed('linux/amd64'), passed('linux/arm64')], { 'org.opencontainers.image.created': '2026-12-03T07:00:00Z', 'org.opencontainers.image.revision': 'abc' });
    const b = canonicalIndex([passed('linux/amd64'), passed('linux/arm64')], { 'org.opencontainers.image.created': '2026-12-03T07:00:09Z', 'org.opencontainers.image.revision': 'abc' });
    expect(a.digest).toBe(b.digest);
  });
});

describe('an image as docker save writes it', () => {
  it('indexes a tar without reading its data, long names included', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tar-'));
    const long = `${'d'.repeat(120)}.txt`;
    fs.writeFileSync(path.join(dir, 'a.txt'), 'hello');
    fs.writeFileSync(path.join(dir, long), 'x'.repeat(1000));
    const tar = path.join(dir, 'out.tar');
    execFileSync('tar', ['-cf', tar, '-C', dir, 'a.txt', long]);
    const bytes = fs.readFileSync(tar);
    const entries = indexTar((o, l) => bytes.subarray(o, o + l), bytes.length);
    expect(bytes.subarray(entries.get('a.txt')!.offset, entries.get('a.txt')!.offset + 5).toString()).toBe('hello');
    expect(entries.get(long)).toMatchObject({ size: 1000 });
  });

  it('gzips the uncompressed layers of the classic store and writes the manifest for them', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layout-'));
    const blob = (data: string | Buffer): string => {
      const d = digestOf(data);
      fs.mkdirSync(path.join(dir, 'blobs/sha256'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'blobs/sha256', d.slice(7)), data);
      return d;
    };
    const layer = Buffer.alloc(4096, 'a');
    const config = JSON.stringify({ architecture: 'arm64', os: 'linux', rootfs: { type: 'layers', diff_ids: [digestOf(layer)] } });
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: blob(config), size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: blob(layer), size: layer.length }],
    });
    const md = blob(manifest);
    fs.writeFileSync(path.join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: OCI_MANIFEST, digest: md, size: manifest.length }] }));
    const tar = path.join(dir, 'image.tar');
    execFileSync('tar', ['-cf', tar, '-C', dir, 'index.json', 'blobs']);
    const [image, ...more] = await readArchive(tar, dir);
    expect(more).toEqual([]);
    expect(image!.platform).toBe('linux/arm64');
    const written = JSON.parse(Buffer.from(image!.manifest.bytes).toString());
    expect(written.layers[0].mediaType).toBe('application/vnd.oci.image.layer.v1.tar+gzip');
    expect(image!.manifest.digest).toBe(digestOf(Buffer.from(image!.manifest.bytes)));
    const gz = await readAll(image!.blobs[1]!.open());
    expect(digestOf(gz)).toBe(written.layers[0].digest);
    expect(zlib.gunzipSync(gz).equals(layer)).toBe(true);
    expect((await readAll(image!.blobs[0]!.open())).toString()).toBe(config);
  });
});

describe('the plan of one job of a distributed image', () => {
  const facts = {
    eventName: 'push', ref: 'refs/heads/main', refType: 'branch', branch: 'main', sha: 'a'.repeat(40), defaultBranch: 'main', isDefaultBranch: true, workspace: '/w',
    repository: { fullName: 'acme/app', owner: 'acme', name: 'app' },
  } as never;
  const inputs = { images: [{ name: 'localhost:5000/acme/app', registry: 'localhost:5000', path: 'acme/app', input: 'localhost:5000/acme/app' }], context: '/w', file: '', labels: [], rules: [], push: 'auto', prPreview: false, tags: [], flavor: { latest: 'auto', prefix: '', suffix: '' } } as never;

  it("names this job's share and who tags", () => {
    const plan = makePlan(facts, { ...(inputs as object), platforms: ['linux/amd64', 'linux/arm64'], distribute: ['linux/arm64'] } as never);
    expect(plan.distribution).toEqual({ platforms: ['linux/amd64', 'linux/arm64'], share: ['linux/arm64'] });
    expect(describePlan(facts, plan).join('\n')).toContain("Platforms: this job builds linux/arm64 of linux/amd64, linux/arm64; linux/amd64 is other jobs'. Each platform is pushed by digest once its tests pass; the job that finds every platform passed tags the image.");
    expect(makePlan(facts, { ...(inputs as object), platforms: ['linux/amd64'] } as never).distribution).toBeUndefined();
  });
});
