/** The whole plan: how defaults, `tags` and `rules` combine, per event, and how it is shown. */
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { readInputs } from '../../src/inputs.js';
import { describePlan } from '../../src/plan/describe.js';
import { parseFlavor, parseTagRules } from '../../src/plan/metadata.js';
import { makePlan, type Plan, type PlanInputs } from '../../src/plan/plan.js';
import { parseRules } from '../../src/plan/rules.js';
import { HEAD_SHA, pullRequest, push, schedule, SHA, tagPush } from './facts.js';

const now = new Date('2026-03-04T05:06:07Z');
const sha7 = `sha-${SHA.slice(0, 7)}`;

function inputs(more: { tags?: string; rules?: string; flavor?: string; push?: PlanInputs['push']; prPreview?: boolean } = {}): PlanInputs {
  return {
    images: [{ input: 'acme/app', registry: 'docker.io', path: 'acme/app', name: 'docker.io/acme/app', lowercased: false }],
    context: '/w',
    file: '',
    labels: [],
    rules: parseRules(more.rules ?? ''),
    push: more.push ?? 'auto',
    prPreview: more.prPreview ?? false,
    tags: parseTagRules(more.tags ?? ''),
    flavor: parseFlavor(more.flavor ?? ''),
  };
}

function summary(plan: Plan): [string, string, string, string[]][] {
  return plan.builds.map((b) => [b.name, b.context, b.file, b.tags.map((t) => t.tag)]);
}

const RULES = `
- source-type: branch
  source: main
  tag: latest
- source-type: branch
  source: main
  tag: latest-alpine
  dockerfile: Dockerfile.alpine
- source-type: tag
  source: /^v([0-9.]+)$/
  tag: '{\\1},latest'
  context: /app
- source-type: tag
  source: /^[0-9.]+$/
  tag: release-{sourceref}
  dockerfile: docker/Dockerfile
`;

