import { UserError } from '../errors.js';
import type { Capabilities } from './capabilities.js';

/** Input `compression`: how the image's layers are compressed (BuildKit's image exporter). */
export interface Compression {
  type: 'gzip' | 'zstd' | 'estargz';
  level?: number;
}

const LEVELS: Record<Compression['type'], number> = { gzip: 9, zstd: 22, estargz: 9 };
const HELP = 'expected gzip, zstd or estargz, with a level after a colon (gzip:6, zstd:19; gzip and estargz 0-9, zstd 0-22)';

/** Parses `compression` (`zstd`, `zstd:19`); empty is gzip at BuildKit's own level. Pure. */
export function parseCompression(value: string): Compression {
  const text = value.trim().toLowerCase();
  if (!text) return { type: 'gzip' };
  const m = /^(gzip|zstd|estargz)(?::(\d{1,2}))?$/.exec(text);
  if (!m) throw new UserError(`Input 'compression' has an invalid value '${value.trim()}': ${HELP}.`);
  const type = m[1] as Compression['type'];
  const level = m[2] === undefined ? undefined : Number(m[2]);
  if (level !== undefined && level > LEVELS[type]) throw new UserError(`Input 'compression' has an invalid value '${value.trim()}': ${type} levels go from 0 to ${LEVELS[type]}.`);
  return level === undefined ? { type } : { type, level };
}

/** Whether the build needs its own output options: anything but gzip at BuildKit's own level. */
export function customCompression(c: Compression): boolean {
  return c.type !== 'gzip' || c.level !== undefined;
}

/**
 * The output the build loads into the engine: `--load`, or with a compression of its own the same
 * output with BuildKit's four options (the compression, its level, every layer recompressed,
 * base images' too, and OCI media types, which zstd and estargz need). Pure.
 */
export function loadArgs(c: Compression): string[] {
  if (!customCompression(c)) return ['--load'];
  const opts = ['type=docker', `compression=${c.type}`];
  if (c.level !== undefined) opts.push(`compression-level=${c.level}`);
  opts.push('force-compression=true', 'oci-mediatypes=true');
  return ['--output', opts.join(',')];
}

/**
 * Refuses, before any work, a compression the engine cannot keep: the classic image store stores
 * layers uncompressed and gzips them again when it pushes, and estargz crashes the engine's own
 * builder (Docker 28.5's dockerd panics in its stargz compressor).
 */
export function checkCompression(c: Compression, caps: Pick<Capabilities, 'containerdStore' | 'driver' | 'engineVersion'> & Partial<Pick<Capabilities, 'buildx'>>): void {
  if (!customCompression(c)) return;
  const shown = `${c.type}${c.level !== undefined ? `:${c.level}` : ''}`;
  if (!caps.buildx) throw new UserError(`Input 'compression': ${shown} needs docker buildx, which this runner does not have: install the buildx plugin, or leave compression out.`);
  if (!caps.containerdStore) {
    throw new UserError(
      `Input 'compression': ${shown} needs the containerd image store, and this engine (Docker ${caps.engineVersion}) has the classic one, which keeps layers uncompressed and gzips them when it pushes. Turn the containerd image store on ("features": {"containerd-snapshotter": true} in dockerd's configuration, the default since Docker 29), or leave compression out.`,
    );
  }
  if (c.type === 'estargz' && caps.driver === 'docker') {
    throw new UserError(
      `Input 'compression': estargz is not used with the engine's own builder (Docker ${caps.engineVersion}'s dockerd can crash in its stargz compressor). Use a builder of its own (docker buildx create --driver docker-container --use, in an earlier step), or zstd.`,
    );
  }
}
