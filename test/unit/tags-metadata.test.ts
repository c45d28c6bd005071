/**
 * The `tags` and `flavor` inputs against docker/metadata-action's documented behaviour: the
 * examples of its README and cases of its own test table, event by event.
 */
import { describe, expect, it } from 'vitest';
import type { Facts } from '../../src/context.js';
import { UserError } from '../../src/errors.js';
import { defaultTags } from '../../src/plan/defaults.js';
import { formatDate } from '../../src/plan/expressions.js';
import { evaluateTagRules, parseFlavor, parseTagRules } from '../../src/plan/metadata.js';
import { facts, HEAD_SHA, pullRequest, push, schedule, SHA, tagPush } from './facts.js';

const now = new Date('2020-01-10T00:30:00.000Z');
const sha7 = `sha-${SHA.slice(0, 7)}`;

function run(f: Facts, tags: string, flavor = ''): { tags: string[]; version: string; notes: string[] } {
  const r = evaluateTagRules(f, parseTagRules(tags), parseFlavor(flavor), now);
  return { tags: r.tags.map((t) => t.tag), version: r.version, notes: r.notes };
}

const SEMVER_EXAMPLE = `
type=ref,event=branch
type=ref,event=pr
type=semver,pattern={{version}}
type=semver,pattern={{major}}.{{minor}}
`;

// What metadata-action gives when `tags` is empty; users who relied on it write it out.
const METADATA_DEFAULTS = `
type=schedule
type=ref,event=branch
type=ref,event=tag
type=ref,event=pr
`;

