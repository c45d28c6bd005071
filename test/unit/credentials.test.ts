import { describe, expect, it } from 'vitest';
import { credentialsFor } from '../../src/engine/login.js';
import { parseImage, type ImageRef } from '../../src/plan/images.js';

const images = (...names: string[]): ImageRef[] => names.map((n) => parseImage(n) as ImageRef);
const none = { username: '', password: '', registryAuth: [], githubToken: '' };

describe('credentialsFor', () => {
  it('uses username/password for Docker Hub and the GitHub token for GHCR next to it', () => {
    const creds = credentialsFor(images('acme/app', 'ghcr.io/acme/app'), { ...none, username: 'u', password: 'p', githubToken: 't' }, 'octocat');
    expect(creds).toEqual([
      { registry: 'docker.io', username: 'u', password: 'p', from: 'username/password' },
      { registry: 'ghcr.io', username: 'octocat', password: 't', from: 'github-token' },
    ]);
  });

  it('uses username/password for GHCR when it is the only registry', () => {
    expect(credentialsFor(images('ghcr.io/acme/app'), { ...none, username: 'u', password: 'p', githubToken: 't' })[0]!.from).toBe('username/password');
  });

  it('lets registry-auth win for its registry', () => {
    const creds = credentialsFor(images('acme/app', 'quay.io/acme/app'), {
      ...none,
      username: 'u',
      password: 'p',
      registryAuth: [{ registry: 'quay.io', username: 'q', password: 'qp' }],
    });
    expect(creds.map((c) => [c.registry, c.username, c.from])).toEqual([
      ['docker.io', 'u', 'username/password'],
      ['quay.io', 'q', 'registry-auth'],
    ]);
  });

  it('gives nothing without credentials', () => {
    expect(credentialsFor(images('acme/app'), none)).toEqual([]);
  });
});
