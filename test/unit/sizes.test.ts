import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  describeStep,
  diskWarning,
  KNOWN_LAYER_LIMITS,
  layerLimitError,
  layerLimitFor,
  layerLimitWarning,
  layersFromHistory,
  layersFromSave,
  layersOf,
  manifestBytes,
  parseSize,
  platformManifests,
  TarBlobs,
} from '../../src/phases/sizes.js';
import { summaryMarkdown } from '../../src/phases/summary.js';
import { report } from './report-fixtures.js';

const D = (c: string): string => `sha256:${c.repeat(64)}`;

describe('sizes and limits', () => {
  it('parses sizes in bytes, decimal and binary units', () => {
    expect(parseSize('1500')).toBe(1500);
    expect(parseSize('2MB')).toBe(2_000_000);
    expect(parseSize('10 GB')).toBe(10_000_000_000);
    expect(parseSize('1.5GiB')).toBe(1.5 * 1024 ** 3);
    expect(parseSize('3.5mb')).toBe(3_500_000);
    for (const bad of ['', 'MB', '-1', '2 parsecs', '1e9']) expect(parseSize(bad)).toBeUndefined();
  });

  it('knows GHCR, lets the override set a limit for any host or lift one, and has none for others', () => {
    expect(layerLimitFor('ghcr.io', {})).toEqual(KNOWN_LAYER_LIMITS['ghcr.io']);
    expect(layerLimitFor('ghcr.io', {})!.bytes).toBe(10 * 1024 ** 3);
    expect(layerLimitFor('docker.io', {})).toBeUndefined();
    expect(layerLimitFor('localhost:5000', {})).toBeUndefined();
    const env = { AUTOBUILD_LAYER_LIMITS: 'localhost:5000=2MB, ghcr.io=none' };
    expect(layerLimitFor('localhost:5000', env)).toEqual({ bytes: 2_000_000, label: '2.00 MB', source: 'AUTOBUILD_LAYER_LIMITS' });
    expect(layerLimitFor('ghcr.io', env)).toBeUndefined();
    expect(layerLimitFor('localhost:5001', env)).toBeUndefined();
    // A value that is not a size leaves the table's limit.
    expect(layerLimitFor('ghcr.io', { AUTOBUILD_LAYER_LIMITS: 'ghcr.io=big' })).toEqual(KNOWN_LAYER_LIMITS['ghcr.io']);
  });

  it('reads history entries as the Dockerfile steps they were', () => {
    expect(describeStep('RUN /bin/sh -c head -c 3000000 /dev/urandom > /big # buildkit')).toBe('RUN head -c 3000000 /dev/urandom > /big');
    expect(describeStep('RUN |1 TARGETARCH=amd64 /bin/sh -c make all # buildkit')).toBe('RUN make all');
    expect(describeStep('COPY app.sh /app.sh # buildkit')).toBe('COPY app.sh /app.sh');
    expect(describeStep('/bin/sh -c #(nop) COPY file:abc in /app ')).toBe('COPY file:abc in /app');
    expect(describeStep('/bin/sh -c apt-get install -y big')).toBe('RUN apt-get install -y big');
    expect(describeStep('RUN ["/bin/download", "--all"] # buildkit')).toBe('RUN ["/bin/download", "--all"]');
    expect(describeStep('')).toBeUndefined();
    expect(describeStep(`RUN /bin/sh -c ${'x'.repeat(400)}`)!.length).toBe(300);
  });
});