describe('metadata-action README examples', () => {
  it.each([
    ['basic: pull request', pullRequest(2), METADATA_DEFAULTS, ['pr-2']],
    ['basic: push master', push('master'), METADATA_DEFAULTS, ['master']],
    ['basic: push releases/v1', push('releases/v1'), METADATA_DEFAULTS, ['releases-v1']],
    ['basic: tag v1.2.3', tagPush('v1.2.3'), METADATA_DEFAULTS, ['v1.2.3', 'latest']],
    ['basic: tag v2.0.8-beta.67', tagPush('v2.0.8-beta.67'), METADATA_DEFAULTS, ['v2.0.8-beta.67', 'latest']],
    ['basic: workflow_dispatch on master', push('master', { eventName: 'workflow_dispatch' }), METADATA_DEFAULTS, ['master']],
    ['basic: schedule', schedule(), METADATA_DEFAULTS, ['nightly', 'main']],
    ['semver: pull request', pullRequest(2), SEMVER_EXAMPLE, ['pr-2']],
    ['semver: push master', push('master'), SEMVER_EXAMPLE, ['master']],
    ['semver: push releases/v1', push('releases/v1'), SEMVER_EXAMPLE, ['releases-v1']],
    ['semver: tag v1.2.3', tagPush('v1.2.3'), SEMVER_EXAMPLE, ['1.2.3', '1.2', 'latest']],
    ['semver: tag v2.0.8-beta.67', tagPush('v2.0.8-beta.67'), SEMVER_EXAMPLE, ['2.0.8-beta.67']],
    ['bake: tag v1.2.3 with sha', tagPush('v1.2.3'), `${SEMVER_EXAMPLE}\ntype=sha`, ['1.2.3', '1.2', sha7, 'latest']],
  ])('%s', (_name, f, tags, expected) => {
    expect(run(f, tags).tags).toEqual(expected);
  });

  it.each([
    ['v1.2.3', '{{raw}}', ['v1.2.3']],
    ['v1.2.3', '{{version}}', ['1.2.3']],
    ['v1.2.3', '{{major}}.{{minor}}', ['1.2']],
    ['v1.2.3', 'v{{major}}', ['v1']],
    ['v1.2.3', '{{minor}}', ['2']],
    ['v1.2.3', '{{patch}}', ['3']],
    ['v2.0.8-beta.67', '{{raw}}', ['v2.0.8-beta.67']],
    ['v2.0.8-beta.67', '{{version}}', ['2.0.8-beta.67']],
    ['v2.0.8-beta.67', '{{major}}', ['2.0.8-beta.67']],
    ['v2.0.8-beta.67', '{{major}}.{{minor}}', ['2.0.8-beta.67']],
    ['v2.0.8-beta.67', 'v{{version}}', ['2.0.8-beta.67']],
  ])('type=semver: tag %s, pattern %s', (gitTag, pattern, expected) => {
    const out = run(tagPush(gitTag), `type=semver,pattern=${pattern}`, 'latest=false');
    expect(out.tags).toEqual(expected);
  });

  it.each([
    ['1.2.3', '{{raw}}', ['1.2.3']],
    ['1.2.3', '{{version}}', ['1.2.3']],
    ['1.2.3', '{{major}}.{{minor}}', ['1.2']],
    ['1.2.3', 'v{{major}}', ['v1']],
    ['1.2.3', '{{minor}}', ['2']],
    ['1.2.3', '{{patch}}', ['3']],
    ['1.2', '{{major}}.{{minor}}.{{patch}}', ['1.2.0']],
    ['1.2.3rc2', '{{raw}}', ['1.2.3rc2']],
    ['1.2.3rc2', '{{version}}', ['1.2.3rc2']],
    ['1.2.3rc2', '{{major}}.{{minor}}', ['1.2.3rc2']],
    ['1.2post1', '{{major}}.{{minor}}', ['1.2.post1']],
    ['1.0dev4', '{{version}}', ['1.0.dev4']],
    ['1.1beta2', '{{major}}.{{minor}}', ['1.1b2']],
  ])('type=pep440: tag %s, pattern %s', (gitTag, pattern, expected) => {
    expect(run(tagPush(gitTag), `type=pep440,pattern=${pattern}`, 'latest=false').tags).toEqual(expected);
  });

  it.each([
    ['v1.2.3', 'type=match,pattern=\\d.\\d.\\d', ['1.2.3', 'latest']],
    ['v2.0.8-beta.67', 'type=match,pattern=v(.*),group=1', ['2.0.8-beta.67', 'latest']],
    ['v2.0.8-beta.67', 'type=match,pattern=v(\\d.\\d),group=1', ['2.0', 'latest']],
    ['20200110-RC2', 'type=match,pattern=\\d+', ['20200110', 'latest']],
    ['p1/v1.2.3', 'type=match,pattern=p1/v(\\d.\\d.\\d),group=1', ['1.2.3', 'latest']],
    ['20200110-RC2', 'type=match,pattern=\\d{8}\ntype=raw,value=x', ['20200110', 'x', 'latest']],
    ['20200110-RC2', 'type=match,pattern=(.*)-RC,group=1', ['20200110', 'latest']],
    ['v2.0.8-beta.67', 'type=match,"pattern=v(.*)-beta.(.*)",group=1\ntype=match,"pattern=v(.*)-beta.(.*)",group=2', ['2.0.8', '67', 'latest']],
    ['sometag', 'type=match,"pattern=\\d.\\d"', []],
    ['v1.1.1', 'type=match,"pattern=/^V(\\d.\\d.\\d)$/i",group=1', ['1.1.1', 'latest']],
  ])('type=match: tag %s, %s', (gitTag, tags, expected) => {
    expect(run(tagPush(gitTag), tags).tags).toEqual(expected);
  });

  it.each([
    ['pull_request', pullRequest(2), 'type=ref,event=pr', ['pr-2']],
    ['push master', push('master'), 'type=ref,event=branch', ['master']],
    ['push my/branch', push('my/branch'), 'type=ref,event=branch', ['my-branch']],
    ['push tag v1.2.3', tagPush('v1.2.3'), 'type=ref,event=tag', ['v1.2.3', 'latest']],
    ['push tag my/tag', tagPush('my/tag'), 'type=ref,event=tag', ['my-tag', 'latest']],
    ['edge on the default branch', push('main'), 'type=edge', ['edge']],
    ['edge on another branch', push('dev'), 'type=edge', []],
    ['edge with branch=dev', push('dev'), 'type=edge,branch=dev', ['edge']],
    ['raw', push('dev'), 'type=raw,value=foo\ntype=raw,value=bar', ['foo', 'bar']],
    ['raw with a bare value', push('dev'), 'type=raw,foo', ['foo']],
    ['raw with an expression', push('dev'), 'type=raw,value={{branch}}-{{sha}}', [`dev-${SHA.slice(0, 7)}`]],
    ['raw latest only on the default branch', push('main'), 'type=raw,value=latest,enable={{is_default_branch}}', ['latest']],
    ['raw latest not on another branch', push('dev'), 'type=raw,value=latest,enable={{is_default_branch}}\ntype=ref,event=branch', ['dev']],
    ['sha', push('dev'), 'type=sha', [sha7]],
    ['sha long', push('dev'), 'type=sha,format=long', [`sha-${SHA}`]],
    ['sha without prefix', push('dev'), 'type=sha,prefix=', [SHA.slice(0, 7)]],
    ['sha of a pull request is the head commit', pullRequest(2), 'type=sha', [`sha-${HEAD_SHA.slice(0, 7)}`]],
    ['pr with a suffix', pullRequest(2), 'type=ref,event=pr,suffix=-{{sha}}', [`pr-2-${HEAD_SHA.slice(0, 7)}`]],
    ['schedule with a date pattern', schedule(), "type=schedule,pattern={{date 'YYYYMMDD'}}", ['20200110']],
    ['schedule with a date and time zone', schedule(), "type=schedule,pattern={{date 'YYYYMMDD-HHmm' tz='Asia/Tokyo'}}", ['20200110-0930']],
    ['schedule rule on a push', push('main'), 'type=schedule', []],
    ['branch names keep their case, as metadata-action does', push('feature/Login'), 'type=ref,event=branch', ['feature-Login']],
  ])('%s', (_name, f, tags, expected) => {
    expect(run(f, tags).tags).toEqual(expected);
  });
});

