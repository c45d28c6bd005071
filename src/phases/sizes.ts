/**
 * Big images, checked before they cost the run: the engine's free disk space against what the
 * build will need (before the build), and every layer against the target registry's per-layer
 * limit (before the push). Pure parts first (sizes, the limit table, messages, parsing); then
 * the two checks the pipeline calls.
 */
import * as core from '@actions/core';
import * as fs from 'node:fs';
import { getErrorMessage, UserError } from '../errors.js';
import type { EngineInfo } from '../engine/docker.js';
import { NATIVE_PLATFORM, normalizePlatform } from '../engine/platforms.js';
import { registryClientFor, type RegistryCredentials } from '../engine/registry.js';
import { DEFAULT_RETRY } from '../engine/retry.js';
import { parsePax, parseTarHeader, tarPadding } from '../engine/tar.js';
import type { ImageRef } from '../plan/images.js';
import type { Plan } from '../plan/plan.js';
import type { RunReport } from './report.js';
import type { BuildUnit, RunContext } from './run-context.js';
import { formatBytes } from './summary.js';

/** Test and operations override of the free space the disk check sees, in bytes or with a unit (`500MB`). */
export const DISK_FREE_ENV = 'AUTOBUILD_DISK_FREE_BYTES';
/** Per-registry layer limits over the known ones: `host=SIZE` items, comma separated; `host=none` lifts one. */
export const LAYER_LIMITS_ENV = 'AUTOBUILD_LAYER_LIMITS';

export interface LayerLimit {
  bytes: number;
  /** The limit as the registry states it. */
  label: string;
  /** Where it comes from, when not the table (the override variable). */
  source?: string;
}

/**
 * Registries known to refuse a layer over a size. GitHub states GHCR's as "10 GB"; it is taken
 * in its binary reading (10 GiB), so that no layer the registry would take is refused here.
 */
export const KNOWN_LAYER_LIMITS: Readonly<Record<string, LayerLimit>> = {
  'ghcr.io': { bytes: 10 * 1024 ** 3, label: '10 GB' },
};

const UNITS: Record<string, number> = { '': 1, b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4 };

/** `1500`, `2MB`, `10 GB`, `1.5GiB` -> bytes; undefined for anything else. Pure. */
export function parseSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m && UNITS[m[2]!.toLowerCase()];
  return m && unit ? Math.round(Number(m[1]) * unit) : undefined;
}

/** The limit for one registry host: the override variable's, else the table's; undefined when none is known. Pure. */
export function layerLimitFor(registry: string, env: Record<string, string | undefined> = process.env): LayerLimit | undefined {
  for (const item of (env[LAYER_LIMITS_ENV] ?? '').split(',')) {
    const eq = item.lastIndexOf('=');
    if (eq < 0 || item.slice(0, eq).trim().toLowerCase() !== registry.toLowerCase()) continue;
    const value = item.slice(eq + 1).trim();
    if (/^(none|off)$/i.test(value)) return undefined;
    const bytes = parseSize(value);
    if (bytes) return { bytes, label: formatBytes(bytes), source: LAYER_LIMITS_ENV };
  }
  return KNOWN_LAYER_LIMITS[registry.toLowerCase()];
}

/**
 * A history entry's `created_by` as the Dockerfile step it was: BuildKit's `RUN /bin/sh -c X #
 * buildkit` (with `|N ARG=v` for build arguments) and the classic builder's `/bin/sh -c #(nop) X`
 * read as `RUN X` and `X`. Pure.
 */