const manifestA = {
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  config: { digest: D('c'), size: 1000 },
  layers: [
    { digest: D('1'), size: 1_000_000 },
    { digest: D('2'), size: 3_000_000 },
    { digest: D('3'), size: 100 },
  ],
};
const configA = {
  history: [
    { created_by: 'ARG TARGETARCH=amd64', empty_layer: true },
    { created_by: 'COPY busybox /bin/busybox # buildkit' },
    { created_by: 'ENV A=b', empty_layer: true },
    { created_by: 'RUN /bin/sh -c head -c 3000000 /dev/urandom > /big # buildkit' },
    { created_by: 'COPY app.sh /app.sh # buildkit' },
  ],
};
const index = {
  mediaType: 'application/vnd.oci.image.index.v1+json',
  manifests: [
    { digest: D('a'), size: 10, platform: { os: 'linux', architecture: 'amd64' } },
    { digest: D('b'), size: 10, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
    {
      digest: D('e'),
      size: 10,
      platform: { os: 'unknown', architecture: 'unknown' },
      annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': D('a') },
    },
  ],
};

describe('manifests', () => {
  it('picks the platform images of an index, never an attestation', () => {
    expect(platformManifests(index).map((d) => d.digest)).toEqual([D('a'), D('b')]);
    expect(platformManifests(index, ['linux/arm64']).map((d) => d.digest)).toEqual([D('b')]);
    expect(platformManifests(index, ['linux/amd64']).map((d) => d.digest)).toEqual([D('a')]);
    expect(platformManifests(index, ['linux/riscv64'])).toEqual([]);
  });

  it('sums config and layers', () => {
    expect(manifestBytes(manifestA)).toBe(4_001_100);
    expect(manifestBytes({})).toBe(0);
  });

  it('pairs each layer with the step that made it, skipping steps without a layer', () => {
    const layers = layersOf(manifestA, configA, 'linux/amd64');
    expect(layers.map((l) => [l.index, l.of, l.size, l.step])).toEqual([
      [1, 3, 1_000_000, 'COPY busybox /bin/busybox'],
      [2, 3, 3_000_000, 'RUN head -c 3000000 /dev/urandom > /big'],
      [3, 3, 100, 'COPY app.sh /app.sh'],
    ]);
    expect(layers.every((l) => l.compressed && l.platform === 'linux/amd64')).toBe(true);
  });

  it('reads a classic history newest first, with sizes as numbers or byte strings', () => {
    const layers = layersFromHistory([
      { CreatedBy: 'COPY app.sh /app.sh # buildkit', Size: 512 },
      { CreatedBy: 'RUN /bin/sh -c head -c 3000000 /dev/urandom > /big # buildkit', Size: '3006464' },
      { CreatedBy: 'ARG X=1', Size: 0 },
    ]);
    expect(layers.map((l) => [l.index, l.size, l.step, l.compressed])).toEqual([
      [1, 0, 'ARG X=1', false],
      [2, 3006464, 'RUN head -c 3000000 /dev/urandom > /big', false],
      [3, 512, 'COPY app.sh /app.sh', false],
    ]);
  });
});

describe('messages', () => {
  const image = { name: 'ghcr.io/acme/app', registry: 'ghcr.io' };
  const big = { index: 2, of: 3, size: 12_400_000_000, compressed: true, platform: 'linux/amd64', digest: D('2'), step: 'RUN fetch-models' };

  it('the push failure names the registry, its limit, the size, the step and the fix', () => {
    const m = layerLimitError(image, KNOWN_LAYER_LIMITS['ghcr.io']!, [big]);
    expect(m).toBe(
      'ghcr.io takes layers of up to 10 GB, and layer 2 of 3 (linux/amd64) is 12.4 GB compressed (sha256:222222222222), made by the Dockerfile step `RUN fetch-models`. ' +
        'Nothing was pushed to ghcr.io/acme/app. Split that step into several RUN steps (each makes a layer of its own), or keep the data out of the image (fetch it when the container starts, or mount it as a volume).',
    );
    expect(layerLimitError(image, { bytes: 1, label: '1 B', source: 'AUTOBUILD_LAYER_LIMITS' }, [{ ...big, step: undefined }])).toContain(
      'up to 1 B (set by AUTOBUILD_LAYER_LIMITS), and layer 2 of 3 (linux/amd64) is 12.4 GB compressed (sha256:222222222222), made by a step the image history does not name',
    );
  });

  it('the classic-store warning says the size is before compression and the push goes ahead', () => {
    const m = layerLimitWarning(image, KNOWN_LAYER_LIMITS['ghcr.io']!, [{ ...big, compressed: false, platform: undefined, digest: undefined }]);
    expect(m).toContain('layer 2 of 3 is 12.4 GB before compression, made by the Dockerfile step `RUN fetch-models`');
    expect(m).toContain('the push to ghcr.io/acme/app goes ahead and may still fit');
    expect(m).toContain('Split that step');
  });

  it('the disk warning names the data root, free, need, how it was estimated, and the fixes', () => {
    const d = { dataRoot: '/var/lib/docker', freeBytes: 5e9, needBytes: 16e9, measured: [{ ref: 'ghcr.io/acme/app:main', bytes: 8e9 }], warned: true };
    const m = diskWarning(d);
    expect(m).toContain("The engine's data root /var/lib/docker has 5.00 GB free, and this build needs about 16.0 GB");
    expect(m).toContain('twice the previous image of this branch, ghcr.io/acme/app:main (8.00 GB), as the registry\'s manifest gives it');
    for (const fix of ['docker system prune -af', 'preinstalled toolchains', 'larger runner']) expect(m).toContain(fix);
    expect(diskWarning({ ...d, freeSource: 'AUTOBUILD_DISK_FREE_BYTES' })).toContain('5.00 GB free (as AUTOBUILD_DISK_FREE_BYTES says)');
  });

  it('the job summary has a disk line only when the warning fired', () => {
    const disk = { dataRoot: '/var/lib/docker', freeBytes: 5e9, needBytes: 16e9, measured: [{ ref: 'ghcr.io/acme/app:main', bytes: 8e9 }], warned: true };
    expect(summaryMarkdown(report({ disk }))).toContain('**Disk:** 5.00 GB free in `/var/lib/docker`, about 16.0 GB needed (twice the previous image, `ghcr.io/acme/app:main`)');
    expect(summaryMarkdown(report({ disk: { ...disk, warned: false, freeBytes: 50e9 } }))).not.toContain('**Disk:**');
  });
});

/** One tar header block (ustar), with the size in octal, or base-256 when `base256`. */
function header(name: string, size: number, type = '0', base256 = false): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 'utf8');
  h.write('0000644\0', 100);
  if (base256) {
    h[124] = 0x80;
    let v = size;
    for (let i = 135; i > 124; i--) {
      h[i] = v % 256;
      v = Math.floor(v / 256);
    }
  } else {
    h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  }
  h.write(type, 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  return h;
}

