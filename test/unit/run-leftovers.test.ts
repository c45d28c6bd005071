import { describe, expect, it } from 'vitest';
import { Docker } from '../../src/engine/docker.js';
import { isRunLocalTag } from '../../src/engine/run.js';

describe('isRunLocalTag: the only names the post step may remove', () => {
  const docker = new Docker(undefined, '1a2b3c4d');
  it.each([
    [docker.localTag('localhost:5000/acme/app:latest', 0), true],
    [docker.localTag('ghcr.io/acme/app:1.2.3', 3), true],
    ['autobuild.invalid/acme/app:1a2b3c4d-12', true],
    // Another run's local name, a real reference, a look-alike host, a missing index.
    ['autobuild.invalid/acme/app:9f8e7d6c-0', false],
    ['localhost:5000/acme/app:1a2b3c4d-0', false],
    ['autobuild.invalid.example.com/acme/app:1a2b3c4d-0', false],
    ['autobuild.invalid/acme/app:1a2b3c4d-', false],
    ['autobuild.invalid/acme/app:x1a2b3c4d-0', false],
  ])('%s -> %s', (ref, ours) => {
    expect(isRunLocalTag(ref, '1a2b3c4d')).toBe(ours);
  });
});