export function describeStep(createdBy: string | undefined): string | undefined {
  let s = (createdBy ?? '').trim().replace(/\s*# buildkit$/, '');
  if (!s) return undefined;
  s = s.replace(/^RUN \|\d+ (?:\S+=\S*\s+)*/, 'RUN ');
  const nop = /^\/bin\/sh -c #\(nop\)\s*(.*)$/s.exec(s);
  if (nop) return nop[1]!.trim();
  s = s.replace(/^RUN \/bin\/sh -c /, 'RUN ').replace(/^\/bin\/sh -c /, 'RUN ');
  return s.length > 300 ? `${s.slice(0, 297)}...` : s;
}

/** One layer of the image to push, as the engine holds it. */
export interface LayerSize {
  /** 1-based, within its platform's image. */
  index: number;
  of: number;
  size: number;
  /** `size` is what goes over the wire (containerd image store); else it is the size before compression. */
  compressed: boolean;
  platform?: string;
  digest?: string;
  step?: string;
}

interface Descriptor {
  mediaType?: string;
  digest?: string;
  size?: number;
  platform?: { os?: string; architecture?: string; variant?: string };
  annotations?: Record<string, string>;
}
interface ManifestJson {
  mediaType?: string;
  manifests?: Descriptor[];
  config?: Descriptor;
  layers?: Descriptor[];
}
interface ConfigJson {
  history?: { created_by?: string; empty_layer?: boolean }[];
}

function platformOf(d: Descriptor): string | undefined {
  const p = d.platform;
  if (!p?.os || !p.architecture || p.os === 'unknown') return undefined;
  return normalizePlatform([p.os, p.architecture, p.variant].filter(Boolean).join('/'));
}

/** The image manifests of an index (no attestations), those of `platforms` when given. Pure. */
export function platformManifests(index: ManifestJson, platforms: string[] = []): Descriptor[] {
  const wanted = new Set(platforms.map(normalizePlatform));
  return (index.manifests ?? []).filter((d) => {
    if (d.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest') return false;
    const p = platformOf(d);
    return p !== undefined && (!wanted.size || wanted.has(p));
  });
}

/** The bytes of one platform image: its layers and config, as its manifest gives them. Pure. */
export function manifestBytes(manifest: ManifestJson): number {
  return (manifest.config?.size ?? 0) + (manifest.layers ?? []).reduce((sum, l) => sum + (l.size ?? 0), 0);
}

/** The layers of one manifest with the steps that made them (its config's history, empty layers left out). Pure. */
export function layersOf(manifest: ManifestJson, config: ConfigJson | undefined, platform?: string): LayerSize[] {
  const steps = (config?.history ?? []).filter((h) => !h.empty_layer).map((h) => describeStep(h.created_by));
  const layers = manifest.layers ?? [];
  return layers.map((l, i) => ({ index: i + 1, of: layers.length, size: l.size ?? 0, compressed: true, platform, digest: l.digest, step: steps[i] }));
}

/** What `GET /images/{id}/history` (or `docker history --format json`) says of one entry, the parts read here. */
export interface HistoryEntry {
  CreatedBy?: string;
  Size?: number | string;
}

/**
 * The layers of a classic-store image from its history (newest first, as the engine gives it):
 * sizes before compression, the steps that made them. Entries without a layer have size 0, and a
 * size-0 layer cannot be over any limit, so every entry is kept in order. Pure.
 */
export function layersFromHistory(history: HistoryEntry[]): LayerSize[] {
  const entries = [...history].reverse();
  return entries.map((h, i) => ({
    index: i + 1,
    of: entries.length,
    size: typeof h.Size === 'number' ? h.Size : (parseSize(String(h.Size ?? '0')) ?? 0),
    compressed: false,
    step: describeStep(h.CreatedBy),
  }));
}

const FIX = 'Split that step into several RUN steps (each makes a layer of its own), or keep the data out of the image (fetch it when the container starts, or mount it as a volume).';

function where(layer: LayerSize): string {
  return `layer ${layer.index} of ${layer.of}${layer.platform ? ` (${layer.platform})` : ''}`;
}

function madeBy(layer: LayerSize): string {
  return layer.step ? `made by the Dockerfile step \`${layer.step}\`` : 'made by a step the image history does not name';
}

function limitText(registry: string, limit: LayerLimit): string {
  return `${registry} takes layers of up to ${limit.label}${limit.source ? ` (set by ${limit.source})` : ''}`;
}

/** The push failure for layers over a registry's limit (sizes as pushed). Pure. */
export function layerLimitError(image: Pick<ImageRef, 'name' | 'registry'>, limit: LayerLimit, over: LayerSize[]): string {
  const layers = over.map((l) => `${where(l)} is ${formatBytes(l.size)} compressed${l.digest ? ` (${l.digest.slice(0, 19)})` : ''}, ${madeBy(l)}`);
  return `${limitText(image.registry, limit)}, and ${layers.join('; ')}. Nothing was pushed to ${image.name}. ${FIX}`;
}

/** The warning for layers over a registry's limit before compression (classic image store). Pure. */
export function layerLimitWarning(image: Pick<ImageRef, 'name' | 'registry'>, limit: LayerLimit, over: LayerSize[]): string {
  const layers = over.map((l) => `${where(l)} is ${formatBytes(l.size)} before compression, ${madeBy(l)}`);
  return `${limitText(image.registry, limit)}, and ${layers.join('; ')}. The classic image store compresses layers only as it pushes them, so the push to ${image.name} goes ahead and may still fit; if ${image.registry} refuses it: ${FIX}`;
}

/** What the disk check found, for the log, the summary and `metadata`. */
export interface DiskReport {
  dataRoot: string;
  freeBytes: number;
  /** Where the free figure came from when not the filesystem (the override variable). */
  freeSource?: string;
  needBytes: number;
  /** The previous images measured, with their sizes. */
  measured: { ref: string; bytes: number }[];
  warned: boolean;
}

/** The disk warning, naming the data root, free and needed space, how that was estimated, and the fixes. Pure. */
export function diskWarning(d: DiskReport): string {
  const measured = d.measured.map((m) => `${m.ref} (${formatBytes(m.bytes)})`).join(', ');
  return (
    `The engine's data root ${d.dataRoot} has ${formatBytes(d.freeBytes)} free${d.freeSource ? ` (as ${d.freeSource} says)` : ''}, and this build needs about ${formatBytes(d.needBytes)}: ` +
    `twice the previous image of ${d.measured.length === 1 ? 'this branch' : 'these builds'}, ${measured}, as the registry's manifest gives it (the build's own copy and the image loaded into the engine). ` +
    `A build that runs out of space fails late, with "no space left on device". Free space before this step: \`docker system prune -af\` removes unused images and build cache; ` +
    `on a hosted runner, removing the preinstalled toolchains the job does not use frees several GB (\`sudo rm -rf /usr/share/dotnet /usr/local/lib/android /opt/ghc\`); or use a larger runner.`
  );
}

/** Free bytes for unprivileged use on the filesystem holding `dir`, or the override's figure. */
export async function freeBytes(dir: string, env: Record<string, string | undefined> = process.env): Promise<{ bytes: number; source?: string }> {
  const override = env[DISK_FREE_ENV];
  if (override) {
    const bytes = parseSize(override);
    if (bytes !== undefined) return { bytes, source: DISK_FREE_ENV };
  }
  const st = await fs.promises.statfs(dir);
  return { bytes: st.bavail * st.bsize };
}

/** Bounds a promise in time: undefined when it has not settled within `ms`. */
async function within<T>(ms: number, p: Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Each registry request of the disk check: one attempt, this long. */
const DISK_REQUEST_MS = 2_000;
/** The whole registry part of the disk check. */
const DISK_CHECK_MS = 3_000;

/** The bytes of the image the registry holds under `tag` (for an index, the `platforms`), undefined when it holds none. */
export async function previousImageBytes(image: ImageRef, tag: string, platforms: string[], credentials: readonly (RegistryCredentials & { registry: string })[]): Promise<number | undefined> {
  const client = registryClientFor(image.registry, credentials, { timeoutMs: DISK_REQUEST_MS, retry: { policy: { ...DEFAULT_RETRY, attempts: 1 } } });
  const digest = await client.manifestDigest(image.path, tag);
  if (!digest) return undefined;
  const read = async (d: string): Promise<ManifestJson> => JSON.parse(Buffer.from((await client.getManifest(image.path, d)).bytes).toString()) as ManifestJson;
  const top = await read(digest);
  if (!top.manifests) return manifestBytes(top);
  const chosen = platformManifests(top, platforms.length ? platforms : [NATIVE_PLATFORM]);
  const sizes = await Promise.all(chosen.map(async (d) => manifestBytes(await read(d.digest!))));
  return sizes.reduce((a, b) => a + b, 0) || undefined;
}

/**
 * The disk check, before the build: the free space of the engine's data root against twice the
 * previous image of each build (what the registry holds under its first planned tag). Only for
 * an engine on this machine (`local`: its API is on a local socket). A warning when it is short;
 * never a failure, and bounded in time (see DISK_CHECK_MS): it runs while the run logs in.
 */
export async function checkDiskSpace(opts: {
  info: EngineInfo;
  local: boolean;
  plan: Pick<Plan, 'images' | 'builds'>;
  platforms: string[];
  credentials: readonly (RegistryCredentials & { registry: string })[];
  report: Pick<RunReport, 'disk'>;
  env?: Record<string, string | undefined>;
}): Promise<void> {
  const started = Date.now();
  try {
    const dataRoot = opts.info.DockerRootDir;
    if (!opts.local || !dataRoot) {
      core.debug(`Disk check skipped: ${!opts.local ? 'the engine is not on this machine (DOCKER_HOST or the docker context names another host)' : 'the engine named no data root'}.`);
      return;
    }
    const image = opts.plan.images[0];
    const wanted = opts.plan.builds.map((b) => ({ tag: b.tags.find((t) => !t.local)?.tag }));
    if (!image) return;
    const measuring = Promise.all(
      wanted.map(async ({ tag }) => {
        if (!tag) return undefined;
        const bytes = await previousImageBytes(image, tag, opts.platforms, opts.credentials);
        return bytes ? { ref: `${image.name}:${tag}`, bytes } : undefined;
      }),
    );
    measuring.catch(() => undefined);
    const [free, found] = await Promise.all([freeBytes(dataRoot, opts.env), within(DISK_CHECK_MS, measuring)]);
    if (!found) {
      core.debug(`Disk check skipped: the registry did not answer within ${DISK_CHECK_MS / 1000}s.`);
      return;
    }
    const measured = found.filter((m): m is { ref: string; bytes: number } => m !== undefined);
    if (!measured.length) {
      core.debug(`Disk check: ${image.name} holds no previous image of ${wanted.map((w) => w.tag ?? '(no pushed tag)').join(', ')}: nothing to compare ${formatBytes(free.bytes)} free in ${dataRoot} with.`);
      return;
    }
    const need = 2 * measured.reduce((sum, m) => sum + m.bytes, 0);
    const disk: DiskReport = { dataRoot, freeBytes: free.bytes, freeSource: free.source, needBytes: need, measured, warned: free.bytes < need };
    opts.report.disk = disk;
    if (disk.warned) core.warning(diskWarning(disk), { title: 'Low disk space for the build' });
    else core.info(`Disk: ${formatBytes(free.bytes)} free in ${dataRoot}; this build needs about ${formatBytes(need)} (twice the previous image, ${measured.map((m) => m.ref).join(', ')}).`);
  } catch (error) {
    core.debug(`Disk check skipped: ${getErrorMessage(error)}`);
  } finally {
    core.debug(`Disk check took ${Date.now() - started} ms.`);
  }
}

/**
 * Reads an image tar stream (`docker save`) and keeps the small JSON blobs (index, manifests,
 * configs) and the size of every entry, without keeping layer data. Handles ustar, PAX size
 * records (entries over 8 GiB) and base-256 sizes.
 */
export class TarBlobs {
  /** Entry name -> its size. */
  readonly sizes = new Map<string, number>();
  /** Entry name -> its bytes, for entries of at most `keep` bytes. */
  readonly small = new Map<string, Buffer>();
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private entry?: { name: string; size: number; left: number; pad: number; chunks?: Buffer[]; kind: string };
  private pax: Record<string, string> = {};
  ended = false;

  constructor(private readonly keep = 4 * 1024 * 1024) {}

  /** The entry whose data is being read, if any: its name and size. */
  get reading(): { name: string; size: number } | undefined {
    return this.entry && { name: this.entry.name, size: this.entry.size };
  }

  /** Feeds a chunk; returns the names of entries completed by it. */
  write(chunk: Buffer): string[] {
    const done: string[] = [];
    let buf = chunk;
    while (buf.length && !this.ended) {
      if (this.entry) {
        const e = this.entry;
        if (e.left > 0) {
          const n = Math.min(e.left, buf.length);
          e.chunks?.push(buf.subarray(0, n));
          e.left -= n;
          buf = buf.subarray(n);
          if (e.left > 0) break;
        }
        const p = Math.min(e.pad, buf.length);
        e.pad -= p;
        buf = buf.subarray(p);
        if (e.pad > 0) break;
        this.entry = undefined;
        this.finish(e, done);
        continue;
      }
      const need = 512 - this.pendingBytes;
      const take = buf.subarray(0, need);
      this.pending.push(take);
      this.pendingBytes += take.length;
      buf = buf.subarray(take.length);
      if (this.pendingBytes < 512) break;
      const header = Buffer.concat(this.pending);
      this.pending = [];
      this.pendingBytes = 0;
      this.header(header);
    }
    return done;
  }

  private header(h: Buffer): void {
    const parsed = parseTarHeader(h);
    if (!parsed) {
      this.ended = true;
      return;
    }
    let { name, size } = parsed;
    const { kind } = parsed;
    if (kind !== 'x' && kind !== 'g') {
      if (this.pax.size) size = Number(this.pax.size);
      if (this.pax.path) name = this.pax.path;
      this.pax = {};
    }
    const keep = kind === 'x' || kind === 'g' || (kind === '0' && size <= this.keep);
    this.entry = { name, size, left: size, pad: tarPadding(size), chunks: keep ? [] : undefined, kind };
    if (size === 0) {
      const e = this.entry;
      this.entry = undefined;
      this.finish(e, []);
    }
  }

  private finish(e: NonNullable<TarBlobs['entry']>, done: string[]): void {
    const body = e.chunks ? Buffer.concat(e.chunks) : undefined;
    if (e.kind === 'x' && body) {
      this.pax = parsePax(body);
      return;
    }
    if (e.kind !== '0') return;
    this.sizes.set(e.name, e.size);
    if (body) this.small.set(e.name, body);
    done.push(e.name);
  }
}

function blobName(digest: string): string {
  return `blobs/${digest.replace(':', '/')}`;
}

/**
 * The layers of the image `root` (an index or a manifest digest) out of a `docker save` stream
 * read so far: undefined while a manifest or config it needs has not come yet. Pure.
 */
export function layersFromSave(tar: Pick<TarBlobs, 'small'>, root: string, platforms: string[] = []): LayerSize[] | undefined {
  const json = <T>(digest: string | undefined): T | undefined => {
    const b = digest ? tar.small.get(blobName(digest)) : undefined;
    if (!b) return undefined;
    try {
      return JSON.parse(b.toString('utf8')) as T;
    } catch {
      return undefined;
    }
  };
  const top = json<ManifestJson>(root);
  if (!top) return undefined;
  const images: { manifest: ManifestJson; platform?: string }[] = [];
  if (top.manifests) {
    const chosen = platformManifests(top, platforms);
    for (const d of chosen) {
      const manifest = json<ManifestJson>(d.digest);
      if (!manifest) return undefined;
      images.push({ manifest, platform: chosen.length > 1 ? platformOf(d) : undefined });
    }
  } else {
    images.push({ manifest: top });
  }
  const out: LayerSize[] = [];
  for (const { manifest, platform } of images) {
    const config = json<ConfigJson>(manifest.config?.digest);
    if (!config) return undefined;
    out.push(...layersOf(manifest, config, platform));
  }
  return out;
}

/** The image's layer sizes for one build, asked once (see layerSizes); undefined when they cannot be told. */
const asked = new WeakMap<BuildUnit, Promise<Layers | undefined>>();

/** Layer sizes, or the bound that makes them unnecessary (`within`, and what it is the size of). */
type Layers = { layers: LayerSize[] } | { within: number; what: string };

/**
 * A layer's compressed size is no larger than its size before compression by more than the
 * compressor's framing (well under 1% for data that does not compress): this much room is left.
 */
const COMPRESSION_ROOM = 1.05;

async function historyLayers(docker: RunContext['docker'], imageId: string): Promise<LayerSize[]> {
  const api = await docker.api?.call('GET', `/images/${imageId}/history`);
  const r = api ?? (await docker.run(['history', '--no-trunc', '--human=false', '--format', '{{json .}}', imageId]));
  if (r.code !== 0) throw new Error(r.stderr.trim() || 'docker history failed');
  const entries = api ? (JSON.parse(r.stdout) as HistoryEntry[]) : r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as HistoryEntry);
  return layersFromHistory(entries);
}

interface InspectWithManifests {
  Size?: number;
  Manifests?: { Kind?: string; Available?: boolean; Size?: { Content?: number } }[] | null;
}

/**
 * What the engine holds of the image: on the containerd store, first the size of each platform
 * image as stored (Docker >= 28 lists them; else the image's size, for a one-platform build).
 * When none is larger than `limit`, no layer can be and nothing more is read. For one platform,
 * then the history: layers well under the limit before compression are under it compressed.
 * Otherwise the layers come out of `docker save` (index, manifests and configs; the stream stops once they are
 * read). On the classic store, from the image history (sizes before compression).
 */
async function layerSizes(ctx: Pick<RunContext, 'docker' | 'caps' | 'inputs'>, imageId: string, limit: number): Promise<Layers | undefined> {
  const { docker } = ctx;
  if (!ctx.caps.containerdStore) return { layers: await historyLayers(docker, imageId) };
  const inspected = await docker.api?.call('GET', `/images/${imageId}/json?manifests=1`);
  const info = inspected?.code === 0 ? (JSON.parse(inspected.stdout) as InspectWithManifests) : ((await docker.inspectImage(imageId)) as InspectWithManifests | undefined);
  const images = (info?.Manifests ?? []).filter((m) => m.Kind === 'image' && m.Available !== false);
  const totals = images.length ? images.map((m) => m.Size?.Content ?? Infinity) : ctx.inputs.platforms.length <= 1 && info?.Size ? [info.Size] : [];
  const largest = totals.length ? Math.max(...totals) : Infinity;
  if (largest <= limit) return { within: largest, what: 'no platform image is over it as stored' };
  // One platform: its history's sizes before compression bound the compressed ones.
  if (ctx.inputs.platforms.length <= 1) {
    const before = await historyLayers(docker, imageId).catch(() => undefined);
    const biggest = before?.length ? Math.max(...before.map((l) => l.size)) : Infinity;
    if (biggest * COMPRESSION_ROOM <= limit) return { within: biggest, what: 'no layer is over it before compression' };
  }
  const tar = new TarBlobs();
  let layers: LayerSize[] | undefined;
  const r = await docker.run(['save', imageId], {
    onStdout: (chunk) => {
      if (tar.write(chunk).some((name) => tar.small.has(name))) layers = layersFromSave(tar, imageId, ctx.inputs.platforms);
      return layers !== undefined;
    },
  });
  layers ??= layersFromSave(tar, imageId, ctx.inputs.platforms);
  if (!layers) throw new Error(r.code !== 0 ? r.stderr.trim() || `docker save exited ${r.code}` : 'docker save gave no manifest of the image');
  return { layers };
}

/**
 * Before the push to `image`: every layer of the build's image against the registry's per-layer
 * limit, when one is known. Over it, the push to that registry fails before anything is uploaded
 * (on the classic store, where only sizes before compression are known, a warning). When the
 * sizes cannot be read, a log line, and the push goes ahead.
 */
export async function checkLayerLimit(ctx: Pick<RunContext, 'docker' | 'caps' | 'inputs'>, unit: BuildUnit, image: ImageRef): Promise<void> {
  const limit = layerLimitFor(image.registry);
  const imageId = unit.report.imageId;
  if (!limit || !imageId) return;
  const started = Date.now();
  let found = asked.get(unit);
  if (!found) {
    found = layerSizes(ctx, imageId, limit.bytes).catch((error: unknown) => {
      core.info(`Could not read the layer sizes of ${imageId} (${getErrorMessage(error)}): pushing without checking them against ${image.registry}'s limit.`);
      return undefined;
    });
    asked.set(unit, found);
  }
  const sizes = await found;
  core.debug(`Layer size check for ${image.registry} took ${Date.now() - started} ms.`);
  if (!sizes) return;
  if ('within' in sizes) {
    core.info(`Layer sizes: ${sizes.what.replace(' it ', ` ${formatBytes(sizes.within)} `)}, within the ${limit.label} ${image.registry} takes per layer.`);
    return;
  }
  const over = sizes.layers.filter((l) => l.size > limit.bytes);
  const largest = sizes.layers.reduce((a, b) => Math.max(a, b.size), 0);
  if (!over.length) {
    core.info(`Layer sizes: the largest layer is ${formatBytes(largest)}${sizes.layers[0]?.compressed ? ' compressed' : ' before compression'}, within the ${limit.label} ${image.registry} takes per layer.`);
    return;
  }
  if (over[0]!.compressed) throw new UserError(layerLimitError(image, limit, over));
  core.warning(layerLimitWarning(image, limit, over), { title: `Layer over ${image.registry}'s limit before compression` });
}
