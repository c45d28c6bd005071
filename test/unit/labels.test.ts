import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { ociLabels } from '../../src/plan/labels.js';
import { push, SHA, tagPush } from './facts.js';

const now = new Date('2026-03-04T05:06:07Z');

describe('OCI labels', () => {
  it('come from the repository and the commit; created is the commit time', () => {
    const { labels, annotations } = ociLabels(tagPush('v1.2.3'), '1.2.3', [], now);
    expect(labels).toEqual({
      'org.opencontainers.image.title': 'Hello-World',
      'org.opencontainers.image.description': 'This your first repo!',
      'org.opencontainers.image.url': 'https://github.com/octocat/Hello-World',
      'org.opencontainers.image.source': 'https://github.com/octocat/Hello-World',
      'org.opencontainers.image.version': '1.2.3',
      'org.opencontainers.image.created': '2026-01-02T03:04:05.000Z',
      'org.opencontainers.image.revision': SHA,
      'org.opencontainers.image.licenses': 'MIT',
    });
    expect(annotations).toEqual(labels);
  });

  it('are the same for the same commit at any time', () => {
    expect(ociLabels(push('main'), 'main', [], new Date(0))).toEqual(ociLabels(push('main'), 'main', [], now));
  });

  it('use the run time only when the commit time is unknown', () => {
    const { labels } = ociLabels(push('main', { commitTime: undefined }), 'main', [], now);
    expect(labels['org.opencontainers.image.created']).toBe('2026-03-04T05:06:07.000Z');
  });

  it('leave out what is not known', () => {
    const f = push('main', { repository: { owner: 'o', name: 'r', fullName: 'o/r', url: 'https://github.com/o/r' } });
    const { labels } = ociLabels(f, 'main', [], now);
    expect(labels).not.toHaveProperty('org.opencontainers.image.description');
    expect(labels).not.toHaveProperty('org.opencontainers.image.licenses');
  });

  it('the labels input wins, and is not an annotation', () => {
    const { labels, annotations } = ociLabels(push('main'), 'main', ['org.opencontainers.image.title=My App', 'org.opencontainers.image.vendor=Acme', 'empty=', 'eq=a=b'], now);
    expect(labels['org.opencontainers.image.title']).toBe('My App');
    expect(labels['org.opencontainers.image.vendor']).toBe('Acme');
    expect(labels.empty).toBe('');
    expect(labels.eq).toBe('a=b');
    expect(annotations['org.opencontainers.image.title']).toBe('Hello-World');
    expect(annotations).not.toHaveProperty('org.opencontainers.image.vendor');
  });

  it('label values may use the tags expressions', () => {
    const { labels } = ociLabels(push('feature/x'), 'feature-x', ["built.from={{branch}}@{{sha}}", "built.on={{date 'YYYY-MM-DD'}}"], now);
    expect(labels['built.from']).toBe(`feature/x@${SHA.slice(0, 7)}`);
    expect(labels['built.on']).toBe('2026-03-04');
  });

  it('an unknown expression in a label names the labels input', () => {
    expect(() => ociLabels(push('main'), 'main', ['x={{nope}}'], now)).toThrow(UserError);
    expect(() => ociLabels(push('main'), 'main', ['x={{nope}}'], now)).toThrow(/Input 'labels', 'x=\{\{nope\}\}': unknown expression \{\{nope\}\}/);
  });
});