describe('metadata-action priorities, version and latest', () => {
  it.each([
    // push13: priority lifts ref above edge.
    ['priority orders the tags', push('master', { defaultBranch: 'master' }), 'type=ref,priority=2000,event=branch\ntype=edge', '', ['master', 'edge'], 'master'],
    ['without priority edge (700) comes before ref (600)', push('master', { defaultBranch: 'master' }), 'type=ref,event=branch\ntype=edge', '', ['edge', 'master'], 'edge'],
    // push07
    ['branch and sha', push('dev'), 'type=ref,event=branch\ntype=sha', '', ['dev', sha7], 'dev'],
    // push10: edge for another branch gives nothing, sha becomes the version.
    ['edge on another branch leaves sha', push('master'), 'type=edge,branch=dev\ntype=sha', '', [sha7], sha7],
    // tag11
    ['semver fan-out', tagPush('v1.1.1'), 'type=semver,pattern={{version}}\ntype=semver,pattern={{major}}.{{minor}}\ntype=semver,pattern={{major}}', '', ['1.1.1', '1.1', '1', 'latest'], '1.1.1'],
    // tag12: a pattern that repeats the version gives it once.
    ['repeated version once', tagPush('v1.1.1'), 'type=semver,pattern={{version}}\ntype=semver,pattern={{major}}.{{minor}}.{{patch}}', '', ['1.1.1', 'latest'], '1.1.1'],
    // tag13
    ['pre-release: only the version, no latest', tagPush('v2.0.8-beta.67'), 'type=semver,pattern={{major}}.{{minor}}\ntype=semver,pattern={{major}}', '', ['2.0.8-beta.67'], '2.0.8-beta.67'],
    // tag14
    ['non-semver tag with semver lines', tagPush('sometag'), 'type=ref,event=tag\ntype=semver,pattern={{version}}\ntype=semver,pattern={{major}}.{{minor}}\ntype=semver,pattern={{major}}', 'latest=false', ['sometag'], 'sometag'],
    // tag15: a raw value with a higher priority decides latest (raw: false).
    ['raw first decides latest=false', tagPush('v2.0.8-beta.67'), 'type=raw,priority=2000,foo\ntype=semver,pattern={{version}}\ntype=match,"pattern=\\d.\\d"', '', ['foo', '2.0.8-beta.67', '2.0'], 'foo'],
    // tag16
    ['raw first with ref tag', tagPush('v1.1.1'), 'type=raw,priority=2000,foo\ntype=ref,event=tag\ntype=edge', '', ['foo', 'v1.1.1'], 'foo'],
    // tag23
    ['pep440 raw and major.minor', tagPush('v1.1.1'), 'type=pep440,pattern={{raw}}\ntype=pep440,pattern={{major}}.{{minor}}', '', ['v1.1.1', '1.1', 'latest'], 'v1.1.1'],
    ['flavor latest=true on a branch', push('dev'), 'type=ref,event=branch', 'latest=true', ['dev', 'latest'], 'dev'],
    ['flavor latest=false on a release', tagPush('v1.2.3'), 'type=semver,pattern={{version}}', 'latest=false', ['1.2.3'], '1.2.3'],
    ['flavor prefix and suffix', tagPush('v1.2.3'), 'type=semver,pattern={{version}}\ntype=sha', 'prefix=app-\nsuffix=-slim', ['app-1.2.3-slim', `${sha7}-slim`, 'latest'], 'app-1.2.3-slim'],
    ['flavor onlatest', tagPush('v1.2.3'), 'type=semver,pattern={{version}}', 'prefix=app-,onlatest=true\nsuffix=-slim,onlatest=true', ['app-1.2.3-slim', 'app-latest-slim'], 'app-1.2.3-slim'],
    ['a rule prefix wins over the flavor prefix', tagPush('v1.2.3'), 'type=semver,pattern={{version}},prefix=v', 'prefix=app-', ['v1.2.3', 'latest'], 'v1.2.3'],
    ['semver value= on a branch push', push('main'), 'type=semver,pattern={{major}}.{{minor}},value=v3.4.5', '', ['3.4', 'latest'], '3.4'],
    ['semver match= picks the version out of a tag', tagPush('p1/v1.0.0'), 'type=semver,pattern={{version}},match=v(\\d.\\d.\\d)$', '', ['1.0.0', 'latest'], '1.0.0'],
    // The same /regex/flags forms type=match accepts.
    ['semver match= as /regex/flags', tagPush('P1/V1.0.0'), 'type=semver,pattern={{version}},match=/v(\\d.\\d.\\d)$/i', '', ['1.0.0', 'latest'], '1.0.0'],
    ['semver match= as /regex/ without flags', tagPush('p1/v1.0.0'), 'type=semver,pattern={{version}},match=/v(\\d.\\d.\\d)$/', '', ['1.0.0', 'latest'], '1.0.0'],
    ['pep440 match= as /regex/flags', tagPush('PKG-V1.2.3'), 'type=pep440,pattern={{version}},match=/v(.*)$/i', '', ['1.2.3', 'latest'], '1.2.3'],
    ['enable=false drops a line', tagPush('v1.2.3'), 'type=semver,pattern={{version}}\ntype=semver,pattern={{major}},enable=false', '', ['1.2.3', 'latest'], '1.2.3'],
    ['is_not_default_branch', push('dev'), 'type=raw,value=preview,enable={{is_not_default_branch}}', '', ['preview'], 'preview'],
    ['base_ref of a pull request', pullRequest(3), 'type=raw,value=into-{{base_ref}}', '', ['into-main'], 'into-main'],
    ['base_ref of a tag pushed from a branch', tagPush('v1.0.0', { baseRef: 'release' }), 'type=raw,value={{base_ref}}-{{tag}}', '', ['release-v1.0.0'], 'release-v1.0.0'],
    ['is_default_branch is true on a schedule', schedule({ ref: 'refs/heads/main' }), 'type=raw,value=stable,enable={{is_default_branch}}', '', ['stable'], 'stable'],
    ['commit_date', push('dev'), "type=raw,value={{commit_date 'YYYY.MM.DD'}}", '', ['2026.01.02'], '2026.01.02'],
    ['comments and blank lines are skipped', push('dev'), '# a comment\n\ntype=ref,event=branch\n', '', ['dev'], 'dev'],
  ])('%s', (_name, f, tags, flavor, expected, version) => {
    const out = run(f, tags, flavor);
    expect(out.tags).toEqual(expected);
    expect(out.version).toBe(version);
  });

  it('notes a semver line that does not match, as metadata-action warns', () => {
    const out = run(tagPush('sometag'), 'type=ref,event=tag\ntype=semver,pattern={{version}}');
    expect(out.notes.join('\n')).toContain("'sometag' is not a valid semver version");
  });

  it('says which line made each tag', () => {
    const r = evaluateTagRules(tagPush('v1.2.3'), parseTagRules('type=sha\ntype=semver,pattern={{major}}'), parseFlavor(''), now);
    expect(r.tags.map((t) => [t.tag, t.why])).toEqual([
      ['1', 'tags line 2: type=semver,pattern={{major}}'],
      [sha7, 'tags line 1: type=sha'],
      ['latest', 'flavor latest=auto: the highest-priority line with a value (tags line 2) is a release'],
    ]);
  });

  it('marks the moving semver tags of a release, by what their pattern keeps', () => {
    const r = evaluateTagRules(
      tagPush('v1.4.9'),
      parseTagRules('type=semver,pattern={{version}}\ntype=semver,pattern={{major}}.{{minor}}\ntype=semver,pattern=v{{major}}\ntype=semver,pattern=stable\ntype=semver,pattern={{raw}}'),
      parseFlavor('suffix=-alpine'),
      now,
    );
    expect(r.tags.map((t) => [t.tag, t.moves])).toEqual([
      ['1.4.9-alpine', undefined],
      ['1.4-alpine', 'minor'],
      ['v1-alpine', 'major'],
      ['stable-alpine', 'latest'],
      ['v1.4.9-alpine', undefined],
      ['latest', 'latest'],
    ]);
    expect(r.release).toMatchObject({ version: '1.4.9', affixes: [{ prefix: '', suffix: '-alpine' }, { prefix: 'v', suffix: '-alpine' }] });
  });

  it('metadata-action defaults on a tag: latest moves with the git tag as the release', () => {
    const r = evaluateTagRules(tagPush('v1.4.9'), parseTagRules(METADATA_DEFAULTS), parseFlavor(''), now);
    expect(r.tags.map((t) => [t.tag, t.moves, t.release])).toEqual([
      ['v1.4.9', undefined, undefined],
      ['latest', 'latest', '1.4.9'],
    ]);
    expect(r.release?.affixes).toEqual([{ prefix: 'v', suffix: '' }]);
  });

  it('a branch push has no release, so nothing is guarded', () => {
    const r = evaluateTagRules(push('main'), parseTagRules('type=raw,value=latest'), parseFlavor(''), now);
    expect(r.release).toBeUndefined();
    expect(r.tags[0]!.moves).toBeUndefined();
  });
});

