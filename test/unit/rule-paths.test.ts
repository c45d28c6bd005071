import { describe, expect, it } from 'vitest';
import { rulePaths } from '../../src/plan/rule-paths.js';

const ws = '/repo';
const fallback = { context: '/repo/app', file: '/repo/app/Dockerfile' };

describe("rulePaths: Docker Hub's build context and Dockerfile location", () => {
  it.each([
    ['neither given: the context and file inputs', {}, fallback],
    ["context '/' (Docker Hub's default): the repository root", { context: '/' }, { context: '/repo', file: '/repo/Dockerfile' }],
    ['context / with a Dockerfile relative to it', { context: '/', dockerfile: 'docker/Dockerfile.prod' }, { context: '/repo', file: '/repo/docker/Dockerfile.prod' }],
    ['a context folder: the Dockerfile is relative to it', { context: '/api', dockerfile: 'Dockerfile' }, { context: '/repo/api', file: '/repo/api/Dockerfile' }],
    ['a context without a leading slash', { context: 'api' }, { context: '/repo/api', file: '/repo/api/Dockerfile' }],
    ['a blank context: the Dockerfile folder', { context: '', dockerfile: 'web/Dockerfile' }, { context: '/repo/web', file: '/repo/web/Dockerfile' }],
    ['only a Dockerfile: its folder is the context', { dockerfile: 'web/Dockerfile' }, { context: '/repo/web', file: '/repo/web/Dockerfile' }],
    ['a Dockerfile written with a leading slash', { context: '/api', dockerfile: '/Dockerfile.alt' }, { context: '/repo/api', file: '/repo/api/Dockerfile.alt' }],
  ])('%s', (_, rule, want) => {
    expect(rulePaths(ws, { index: 1, ...rule }, fallback)).toEqual(want);
  });

  it.each([
    [{ context: '../other' }, "Input 'rules', rule 2: context '../other' leaves the repository"],
    [{ context: '/', dockerfile: '../../etc/Dockerfile' }, "Input 'rules', rule 2: dockerfile '../../etc/Dockerfile' leaves the repository"],
  ])('refuses paths that leave the repository: %j', (rule, message) => {
    expect(() => rulePaths(ws, { index: 2, ...rule }, fallback)).toThrow(message);
  });
});
