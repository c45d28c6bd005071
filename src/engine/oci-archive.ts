/**
 * An image as `docker save` writes it (an OCI image layout in a tar file, on Docker 25 and newer,
 * with either image store): its platform manifests, each with the exact bytes the registry is to
 * store and the place of every blob in the file, so that a platform image goes to a registry by
 * digest alone (no tag, no `docker push`).
 *
 * The containerd image store saves the image as BuildKit made it: compressed layers and the
 * manifest whose digest is the engine's image id. The classic store saves uncompressed layers and
 * a manifest of its own; those layers are compressed here (gzip, as `docker push` does) and the
 * manifest is written afresh for them.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Readable, Writable } from 'node:stream';
import * as zlib from 'node:zlib';
import { UserError } from '../errors.js';
import { normalizePlatform } from './platforms.js';
import { parsePax, parseTarHeader, tarPadding } from './tar.js';

/** Where one file of the tar lies (its data, after the header). */
export interface TarEntry {
  offset: number;
  size: number;
}

/** The files of a tar archive by name, without reading their data. Pure over the bytes given. */
export function indexTar(read: (offset: number, length: number) => Buffer, total: number): Map<string, TarEntry> {
  const entries = new Map<string, TarEntry>();
  let offset = 0;
  let pax: Record<string, string> = {};
  while (offset + 512 <= total) {
    const header = parseTarHeader(read(offset, 512));
    if (!header) break;
    const data = offset + 512;
    let { name, size } = header;
    if (header.kind === 'x' || header.kind === 'L') {
      // PAX records (path=, size=) or a GNU long name: they are for the next entry.
      const body = read(data, header.size);
      pax = header.kind === 'L' ? { path: body.toString('utf8').replace(/\0.*$/s, '') } : parsePax(body);
    } else if (header.kind !== 'g') {
      if (pax.size) size = Number(pax.size);
      if (pax.path) name = pax.path;
      pax = {};
      if (header.kind === '0') entries.set(name.replace(/^\.\//, ''), { offset: data, size });
    }
    offset = data + size + tarPadding(size);
  }
  return entries;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: { os: string; architecture: string; variant?: string };
  annotations?: Record<string, string>;
}

/** One blob of a platform image, and how to read it from the archive. */
export interface ArchiveBlob {
  digest: string;
  size: number;
  /** Reads the blob's bytes (compressed on the fly where the archive holds an uncompressed layer). */
  open(): Readable;
}

/** A platform image of the archive, ready to be stored in a registry by digest. */
export interface PlatformImage {
  platform: string;
  /** The image config (for the steps of its history). */
  config: { history?: { created_by?: string; empty_layer?: boolean }[] };
  manifest: { digest: string; mediaType: string; bytes: Uint8Array<ArrayBuffer> };
  /** The config and the layers, in the manifest's order. */
  blobs: ArchiveBlob[];
}

const INDEX_TYPES = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);
const UNCOMPRESSED: Record<string, string> = {
  'application/vnd.oci.image.layer.v1.tar': 'application/vnd.oci.image.layer.v1.tar+gzip',
  'application/vnd.docker.image.rootfs.diff.tar': 'application/vnd.docker.image.rootfs.diff.tar.gzip',
};

function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** The platform a config names (`linux/arm64`, `linux/arm/v7`). Pure. */
export function platformOf(config: { os?: string; architecture?: string; variant?: string }): string {
  return normalizePlatform([config.os ?? 'linux', config.architecture ?? 'unknown', config.variant].filter(Boolean).join('/'));
}

/** Reads an archive written by `docker save`: its platform images (attestations left out). */
export async function readArchive(file: string, workDir: string): Promise<PlatformImage[]> {
  const fd = fs.openSync(file, 'r');
  try {
    const total = fs.fstatSync(fd).size;
    const read = (offset: number, length: number): Buffer => {
      const buf = Buffer.alloc(length);
      fs.readSync(fd, buf, 0, length, offset);
      return buf;
    };
    const entries = indexTar(read, total);
    const entryOf = (digest: string): TarEntry => {
      const entry = entries.get(`blobs/${digest.replace(':', '/')}`);
      if (!entry) throw new UserError(`The image saved by the engine lacks the blob ${digest}: it cannot be pushed by digest.`);
      return entry;
    };
    const json = <T>(entry: TarEntry): T => JSON.parse(read(entry.offset, entry.size).toString('utf8')) as T;
    const layout = entries.get('index.json');
    if (!layout) throw new UserError('The engine saved the image without an OCI layout (index.json): Docker 25 or newer is needed to push by digest.');
    const blobOf = (digest: string, size: number): ArchiveBlob => {
      const entry = entryOf(digest);
      return { digest, size, open: () => fs.createReadStream(file, { start: entry.offset, end: entry.offset + entry.size - 1 }) };
    };

    const images: PlatformImage[] = [];
    const visit = async (desc: Descriptor): Promise<void> => {
      const entry = entryOf(desc.digest);
      if (INDEX_TYPES.has(desc.mediaType)) {
        for (const child of json<{ manifests?: Descriptor[] }>(entry).manifests ?? []) {
          if (child.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest' || child.platform?.os === 'unknown') continue;
          // A multi-platform image saved on one engine may lack platforms it never pulled.
          if (!entries.has(`blobs/${child.digest.replace(':', '/')}`)) continue;
          await visit(child);
        }
        return;
      }
      const bytes = new Uint8Array(read(entry.offset, entry.size));
      const manifest = JSON.parse(Buffer.from(bytes).toString('utf8')) as { mediaType?: string; config: Descriptor; layers: Descriptor[] };
      const config = json<{ os?: string; architecture?: string; variant?: string; history?: { created_by?: string; empty_layer?: boolean }[] }>(entryOf(manifest.config.digest));
      const platform = platformOf(config);
      const mediaType = manifest.mediaType ?? desc.mediaType;
      if (!manifest.layers.some((l) => UNCOMPRESSED[l.mediaType])) {
        images.push({ platform, config, manifest: { digest: desc.digest, mediaType, bytes }, blobs: [manifest.config, ...manifest.layers].map((d) => blobOf(d.digest, d.size)) });
        return;
      }
      // Uncompressed layers (the classic store): gzip each to a file of the run, then a manifest for them.
      const layers: Descriptor[] = [];
      const blobs: ArchiveBlob[] = [blobOf(manifest.config.digest, manifest.config.size)];
      for (const layer of manifest.layers) {
        const compressed = UNCOMPRESSED[layer.mediaType];
        if (!compressed) {
          layers.push(layer);
          blobs.push(blobOf(layer.digest, layer.size));
          continue;
        }
        const out = `${workDir}/layer-${layer.digest.slice(7, 23)}.gz`;
        const hash = createHash('sha256');
        let size = 0;
        const sink = fs.createWriteStream(out);
        const counter = new Writable({
          write(chunk: Buffer, _enc, done) {
            hash.update(chunk);
            size += chunk.length;
            sink.write(chunk, done);
          },
          final(done) {
            sink.end(done);
          },
        });
        await pipeline(blobOf(layer.digest, layer.size).open(), zlib.createGzip(), counter);
        const digest = `sha256:${hash.digest('hex')}`;
        const { annotations, ...rest } = layer;
        layers.push({ ...rest, mediaType: compressed, digest, size, ...(annotations ? { annotations } : {}) });
        blobs.push({ digest, size, open: () => fs.createReadStream(out) });
      }
      const rewritten = Buffer.from(JSON.stringify({ ...manifest, layers }));
      const rewrittenBytes = new Uint8Array(rewritten);
      images.push({ platform, config, manifest: { digest: sha256(rewrittenBytes), mediaType, bytes: rewrittenBytes }, blobs });
    };
    for (const desc of json<{ manifests?: Descriptor[] }>(layout).manifests ?? []) await visit(desc);
    return images;
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads all of a stream (for small blobs in tests and the config). */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