function entry(name: string, body: Buffer | string, type = '0'): Buffer {
  const b = Buffer.from(body);
  return Buffer.concat([header(name, b.length, type), b, Buffer.alloc((512 - (b.length % 512)) % 512)]);
}

function pax(records: Record<string, string>): Buffer {
  let text = '';
  for (const [k, v] of Object.entries(records)) {
    const body = ` ${k}=${v}\n`;
    let len = body.length + 1;
    while (`${len}${body}`.length !== len) len = `${len}${body}`.length;
    text += `${len}${body}`;
  }
  return entry('PaxHeaders/x', text, 'x');
}

/** Feeds a buffer in uneven chunks, as a pipe gives it. */
function feed(tar: TarBlobs, all: Buffer, sizes = [1, 7, 500, 513, 4096, 3]): string[] {
  const done: string[] = [];
  for (let at = 0, i = 0; at < all.length; i++) {
    const n = sizes[i % sizes.length]!;
    done.push(...tar.write(all.subarray(at, at + n)));
    at += n;
  }
  return done;
}

describe('reading docker save streams', () => {
  it('keeps the small JSON entries and every size, across chunk boundaries', () => {
    const layer = Buffer.alloc(3000, 7);
    const all = Buffer.concat([entry('blobs/sha256/aaa', layer), entry('blobs/sha256/bbb', '{"x":1}'), entry('index.json', '{}'), Buffer.alloc(1024)]);
    const tar = new TarBlobs(1000);
    expect(feed(tar, all)).toEqual(['blobs/sha256/aaa', 'blobs/sha256/bbb', 'index.json']);
    expect(tar.sizes.get('blobs/sha256/aaa')).toBe(3000);
    expect(tar.small.has('blobs/sha256/aaa')).toBe(false);
    expect(tar.small.get('blobs/sha256/bbb')!.toString()).toBe('{"x":1}');
    expect(tar.ended).toBe(true);
  });

  it('takes the size of an entry over 8 GiB from its PAX record, or from a base-256 header, without its data', () => {
    const huge = 12_400_000_123;
    const tar = new TarBlobs();
    // Only the headers and the start of the data: the data is counted, never kept.
    tar.write(Buffer.concat([pax({ size: String(huge), path: 'blobs/sha256/big' }), header('short-name', 0), Buffer.alloc(1 << 20)]));
    expect(tar.reading).toEqual({ name: 'blobs/sha256/big', size: huge });
    expect(tar.sizes.size).toBe(0);
    const other = new TarBlobs();
    other.write(Buffer.concat([header('blobs/sha256/big', huge, '0', true), Buffer.alloc(1 << 20)]));
    expect(other.reading).toEqual({ name: 'blobs/sha256/big', size: huge });
    // The PAX record applies to the next entry only.
    const third = new TarBlobs();
    feed(third, Buffer.concat([pax({ size: '3' }), header('a', 0), Buffer.from('abc'), Buffer.alloc(509), entry('b', 'xy')]));
    expect([...third.sizes]).toEqual([
      ['a', 3],
      ['b', 2],
    ]);
  });

  it('reads what the system tar writes', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sizes-tar-'));
    fs.mkdirSync(path.join(dir, 'blobs/sha256'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'blobs/sha256/one'), Buffer.alloc(70_000, 1));
    fs.writeFileSync(path.join(dir, 'index.json'), '{"schemaVersion":2}');
    const bytes = execFileSync('tar', ['-c', '--format=pax', '-C', dir, 'blobs', 'index.json']);
    const tar = new TarBlobs(1000);
    feed(tar, bytes);
    expect(tar.sizes.get('blobs/sha256/one')).toBe(70_000);
    expect(tar.small.get('index.json')!.toString()).toBe('{"schemaVersion":2}');
  });

  it('finds the layers of an index once its manifests and configs have come, in any order', () => {
    const manifestB = { ...manifestA, config: { digest: D('d'), size: 900 }, layers: [{ digest: D('4'), size: 11 }] };
    const blobs: [string, unknown][] = [
      [D('b'), manifestB],
      [D('c'), configA],
      [D('d'), { history: [{ created_by: 'COPY x /x # buildkit' }] }],
      [D('f'), index],
      [D('a'), manifestA],
    ];
    const tar = new TarBlobs();
    const found: (ReturnType<typeof layersFromSave> | undefined)[] = [];
    for (const [digest, json] of blobs) {
      tar.write(entry(`blobs/${digest.replace(':', '/')}`, JSON.stringify(json)));
      found.push(layersFromSave(tar, D('f')));
    }
    expect(found.slice(0, 4)).toEqual([undefined, undefined, undefined, undefined]);
    const layers = found[4]!;
    expect(layers.map((l) => [l.platform, l.index, l.size, l.step])).toEqual([
      ['linux/amd64', 1, 1_000_000, 'COPY busybox /bin/busybox'],
      ['linux/amd64', 2, 3_000_000, 'RUN head -c 3000000 /dev/urandom > /big'],
      ['linux/amd64', 3, 100, 'COPY app.sh /app.sh'],
      ['linux/arm64', 1, 11, 'COPY x /x'],
    ]);
    // One platform asked for: its layers alone, without a platform label.
    expect(layersFromSave(tar, D('f'), ['linux/arm64'])!.map((l) => [l.platform, l.size])).toEqual([[undefined, 11]]);
    // A plain manifest as the image.
    expect(layersFromSave(tar, D('a'))!.map((l) => l.size)).toEqual([1_000_000, 3_000_000, 100]);
  });
});