describe('rules', () => {
  it.each([
    ['two rules on main give two builds', push('main'), [
      ['rule 1 (branch main -> latest)', '/w', '/w/Dockerfile', ['latest']],
      ['rule 2 (branch main -> latest-alpine)', '/w', '/w/Dockerfile.alpine', ['latest-alpine']],
    ]],
    ['a tag rule with a context: Dockerfile relative to it', tagPush('v1.2.3'), [
      ['rule 3 (tag /^v([0-9.]+)$/ -> {\\1},latest)', '/w/app', '/w/app/Dockerfile', ['1.2.3', 'latest']],
    ]],
    ['a tag rule without a context: the Dockerfile folder', tagPush('2.0.1'), [
      ['rule 4 (tag /^[0-9.]+$/ -> release-{sourceref})', '/w/docker', '/w/docker/Dockerfile', ['release-2.0.1']],
    ]],
    ['a schedule rebuilds the rules of the default branch', schedule(), [
      ['rule 1 (branch main -> latest)', '/w', '/w/Dockerfile', ['latest']],
      ['rule 2 (branch main -> latest-alpine)', '/w', '/w/Dockerfile.alpine', ['latest-alpine']],
    ]],
  ])('%s', (_name, f, builds) => {
    const plan = makePlan(f, inputs({ rules: RULES }), now);
    expect(summary(plan)).toEqual(builds);
    expect(plan.tagSource).toBe('rules');
  });

  it('a ref no rule matches builds nothing, as on Docker Hub', () => {
    const plan = makePlan(push('develop'), inputs({ rules: RULES }), now);
    expect(plan.builds).toEqual([]);
    expect(plan.skipped).toBe("no rule in 'rules' matches branch 'develop'");
  });

  it("a ref no rule matches gets the 'tags' lines when there are some", () => {
    const plan = makePlan(push('develop'), inputs({ rules: RULES, tags: 'type=ref,event=branch\ntype=sha' }), now);
    expect(summary(plan)).toEqual([['default', '/w', '/w/Dockerfile', ['develop', sha7]]]);
    expect(plan.tagSource).toBe('rules, then tags');
    expect(plan.notes).toEqual(["no rule in 'rules' matches branch 'develop': the 'tags' lines decide"]);
  });

  it("the 'tags' lines do not add to a rule's tags", () => {
    const plan = makePlan(tagPush('v1.2.3'), inputs({ rules: RULES, tags: 'type=sha' }), now);
    expect(summary(plan)).toEqual([['rule 3 (tag /^v([0-9.]+)$/ -> {\\1},latest)', '/w/app', '/w/app/Dockerfile', ['1.2.3', 'latest']]]);
  });

  it('autobuild: false rules are left out', () => {
    const plan = makePlan(push('main'), inputs({ rules: '- source-type: branch\n  source: main\n  tag: latest\n  autobuild: false' }), now);
    expect(plan.builds).toEqual([]);
  });

  it('a release tag rule marks latest and the version lines as moving', () => {
    const plan = makePlan(tagPush('v4.5.6'), inputs({ rules: "- source-type: tag\n  source: /^v(.*)$/\n  tag: '{\\1},latest,4,4.5,stable'" }), now);
    expect(plan.builds[0]!.tags.map((t) => [t.tag, t.moves])).toEqual([
      ['4.5.6', undefined],
      ['latest', 'latest'],
      ['4', 'major'],
      ['4.5', 'minor'],
      ['stable', undefined],
    ]);
    expect(plan.builds[0]!.release).toMatchObject({ version: '4.5.6' });
  });

  it('a branch rule giving latest is not guarded: latest follows that branch', () => {
    const plan = makePlan(push('main'), inputs({ rules: RULES }), now);
    expect(plan.builds[0]!.release).toBeUndefined();
  });

  it('two rules giving the same tag is an error naming both', () => {
    const rules = '- source-type: branch\n  source: main\n  tag: latest\n- source-type: branch\n  source: /^ma/\n  tag: latest,x';
    expect(() => makePlan(push('main'), inputs({ rules }), now)).toThrow(UserError);
    expect(() => makePlan(push('main'), inputs({ rules }), now)).toThrow(
      "Input 'rules': rule 1 (branch main -> latest) and rule 2 (branch /^ma/ -> latest,x) both give the tag 'latest' for push on branch 'main'; a tag can name only one image.",
    );
  });

  it('a rule whose template renders empty is an error naming the rule', () => {
    const rules = "- source-type: tag\n  source: /^v(\\d+)(-x)?$/\n  tag: '{\\2}'";
    expect(() => makePlan(tagPush('v7'), inputs({ rules }), now)).toThrow(
      "Input 'rules': rule 1 (tag /^v(\\d+)(-x)?$/ -> {\\2}) matches tag 'v7' but its tag template gave no tag (every entry was empty).",
    );
  });

  describe('pull requests', () => {
    it('build every rule of the target branch, tagged pr-<N>, never pushed', () => {
      const plan = makePlan(pullRequest(5), inputs({ rules: RULES }), now);
      expect(summary(plan)).toEqual([
        ['rule 1 (branch main -> latest)', '/w', '/w/Dockerfile', ['pr-5']],
        ['rule 2 (branch main -> latest-alpine)', '/w', '/w/Dockerfile.alpine', ['pr-5-rule2']],
      ]);
      expect(plan.push.enabled).toBe(false);
    });

    it('into a branch no rule builds: the default build with the default tags', () => {
      const plan = makePlan(pullRequest(6, { baseRef: 'develop' }), inputs({ rules: RULES }), now);
      expect(summary(plan)).toEqual([['default', '/w', '/w/Dockerfile', ['pr-6', `pr-6-${HEAD_SHA.slice(0, 7)}`]]]);
      expect(plan.notes![0]).toContain("no rule in 'rules' builds the target branch 'develop'");
    });
  });
});