describe('parsing the tags and flavor inputs', () => {
  it('reads quoted fields with commas, as metadata-action does with csv-parse', () => {
    const [rule] = parseTagRules('type=match,"pattern=v(\\d+),(\\d+)",group=2');
    expect(rule!.attrs.pattern).toBe('v(\\d+),(\\d+)');
    expect(rule!.attrs.group).toBe('2');
  });

  it('keeps everything after the first = (metadata-action cuts at the second)', () => {
    expect(parseTagRules('type=raw,value=a=b')[0]!.attrs.value).toBe('a=b');
  });

  it('fills in defaults and priorities', () => {
    const rules = parseTagRules('type=sha\ntype=ref,event=pr\ntype=schedule\ntype=raw,value=x,priority=5000\nvalue=y');
    expect(rules.map((r) => [r.type, r.priority, r.attrs.prefix, r.attrs.pattern])).toEqual([
      ['raw', 5000, undefined, undefined],
      ['schedule', 1000, undefined, 'nightly'],
      ['ref', 600, 'pr-', undefined],
      ['raw', 200, undefined, undefined],
      ['sha', 100, 'sha-', undefined],
    ]);
  });

  it.each([
    ['type=foo', /line 1 \('type=foo'\): unknown type 'foo' \(accepted: schedule, semver, pep440, match, edge, ref, raw, sha\)/],
    ['type=semver', /type=semver needs a pattern/],
    ['type=pep440,pattern=', /type=pep440 needs a pattern/],
    ['type=match', /type=match needs a pattern/],
    ['type=match,pattern=(', /pattern \( is not a valid regular expression/],
    ['type=match,pattern=x,group=a', /group 'a' is not a group number/],
    ['type=match,pattern=/v(.*)/q', /pattern \/v\(\.\*\)\/q is not a valid regular expression/],
    // match= of semver/pep440 is checked when the input is read, not on the first tag push.
    ['type=semver,pattern={{version}},match=(', /line 1 \('type=semver,pattern=\{\{version\}\},match=\('\): match \( is not a valid regular expression: .*\(accepted: a JavaScript regular expression, or \/regex\/flags\)/],
    ['type=pep440,pattern={{version}},match=v(\\d+', /match v\(\\d\+ is not a valid regular expression/],
    ['type=semver,pattern={{version}},match=/v(.*)/z', /match \/v\(\.\*\)\/z is not a valid regular expression/],
    ['type=semver,pattern={{version}},match=v\\d+', /match=v\\d\+ has no capture group; the version is group 1/],
    ['type=ref', /type=ref needs event=branch, event=tag or event=pr/],
    ['type=ref,event=push', /event 'push' is not accepted/],
    ['type=raw', /type=raw needs a value/],
    ['type=sha,format=medium', /format 'medium' is not accepted/],
    ['type=raw,value=x,priority=high', /priority 'high' is not a number/],
    ['type=raw,value=x,enabel=false', /unknown attribute 'enabel' for type=raw \(accepted: type, enable, priority, prefix, suffix, value\)/],
    ['type=raw,value={{brnach}}', /value= uses the unknown expression \{\{brnach\}\}/],
    ['type=semver,pattern={{mayor}}', /pattern= uses the unknown expression \{\{mayor\}\}/],
    ['type=raw,"value=a', /line 1 .* cannot be read: .*Quote a whole field/],
    ['type=raw,value=x\ntype=nope', /line 2 \('type=nope'\)/],
  ])('refuses %j naming the input and line', (input, message) => {
    expect(() => parseTagRules(input)).toThrow(UserError);
    expect(() => parseTagRules(input)).toThrow(/^Input 'tags', line \d/);
    expect(() => parseTagRules(input)).toThrow(message);
  });

  it('refuses an enable= that is not true or false, naming the line', () => {
    const rules = parseTagRules('type=raw,value=x,enable={{branch}}');
    expect(() => evaluateTagRules(push('main'), rules, parseFlavor(''), now)).toThrow(/Input 'tags', line 1 .*enable= gave 'main', expected true or false/);
  });

  // metadata-action renders with Handlebars, which reads a bare word as the name of a value to
  // look up: {{date YYYYMMDD}} there gives moment's default date (2020-01-10T00:30:00Z), not 20200110.
  it.each([
    [
      'type=schedule,pattern={{date YYYYMMDD}}',
      "Input 'tags', line 1 ('type=schedule,pattern={{date YYYYMMDD}}'): pattern={{date YYYYMMDD}}: {{date YYYYMMDD}} has its format without quotes: metadata-action reads a bare word there as the name of a value, not as a format, and gives its default date instead; use {{date 'YYYYMMDD'}} with the format in quotes (accepted: {{date 'FORMAT'}}, optionally with tz='ZONE', e.g. {{date 'YYYYMMDD' tz='Europe/Paris'}}).",
    ],
    [
      'type=raw,value=x\ntype=raw,value=build-{{commit_date YYYY.MM.DD tz=Asia/Tokyo}}',
      "Input 'tags', line 2 ('type=raw,value=build-{{commit_date YYYY.MM.DD tz=Asia/Tokyo}}'): value=build-{{commit_date YYYY.MM.DD tz=Asia/Tokyo}}: {{commit_date YYYY.MM.DD tz=Asia/Tokyo}} has its format without quotes: metadata-action reads a bare word there as the name of a value, not as a format, and gives its default date instead; use {{commit_date 'YYYY.MM.DD' tz='Asia/Tokyo'}} with the format in quotes (accepted: {{commit_date 'FORMAT'}}, optionally with tz='ZONE', e.g. {{commit_date 'YYYYMMDD' tz='Europe/Paris'}}).",
    ],
    [
      "type=schedule,pattern={{date 'YYYYMMDD' tz=Asia/Tokyo}}",
      "Input 'tags', line 1 ('type=schedule,pattern={{date 'YYYYMMDD' tz=Asia/Tokyo}}'): pattern={{date 'YYYYMMDD' tz=Asia/Tokyo}}: {{date 'YYYYMMDD' tz=Asia/Tokyo}} has its time zone without quotes: metadata-action reads a bare word there as the name of a value, and fails; use {{date 'YYYYMMDD' tz='Asia/Tokyo'}} with the zone in quotes (accepted: {{date 'FORMAT'}}, optionally with tz='ZONE', e.g. {{date 'YYYYMMDD' tz='Europe/Paris'}}).",
    ],
    ['type=schedule,pattern=nightly-{{date}}', /^Input 'tags', line 1 .*: \{\{date\}\} has no format, and metadata-action fails without one; give it one in quotes \(accepted: \{\{date 'FORMAT'\}\}/],
    ["type=schedule,pattern={{date 'YYYY' 'MM'}}", /^Input 'tags', line 1 .*: \{\{date 'YYYY' 'MM'\}\} has more than one format, and metadata-action fails on that \(accepted:/],
  ])('refuses a {{date}} metadata-action would read otherwise: %j', (input, message) => {
    expect(() => parseTagRules(input)).toThrow(UserError);
    expect(() => parseTagRules(input)).toThrow(message);
  });

  it('refuses an unquoted {{date}} format in the flavor, naming the input and the line', () => {
    expect(() => parseFlavor('latest=auto\nsuffix=-{{date YYYYMMDD}}')).toThrow(
      "Input 'flavor', line 2 ('suffix=-{{date YYYYMMDD}}'): suffix=-{{date YYYYMMDD}}: {{date YYYYMMDD}} has its format without quotes: metadata-action reads a bare word there as the name of a value, not as a format, and gives its default date instead; use {{date 'YYYYMMDD'}} with the format in quotes (accepted: {{date 'FORMAT'}}, optionally with tz='ZONE', e.g. {{date 'YYYYMMDD' tz='Europe/Paris'}}).",
    );
  });

  it('refuses an unknown time zone, naming the line', () => {
    const rules = parseTagRules("type=schedule,pattern={{date 'YYYY' tz='Mars/Olympus'}}");
    expect(() => evaluateTagRules(schedule(), rules, parseFlavor(''), now)).toThrow(/Input 'tags', line 1 .*unknown time zone tz='Mars\/Olympus'/);
  });

  it('refuses an unknown time zone in the flavor, naming the flavor on both paths', () => {
    const flavor = parseFlavor("prefix={{date 'YYYY' tz='Mars/Olympus'}}-");
    expect(() => evaluateTagRules(schedule(), parseTagRules('type=schedule'), flavor, now)).toThrow(/^Input 'flavor': prefix=.*unknown time zone tz='Mars\/Olympus'/);
    expect(() => defaultTags(schedule(), flavor, now)).toThrow(/^Input 'flavor': prefix=.*unknown time zone tz='Mars\/Olympus'/);
  });

  it.each([
    ['', { latest: 'auto', prefix: '', prefixLatest: false, suffix: '', suffixLatest: false }],
    ['latest=false', { latest: 'false' }],
    ['latest=true,prefix=a-', { latest: 'true', prefix: 'a-' }],
    ['prefix=a-,onlatest=true\nsuffix=-b', { prefix: 'a-', prefixLatest: true, suffix: '-b', suffixLatest: false }],
    ['suffix=-b,onlatest=true', { suffix: '-b', suffixLatest: true }],
  ])('flavor %j', (input, expected) => {
    expect(parseFlavor(input)).toMatchObject(expected);
  });

  it.each([
    ['latest=maybe', /Input 'flavor', line 1 \('latest=maybe'\): latest 'maybe' is not accepted \(expected auto, true or false\)/],
    ['lates=true', /unknown key 'lates' \(accepted: latest, prefix, suffix, onlatest\)/],
    ['prefix={{brnach}}-', /Input 'flavor', line 1 \('prefix=\{\{brnach\}\}-'\): prefix= uses the unknown expression \{\{brnach\}\} \(known here: \{\{branch\}\}/],
    ['suffix=-{{version}}', /Input 'flavor', line 1 .*suffix= uses the unknown expression \{\{version\}\}/],
    ['prefix', /'prefix' is not key=value/],
    ['onlatest=true', /onlatest= must follow prefix= or suffix=/],
    ['prefix=a,onlatest=yes', /onlatest 'yes' is not accepted/],
  ])('refuses flavor %j', (input, message) => {
    expect(() => parseFlavor(input)).toThrow(message);
  });
});

describe('{{date}} formats (moment tokens)', () => {
  const d = new Date('2026-03-04T05:06:07.089Z');
  it.each([
    ['YYYYMMDD', 'UTC', '20260304'],
    ['YYYY-MM-DD HH:mm:ss.SSS', 'UTC', '2026-03-04 05:06:07.089'],
    ['YY M D H m s', 'UTC', '26 3 4 5 6 7'],
    ['ddd dddd MMM MMMM Do', 'UTC', 'Wed Wednesday Mar March 4th'],
    ['hh:mm A', 'America/New_York', '12:06 AM'],
    ['YYYYMMDD', 'America/Los_Angeles', '20260303'],
    ['Z ZZ', 'Asia/Kolkata', '+05:30 +0530'],
    ['[week] W, GGGG', 'UTC', 'week 10, 2026'],
    ['X', 'UTC', String(Math.floor(d.getTime() / 1000))],
    ['DDDD Q', 'UTC', '063 1'],
  ])('%s in %s', (format, tz, expected) => {
    expect(formatDate(d, format, tz)).toBe(expected);
  });

  it('ISO weeks across the year boundary', () => {
    expect(formatDate(new Date('2027-01-01T12:00:00Z'), 'GGGG-[W]WW')).toBe('2026-W53');
    expect(formatDate(new Date('2024-12-30T12:00:00Z'), 'GGGG-[W]WW')).toBe('2025-W01');
  });
});

it('facts helper sanity: a tag push has no branch', () => {
  expect(facts('refs/tags/v1').branch).toBeUndefined();
});
