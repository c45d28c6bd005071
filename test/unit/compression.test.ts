import { describe, expect, it } from 'vitest';
import { checkCompression, loadArgs, parseCompression } from '../../src/engine/compression.js';

describe('compression', () => {
  it.each([
    ['', { type: 'gzip' }, ['--load']],
    ['gzip', { type: 'gzip' }, ['--load']],
    ['gzip:6', { type: 'gzip', level: 6 }, ['--output', 'type=docker,compression=gzip,compression-level=6,force-compression=true,oci-mediatypes=true']],
    ['zstd', { type: 'zstd' }, ['--output', 'type=docker,compression=zstd,force-compression=true,oci-mediatypes=true']],
    [' ZSTD:19 ', { type: 'zstd', level: 19 }, ['--output', 'type=docker,compression=zstd,compression-level=19,force-compression=true,oci-mediatypes=true']],
    ['estargz', { type: 'estargz' }, ['--output', 'type=docker,compression=estargz,force-compression=true,oci-mediatypes=true']],
  ])('%j', (value, parsed, args) => {
    expect(parseCompression(value)).toEqual(parsed);
    expect(loadArgs(parseCompression(value))).toEqual(args);
  });

  it.each([
    ['lz4', "Input 'compression' has an invalid value 'lz4': expected gzip, zstd or estargz"],
    ['zstd:23', 'zstd levels go from 0 to 22'],
    ['gzip:10', 'gzip levels go from 0 to 9'],
    ['zstd,level=3', "invalid value 'zstd,level=3'"],
  ])('refuses %s', (value, message) => {
    expect(() => parseCompression(value)).toThrow(message);
  });

  const containerd = { containerdStore: true, driver: 'docker', engineVersion: '28.5.2', buildx: '0.29.1' };
  it('needs the containerd store for anything but default gzip, and a builder of its own for estargz', () => {
    expect(() => checkCompression({ type: 'gzip' }, { ...containerd, containerdStore: false })).not.toThrow();
    expect(() => checkCompression({ type: 'zstd' }, containerd)).not.toThrow();
    expect(() => checkCompression({ type: 'zstd' }, { ...containerd, containerdStore: false })).toThrow("Input 'compression': zstd needs the containerd image store");
    expect(() => checkCompression({ type: 'gzip', level: 9 }, { ...containerd, containerdStore: false })).toThrow('gzip:9 needs the containerd image store');
    expect(() => checkCompression({ type: 'estargz' }, containerd)).toThrow('estargz is not used with the engine');
    expect(() => checkCompression({ type: 'estargz' }, { ...containerd, driver: 'docker-container' })).not.toThrow();
    expect(() => checkCompression({ type: 'zstd' }, { ...containerd, buildx: undefined })).toThrow("Input 'compression': zstd needs docker buildx");
  });
});