describe('tags lines and the push decision', () => {
  it('no line for this event, not pushing: built and tested under a local name', () => {
    const plan = makePlan(pullRequest(9), inputs({ tags: 'type=semver,pattern={{version}}' }), now);
    expect(plan.builds[0]!.tags.map((t) => t.tag)).toEqual([`sha-${HEAD_SHA.slice(0, 7)}`]);
    expect(plan.notes!.join('\n')).toContain("no line in 'tags' gives a tag for pull request #9");
  });

  it('no line for this event while pushing is an error naming the lines', () => {
    expect(() => makePlan(push('main'), inputs({ tags: 'type=semver,pattern={{version}}\ntype=ref,event=pr' }), now)).toThrow(
      "Input 'tags': no line gives a tag for push on branch 'main', so there is nothing to push (lines, by priority: 1: type=semver,pattern={{version}}; 2: type=ref,event=pr). Add a line for this event, e.g. type=ref,event=branch, type=ref,event=pr or type=sha.",
    );
  });

  it.each([
    ['a push', push('main'), {}, true],
    ['push: false', push('main'), { push: 'false' as const }, false],
    ['a pull request', pullRequest(1), {}, false],
    ['a pull request with pr-preview', pullRequest(1), { prPreview: true }, true],
    ['a fork pull request with pr-preview', pullRequest(1, { pr: { number: 1, fork: true, headRef: 'x' } }), { prPreview: true }, false],
  ])('push decision: %s', (_name, f, more, enabled) => {
    expect(makePlan(f, inputs(more), now).push.enabled).toBe(enabled);
  });
});

