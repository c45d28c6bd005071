/** rebuild: base-changed: the Dockerfile's base images, the labels that record them, and the decision. */
import { describe, expect, it } from 'vitest';
import { dockerfileBases, parseReference } from '../../src/plan/dockerfile.js';
import { parseFlavor, parseTagRules } from '../../src/plan/metadata.js';
import { makePlan, type PlanInputs } from '../../src/plan/plan.js';
import { baseLabels, decideRebuild, recordedBases, type Pushed, type RebuildInput } from '../../src/plan/rebuild.js';
import { parseRules } from '../../src/plan/rules.js';
import { push, schedule, SHA } from './facts.js';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const D3 = `sha256:${'3'.repeat(64)}`;

describe('dockerfileBases', () => {
  type Opts = { target?: string; buildArgs?: Record<string, string> };
  it.each<[string, string, Opts, string[], string | undefined, string[]?]>([
    ['one stage', 'FROM alpine:3.20\nRUN true\n', {}, ['docker.io/library/alpine:3.20'], 'docker.io/library/alpine:3.20'],
    ['no tag is latest', 'FROM busybox\n', {}, ['docker.io/library/busybox:latest'], 'docker.io/library/busybox:latest'],
    ['another registry, a port', 'FROM localhost:5000/acme/base:1\n', {}, ['localhost:5000/acme/base:1'], 'localhost:5000/acme/base:1'],
    ['index.docker.io is docker.io', 'FROM index.docker.io/acme/base:2\n', {}, ['docker.io/acme/base:2'], 'docker.io/acme/base:2'],
    ['lowercase from and as', 'from node:20 as build\nfrom build\n', {}, ['docker.io/library/node:20'], 'docker.io/library/node:20'],
    [
      'multi-stage: the final base first, then what it copies from',
      'FROM golang:1.23 AS build\nRUN go build\nFROM gcr.io/distroless/static:nonroot\nCOPY --from=build /app /app\n',
      {},
      ['gcr.io/distroless/static:nonroot', 'docker.io/library/golang:1.23'],
      'gcr.io/distroless/static:nonroot',
    ],
    [
      'a stage nothing takes from is left out',
      'FROM python:3.12 AS test\nRUN pytest\nFROM alpine:3.20\nRUN true\n',
      {},
      ['docker.io/library/alpine:3.20'],
      'docker.io/library/alpine:3.20',
    ],
    ['a stage FROM another stage follows it', 'FROM debian:12 AS base\nFROM base AS app\nFROM app\n', {}, ['docker.io/library/debian:12'], 'docker.io/library/debian:12'],
    ['COPY --from an index', 'FROM rust:1 \nRUN cargo build\nFROM debian:12-slim\nCOPY --from=0 /t /t\n', {}, ['docker.io/library/debian:12-slim', 'docker.io/library/rust:1'], 'docker.io/library/debian:12-slim'],
    ['COPY --from an image', 'FROM scratch\nCOPY --from=nginx:1.27 /etc/nginx /etc/nginx\n', {}, ['docker.io/library/nginx:1.27'], undefined],
    ['RUN --mount from a stage', 'FROM node:20 AS deps\nFROM alpine\nRUN --mount=type=bind,from=deps,source=/x,target=/x cp -r /x /y\n', {}, ['docker.io/library/alpine:latest', 'docker.io/library/node:20'], 'docker.io/library/alpine:latest'],
    ['scratch has no digest', 'FROM scratch\nCOPY app /\n', {}, [], undefined],
    ['a target stage', 'FROM debian:12 AS test\nFROM alpine AS release\n', { target: 'test' }, ['docker.io/library/debian:12'], 'docker.io/library/debian:12'],
    ['an ARG default', 'ARG BASE=alpine\nARG VERSION=3.20\nFROM ${BASE}:$VERSION\n', {}, ['docker.io/library/alpine:3.20'], 'docker.io/library/alpine:3.20'],
    ['a build argument over the default', 'ARG BASE=alpine:3.20\nFROM $BASE\n', { buildArgs: { BASE: 'busybox:1.36' } }, ['docker.io/library/busybox:1.36'], 'docker.io/library/busybox:1.36'],
    ['${VAR:-default}', 'ARG TAG\nFROM nginx:${TAG:-stable}\n', {}, ['docker.io/library/nginx:stable'], 'docker.io/library/nginx:stable'],
    ['an ARG without a value cannot be told', 'ARG BASE\nFROM $BASE\n', {}, [], undefined, ['$BASE']],
    ['FROM --platform=$BUILDPLATFORM', 'FROM --platform=$BUILDPLATFORM golang:1.23 AS build\nFROM alpine:3.20\nCOPY --from=build /a /a\n', {}, ['docker.io/library/alpine:3.20', 'docker.io/library/golang:1.23'], 'docker.io/library/alpine:3.20'],
    ['comments and line continuations', '# syntax=docker/dockerfile:1\nFROM \\\n  # the base\n  ubuntu:24.04 \\\n  AS base\nRUN true\n', {}, ['docker.io/library/ubuntu:24.04'], 'docker.io/library/ubuntu:24.04'],
    ['a pinned digest', `FROM alpine:3.20@${D1}\n`, {}, [`docker.io/library/alpine:3.20@${D1}`], `docker.io/library/alpine:3.20@${D1}`],
    ['the same base twice, once', 'FROM alpine AS a\nFROM alpine\nCOPY --from=a / /\n', {}, ['docker.io/library/alpine:latest'], 'docker.io/library/alpine:latest'],
  ])('%s', (_, dockerfile, opts, bases, runtime, unresolved = []) => {
    const got = dockerfileBases(dockerfile, opts);
    expect(got.bases.map((b) => b.name)).toEqual(bases);
    expect(got.runtime?.name).toBe(runtime);
    expect(got.unresolved).toEqual(unresolved);
    expect(got.error).toBeUndefined();
  });

  it('an unknown target and a Dockerfile without FROM are errors', () => {
    expect(dockerfileBases('FROM alpine\n', { target: 'nope' }).error).toBe("the Dockerfile has no stage named 'nope'");
    expect(dockerfileBases('RUN true\n').error).toBe('the Dockerfile has no FROM');
  });

  it('parses references as docker does', () => {
    expect(parseReference('alpine')).toMatchObject({ registry: 'docker.io', repository: 'library/alpine', tag: 'latest' });
    expect(parseReference(`ghcr.io/acme/app@${D1}`)).toMatchObject({ registry: 'ghcr.io', repository: 'acme/app', tag: undefined, digest: D1 });
    expect(parseReference('Alpine')).toBeUndefined();
    expect(parseReference('alpine:bad tag')).toBeUndefined();
  });
});

