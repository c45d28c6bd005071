import { describe, expect, it } from 'vitest';
import { parseImage, parseRegistry } from '../../src/plan/images.js';

describe('parseImage', () => {
  it.each([
    ['acme/app', 'docker.io/acme/app', 'docker.io'],
    ['nginx', 'docker.io/library/nginx', 'docker.io'],
    ['index.docker.io/acme/app', 'docker.io/acme/app', 'docker.io'],
    ['registry-1.docker.io/acme/app', 'docker.io/acme/app', 'docker.io'],
    ['registry.hub.docker.com/acme/app', 'docker.io/acme/app', 'docker.io'],
    ['Index.Docker.IO/acme/app', 'docker.io/acme/app', 'docker.io'],
    ['ghcr.io/Acme/App', 'ghcr.io/acme/app', 'ghcr.io'],
    ['Acme/WebApp', 'docker.io/acme/webapp', 'docker.io'],
    ['localhost:5000/acme/app', 'localhost:5000/acme/app', 'localhost:5000'],
    ['registry.example.com:8443/team/sub/app', 'registry.example.com:8443/team/sub/app', 'registry.example.com:8443'],
  ])('%s -> %s', (input, name, registry) => {
    const ref = parseImage(input);
    expect(typeof ref).toBe('object');
    expect(ref).toMatchObject({ name, registry });
  });

  it('notes when it lower-cased a name', () => {
    expect(parseImage('ghcr.io/Acme/App')).toMatchObject({ lowercased: true });
    expect(parseImage('ghcr.io/acme/app')).toMatchObject({ lowercased: false });
  });

  it.each([
    ['', 'it is empty'],
    ['acme/app:1.0', 'contains a tag'],
    ['acme/app@sha256:abc', 'contains a digest'],
    ['acme/-app', 'not a valid path component'],
    ['acme//app', 'not a valid path component'],
    ['acme/app name', 'white space'],
  ])('refuses %j', (input, message) => {
    const ref = parseImage(input);
    expect(typeof ref).toBe('string');
    expect(ref).toContain(message);
  });
});

describe('parseRegistry: a credential\'s registry, named as parseImage names an image\'s', () => {
  it.each([
    ['docker.io', 'docker.io'],
    ['index.docker.io', 'docker.io'],
    ['registry-1.docker.io', 'docker.io'],
    ['registry.hub.docker.com', 'docker.io'],
    ['https://index.docker.io/v1/', 'docker.io'],
    ['GHCR.io', 'ghcr.io'],
    ['localhost:5000', 'localhost:5000'],
    ['localhost', 'localhost'],
    ['registry.example.com:8443', 'registry.example.com:8443'],
  ])('%s -> %s, the registry of an image under it', (host, registry) => {
    expect(parseRegistry(host)).toBe(registry);
    expect(parseImage(`${host.replace(/^https?:\/\//, '').replace(/\/.*$/, '')}/acme/app`)).toMatchObject({ registry });
  });

  it.each(['', 'nohost', 'two words.io', '-bad.io', 'ghcr.io:port'])('refuses %j', (host) => {
    expect(parseRegistry(host)).toBeUndefined();
  });
});