describe('the plan as printed first in the log', () => {
  it('shows the event, each tag and its rule, what moves, and the push decision', () => {
    const f = tagPush('v1.4.9');
    const text = describePlan(f, makePlan(f, inputs(), now)).join('\n');
    expect(text).toContain('Event: push on refs/tags/v1.4.9');
    expect(text).toContain(`Commit: ${SHA} "change"`);
    expect(text).toContain('Tags from: defaults');
    expect(text).toContain('Build default: /w/Dockerfile (context /w), version 1.4.9');
    expect(text).toMatch(/tag 1\.4\.9 +<- default: release version\n/);
    expect(text).toMatch(/tag 1\.4 +<- default: release, major\.minor \(follows the newest 1\.4\.x: pushed only if the registry holds nothing newer\)/);
    expect(text).toMatch(/tag 1 +<- default: release, major \(follows the newest 1\.x: /);
    expect(text).toMatch(/tag latest +<- default: newest release \(follows the newest release: /);
    expect(text).toMatch(/Push: yes, push event on refs\/tags\/v1\.4\.9$/);
  });

  it('shows notes and a skipped plan', () => {
    const f = push('develop');
    const text = describePlan(f, makePlan(f, inputs({ rules: RULES }), now)).join('\n');
    expect(text).toContain("Nothing to build: no rule in 'rules' matches branch 'develop'");
  });
});

describe('the inputs, read as a runner gives them', () => {
  const get = (values: Record<string, string>) => (name: string) => values[name] ?? '';

  it('parses tags, flavor and rules at input time', () => {
    const i = readInputs('/w', get({ image: 'acme/app', tags: 'type=sha\ntype=ref,event=branch', flavor: 'latest=false,suffix=-x', rules: '' }));
    expect(i.tags.map((t) => t.type)).toEqual(['ref', 'sha']);
    expect(i.flavor).toMatchObject({ latest: 'false', suffix: '-x' });
    expect(i.rules).toEqual([]);
  });

  it.each([
    ['tags', 'type=nope', /^Input 'tags', line 1/],
    ['flavor', 'latest=sometimes', /^Input 'flavor', line 1/],
    ['rules', '- source-type: tag', /^Input 'rules', rule 1/],
  ])('a bad %s input fails before anything runs, naming it', (name, value, message) => {
    expect(() => readInputs('/w', get({ image: 'acme/app', [name]: value }))).toThrow(message);
  });
});

describe('a pull request pushes only its own preview tags', () => {
  const head7 = HEAD_SHA.slice(0, 7);
  const tagsOf = (plan: Plan) => plan.builds.flatMap((b) => b.tags.map((t) => [t.tag, t.local !== undefined]));

  it('the defaults give pr-<N> and pr-<N>-<head7>, no sha- tag over the one a branch or release pushed', () => {
    const plan = makePlan(pullRequest(4), inputs({ prPreview: true }), now);
    expect(tagsOf(plan)).toEqual([['pr-4', false], [`pr-4-${head7}`, false]]);
    expect(plan.push.enabled).toBe(true);
  });

  it('a sha or raw tags line is a local name only, with a note naming the tag and why', () => {
    const plan = makePlan(pullRequest(4), inputs({ prPreview: true, tags: 'type=ref,event=pr\ntype=sha\ntype=raw,value=stable' }), now);
    expect(plan.push.enabled).toBe(true);
    expect(tagsOf(plan)).toEqual([['pr-4', false], ['stable', true], [`sha-${head7}`, true]]);
    for (const tag of [`sha-${head7}`, 'stable']) {
      expect(plan.notes).toContainEqual(expect.stringMatching(new RegExp(`^tag '${tag}' is a local name for the tests only, not pushed: .*could overwrite a tag a branch or release build pushed`)));
    }
    expect(plan.builds[0]!.tags.find((t) => t.tag === 'stable')!.local).toMatch(/^not a preview tag of pull request #4/);
    expect(plan.push.enabled).toBe(true);
  });

  it('the preview tags come first, so the first name of the build is one that is pushed', () => {
    const plan = makePlan(pullRequest(4), inputs({ prPreview: true, tags: 'type=raw,value=stable,priority=900\ntype=ref,event=pr' }), now);
    expect(tagsOf(plan)).toEqual([['pr-4', false], ['stable', true]]);
  });

  it('no preview tag at all while pushing: the plan says nothing is pushed, and why', () => {
    const plan = makePlan(pullRequest(4), inputs({ prPreview: true, tags: 'type=sha' }), now);
    expect(tagsOf(plan)).toEqual([[`sha-${head7}`, true]]);
    expect(plan.push.enabled).toBe(false);
    expect(plan.push.reason).toMatch(/^pull request #4 has no preview tag \(pr-4, or pr-4 followed by -, _ or \. and more\)/);
    expect(plan.notes).toContain(`nothing is pushed: ${plan.push.reason}`);
    expect(describePlan(pullRequest(4), plan).join('\n')).toContain('note: nothing is pushed: pull request #4 has no preview tag');
  });

  it('not pushing: the other tags are still local, without notes', () => {
    const plan = makePlan(pullRequest(4), inputs({ tags: 'type=ref,event=pr\ntype=sha' }), now);
    expect(plan.push.enabled).toBe(false);
    expect(tagsOf(plan)).toEqual([['pr-4', false], [`sha-${head7}`, true]]);
    expect(plan.notes).toEqual([]);
  });

  it('a flavor suffix that runs into the number (pr-4 + {{sha}}) is not a preview tag of #4', () => {
    const plan = makePlan(pullRequest(4), inputs({ prPreview: true, flavor: 'suffix={{sha}}' }), now);
    expect(tagsOf(plan)).toEqual([[`pr-4-${head7}${head7}`, false], [`pr-4${head7}`, true]]);
  });
});

describe('a branch name that would be a reserved tag is renamed branch-<name>', () => {
  const branchNotes = (plan: Plan) => (plan.notes ?? []).filter((n) => n.startsWith('branch '));
  const KINDS: [string, string][] = [
    ['latest', 'the newest release or the default branch'],
    ['1', 'release versions'],
    ['1.2', 'release versions'],
    ['1.2.3', 'release versions'],
    ['v1.2.3', 'release versions'],
    ['1.2.3-rc.1', 'release versions'],
    ['pr-42', 'pull-request previews'],
    ['pr-42-fix', 'pull-request previews'],
    ['pr-42.x', 'pull-request previews'],
    ['sha-abc1234', 'the image of one commit'],
    ['sha-' + SHA, 'the image of one commit'],
  ];

  it.each(KINDS)('defaults: branch %s', (branch, owner) => {
    const plan = makePlan(push(branch), inputs(), now);
    const b = plan.builds[0]!;
    expect(b.tags.map((t) => t.tag)).toEqual([`branch-${branch}`, sha7]);
    expect(b.version).toBe(`branch-${branch}`);
    expect(b.tags[0]!.why).toBe(`default: branch name, renamed from '${branch}' (a reserved name)`);
    const notes = branchNotes(plan);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain(`branch '${branch}' gives the tag '${branch}', a name reserved for ${owner}`);
    expect(notes[0]).toMatch(new RegExp(`: it is tagged 'branch-${branch.replace(/\./g, '\\.')}' instead$`));
  });

  it.each(KINDS)('type=ref,event=branch: branch %s; the sha and raw lines keep their names', (branch) => {
    const plan = makePlan(push(branch), inputs({ tags: 'type=ref,event=branch\ntype=sha\ntype=raw,value=latest' }), now);
    const expected = branch === 'latest' ? ['latest', sha7] : [`branch-${branch}`, 'latest', sha7];
    expect(plan.builds[0]!.tags.map((t) => t.tag)).toEqual(expected);
    // A branch called latest gives way to the raw latest line, which owns that name.
    if (branch === 'latest') expect(plan.builds[0]!.tags[0]!.why).toBe('tags line 3: type=raw,value=latest');
  });

  it.each(KINDS)("a rule's {sourceref}: branch %s; a capture group is the rule's own choice", (branch) => {
    const rules = "- source-type: branch\n  source: /^(.+)$/\n  tag: '{sourceref},img-{\\1}'\n- source-type: branch\n  source: /^(.+)$/\n  tag: '{\\1}-cut'";
    const plan = makePlan(push(branch), inputs({ rules }), now);
    expect(summary(plan).map(([, , , tags]) => tags)).toEqual([[`branch-${branch}`, `img-${branch}`], [`${branch}-cut`]]);
    // A rule's version is its first tag other than latest.
    expect(plan.builds[0]!.version).toBe(branch === 'latest' ? 'img-latest' : `branch-${branch}`);
  });

  it('a tag another line gives on purpose is that line\'s: the branch tag of the same name gives way to it', () => {
    const plan = makePlan(push('1.2'), inputs({ tags: 'type=ref,event=branch\ntype=raw,value=1.2' }), now);
    expect(plan.builds[0]!.tags.map((t) => [t.tag, t.why])).toEqual([['1.2', 'tags line 2: type=raw,value=1.2']]);
    expect(branchNotes(plan)).toEqual([]);
  });

  it.each([
    ['prefix=app-', '1.2', ['app-branch-1.2', sha7]],
    ['suffix=-alpine', 'sha-abc1234', ['branch-sha-abc1234-alpine', `${sha7}-alpine`]],
    ['suffix=-alpine', '1', ['branch-1-alpine', `${sha7}-alpine`]],
    ['suffix=-slim,onlatest=true', 'latest', ['branch-latest-slim', `${sha7}-slim`]],
  ])('flavor %j: branch %s is renamed between the prefix and the suffix, as release tags carry them', (flavor, branch, tags) => {
    const plan = makePlan(push(branch), inputs({ flavor }), now);
    expect(plan.builds[0]!.tags.map((t) => t.tag)).toEqual(tags);
    expect(branchNotes(plan)[0]).toMatch(/between the flavor's prefix and suffix/);
  });
});