describe('base labels', () => {
  it('one base: the OCI pair only', () => {
    const labels = baseLabels([{ name: 'docker.io/library/alpine:3.20', digest: D1 }], 'docker.io/library/alpine:3.20');
    expect(labels).toEqual({ 'org.opencontainers.image.base.name': 'docker.io/library/alpine:3.20', 'org.opencontainers.image.base.digest': D1 });
    expect([...recordedBases(labels)]).toEqual([['docker.io/library/alpine:3.20', D1]]);
  });

  it('several bases: the OCI pair for the final stage, and every base in io.autobuild.bases', () => {
    const labels = baseLabels(
      [
        { name: 'gcr.io/distroless/static:nonroot', digest: D1 },
        { name: 'docker.io/library/golang:1.23', digest: D2 },
        { name: 'ghcr.io/acme/private:1', error: 'HTTP 401' },
      ],
      'gcr.io/distroless/static:nonroot',
    );
    expect(labels).toEqual({
      'org.opencontainers.image.base.name': 'gcr.io/distroless/static:nonroot',
      'org.opencontainers.image.base.digest': D1,
      'io.autobuild.bases': `gcr.io/distroless/static:nonroot@${D1},docker.io/library/golang:1.23@${D2}`,
    });
    expect(Object.fromEntries(recordedBases(labels))).toEqual({ 'gcr.io/distroless/static:nonroot': D1, 'docker.io/library/golang:1.23': D2 });
  });

  it('a base whose digest is unknown is not recorded; scratch records nothing', () => {
    expect(baseLabels([{ name: 'docker.io/library/alpine:3.20', error: 'no answer' }], 'docker.io/library/alpine:3.20')).toEqual({});
    expect(baseLabels([], undefined)).toEqual({});
  });
});

describe('decideRebuild', () => {
  const BASE = 'localhost:5000/acme/base:1';
  const labels = { 'org.opencontainers.image.revision': SHA, 'org.opencontainers.image.base.name': BASE, 'org.opencontainers.image.base.digest': D1 };
  const found = (l: Record<string, string> = labels): Pushed => ({ state: 'found', ref: 'localhost:5000/acme/app:latest', digest: D3, labels: l });
  const decide = (more: Partial<RebuildInput> = {}) => decideRebuild({ sha: SHA, bases: [{ name: BASE, digest: D1 }], unresolved: [], pushed: found(), ...more });

  it('nothing moved: no rebuild, and the line names each base and its digest', () => {
    const d = decide();
    expect(d.rebuild).toBe(false);
    expect(d.reason).toBe(`localhost:5000/acme/app:latest is up to date: commit ${SHA.slice(0, 7)}, base ${BASE} is still ${D1}`);
  });

  it('FROM scratch and the same commit: nothing can move', () => {
    expect(decide({ bases: [] })).toMatchObject({ rebuild: false, reason: expect.stringContaining('no base image (FROM scratch)') });
  });

  it.each<[string, Partial<RebuildInput>, string, string]>([
    ['a base moved', { bases: [{ name: BASE, digest: D2 }] }, 'info', `base ${BASE} moved from ${D1} to ${D2}: rebuilding`],
    ['another commit', { sha: 'a'.repeat(40) }, 'info', `was built from commit ${SHA.slice(0, 7)}, this run builds aaaaaaa`],
    ['no image yet', { pushed: { state: 'missing', why: 'localhost:5000/acme/app:latest does not exist yet' } }, 'info', 'does not exist yet: building'],
    ['the registry cannot be read', { pushed: { state: 'unreadable', why: 'HTTP 401' } }, 'warning', 'could not read the pushed image (HTTP 401): rebuilding'],
    ['a base cannot be read', { bases: [{ name: BASE, error: 'no answer within 15s' }] }, 'warning', `could not read the digest of ${BASE} (no answer within 15s): rebuilding`],
    ['an ARG without a value', { unresolved: ['$BASE'] }, 'warning', "the base image '$BASE' names a build argument without a value"],
    ['the Dockerfile cannot be read', { dockerfileError: 'the Dockerfile has no FROM' }, 'warning', 'could not tell the base images (the Dockerfile has no FROM)'],
    ['an image pushed without the base labels', { pushed: found({ 'org.opencontainers.image.revision': SHA }) }, 'notice', `records no digest for ${BASE} (it was pushed without the labels`],
    ['an image without a revision label', { pushed: found({}) }, 'notice', 'has no org.opencontainers.image.revision label'],
    ['a base the image does not record (a new COPY --from)', { bases: [{ name: BASE, digest: D1 }, { name: 'docker.io/library/golang:1.23', digest: D2 }] }, 'notice', 'records no digest for docker.io/library/golang:1.23'],
  ])('%s: rebuild', (_, more, level, reason) => {
    const d = decide(more);
    expect(d.rebuild).toBe(true);
    expect(d.level).toBe(level);
    expect(d.reason).toContain(reason);
  });

  it('a moved base is reported with both digests', () => {
    expect(decide({ bases: [{ name: BASE, digest: D2 }] }).moved).toEqual([{ name: BASE, from: D1, to: D2 }]);
  });
});

describe('the plan of a scheduled rebuild', () => {
  const inputs = (more: Partial<PlanInputs> & { tagLines?: string } = {}): PlanInputs => ({
    images: [{ input: 'acme/app', registry: 'docker.io', path: 'acme/app', name: 'docker.io/acme/app', lowercased: false }],
    context: '/w',
    file: '',
    labels: [],
    rules: parseRules(''),
    push: 'auto',
    prPreview: false,
    tags: parseTagRules(more.tagLines ?? ''),
    flavor: parseFlavor(''),
    ...more,
  });
  const tags = (plan: ReturnType<typeof makePlan>): string[] => plan.builds.flatMap((b) => b.tags.map((t) => t.tag));
  const sha7 = `sha-${SHA.slice(0, 7)}`;

  it('base-changed on a schedule gets the default branch tags, not nightly', () => {
    expect(tags(makePlan(schedule(), inputs()))).toEqual(['nightly']);
    const plan = makePlan(schedule(), inputs({ rebuild: 'base-changed' }));
    expect(tags(plan)).toEqual(['latest', 'main', sha7]);
    expect(tags(plan)).toEqual(tags(makePlan(push('main'), inputs())));
    expect(plan.push.enabled).toBe(true);
    expect(plan.notes?.join('\n')).toContain("rebuild: base-changed on a schedule: the tags of the default branch 'main' (not nightly)");
  });

  it('with tags lines: the lines as for a push to the default branch (type=schedule gives nothing)', () => {
    const tagLines = 'type=schedule\ntype=ref,event=branch\ntype=raw,value=stable,enable={{is_default_branch}}';
    expect(tags(makePlan(schedule(), inputs({ tagLines, rebuild: 'base-changed' })))).toEqual(['main', 'stable']);
    expect(tags(makePlan(schedule(), inputs({ tagLines })))).toEqual(['nightly', 'main', 'stable']);
  });

  it('a push event is planned as always', () => {
    expect(tags(makePlan(push('main'), inputs({ rebuild: 'base-changed' })))).toEqual(['latest', 'main', sha7]);
  });
});

describe('what registries and labels give is checked', () => {
  it('a recorded digest that is not a digest is not recorded (the image is rebuilt, with the notice)', () => {
    const labels = { 'org.opencontainers.image.base.name': 'docker.io/library/alpine:3.20', 'org.opencontainers.image.base.digest': 'sha256:1\n::error::x', 'io.autobuild.bases': `a:1@nope,b:2@${D2}` };
    expect(Object.fromEntries(recordedBases(labels))).toEqual({ 'b:2': D2 });
  });

  it('a revision that is not a commit id is not shown', () => {
    const d = decideRebuild({ sha: SHA, bases: [], unresolved: [], pushed: { state: 'found', ref: 'r:latest', digest: D1, labels: { 'org.opencontainers.image.revision': '\n::error::x' } } });
    expect(d.reason).toBe(`r:latest was built from another commit, this run builds ${SHA.slice(0, 7)}: rebuilding`);
  });
});
