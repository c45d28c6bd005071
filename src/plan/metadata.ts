/**
 * The `tags` and `flavor` inputs in docker/metadata-action's grammar: parsing (at input time)
 * and evaluation against the event (at plan time). Pure.
 *
 * The evaluation follows metadata-action: rules sorted by priority (highest first, stable),
 * the first rule that yields a value gives the version and, with `latest=auto`, decides
 * whether `latest` is added; values get the rule's prefix/suffix (or the flavor's), and are
 * sanitised with `[^a-zA-Z0-9._-]+` -> `-`.
 */
import * as pep440 from '@renovatebot/pep440';
import { parse as parseCsv } from 'csv-parse/sync';
import * as semver from 'semver';
import type { Facts } from '../context.js';
import { UserError } from '../errors.js';
import { checkDateArguments, dateHelper, ExpressionError, expressionNames, isSingleExpression, render, value, type Helper } from './expressions.js';
import { compileRegex, groupCount } from './regex.js';
import { affixesOf, releaseVersion, type ReleaseInfo } from './semver.js';
import { dedupeTags, sanitizeTag, shortSha, type Moves, type TagDecision } from './tags.js';

export const TAG_TYPES = ['schedule', 'semver', 'pep440', 'match', 'edge', 'ref', 'raw', 'sha'] as const;
export type TagType = (typeof TAG_TYPES)[number];

export const DEFAULT_PRIORITY: Record<TagType, number> = {
  schedule: 1000,
  semver: 900,
  pep440: 900,
  match: 800,
  edge: 700,
  ref: 600,
  raw: 200,
  sha: 100,
};

const COMMON = ['type', 'enable', 'priority', 'prefix', 'suffix'];
const ATTRIBUTES: Record<TagType, string[]> = {
  schedule: ['pattern'],
  semver: ['pattern', 'value', 'match'],
  pep440: ['pattern', 'value', 'match'],
  match: ['pattern', 'group', 'value'],
  edge: ['branch'],
  ref: ['event'],
  raw: ['value'],
  sha: ['format'],
};

/** One line of the `tags` input. */
export interface TagRule {
  /** 1-based line number among the input's non-empty, non-comment lines. */
  line: number;
  /** The line as written, for messages. */
  text: string;
  type: TagType;
  /** Every attribute, defaults filled in as metadata-action does (`prefix=sha-` for sha, ...). */
  attrs: Record<string, string>;
  priority: number;
}

export interface Flavor {
  latest: 'auto' | 'true' | 'false';
  prefix: string;
  prefixLatest: boolean;
  suffix: string;
  suffixLatest: boolean;
}

export const DEFAULT_FLAVOR: Flavor = { latest: 'auto', prefix: '', prefixLatest: false, suffix: '', suffixLatest: false };

function lines(value: string): string[] {
  return value
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s && !s.startsWith('#'));
}

/** Splits one `key=value,key=value` line like metadata-action (CSV: quote a field that holds a comma). */
function fields(input: string, line: string, n: number): [string | undefined, string][] {
  let rows: string[][];
  try {
    rows = parseCsv(line, { relaxColumnCount: true, skipEmptyLines: true }) as string[][];
  } catch (error) {
    throw new UserError(
      `Input '${input}', line ${n} ('${line}') cannot be read: ${(error as Error).message.split('\n')[0]}. Quote a whole field that holds a comma or a quote: "value=a,b".`,
    );
  }
  return (rows[0] ?? []).map((field) => {
    const eq = field.indexOf('=');
    return eq < 0 ? [undefined, field.trim()] : [field.slice(0, eq).trim().toLowerCase(), field.slice(eq + 1).trim()];
  });
}

function tagsError(n: number, text: string, message: string): never {
  throw new UserError(`Input 'tags', line ${n} ('${text}'): ${message}.`);
}

/** Parses the `tags` input: one rule a line. Errors name the input, the line and what is accepted. */
export function parseTagRules(input: string): TagRule[] {
  const rules: TagRule[] = [];
  lines(input).forEach((text, i) => {
    const n = i + 1;
    const attrs: Record<string, string> = {};
    let type: TagType = 'raw';
    for (const [key, val] of fields('tags', text, n)) {
      if (key === undefined) {
        attrs.value = val;
      } else if (key === 'type') {
        if (!(TAG_TYPES as readonly string[]).includes(val)) tagsError(n, text, `unknown type '${val}' (accepted: ${TAG_TYPES.join(', ')})`);
        type = val as TagType;
      } else {
        attrs[key] = val;
      }
    }
    const accepted = [...COMMON, ...ATTRIBUTES[type]];
    for (const key of Object.keys(attrs)) {
      if (!accepted.includes(key)) tagsError(n, text, `unknown attribute '${key}' for type=${type} (accepted: ${accepted.join(', ')})`);
    }
    const has = (k: string): boolean => Object.prototype.hasOwnProperty.call(attrs, k);
    switch (type) {
      case 'schedule':
        if (!has('pattern')) attrs.pattern = 'nightly';
        break;
      case 'semver':
      case 'pep440':
        if (!has('pattern') || !attrs.pattern) tagsError(n, text, `type=${type} needs a pattern, e.g. pattern={{version}} or pattern={{major}}.{{minor}}`);
        attrs.value ??= '';
        attrs.match ??= '';
        if (attrs.match) {
          // The version is the first capture group of match=, as in metadata-action.
          const regex = checkRegex(n, text, 'match', attrs.match);
          if (groupCount(regex) < 1) tagsError(n, text, `match=${attrs.match} has no capture group; the version is group 1, e.g. match=v(\\d.*)`);
        }
        break;
      case 'match':
        if (!has('pattern') || !attrs.pattern) tagsError(n, text, 'type=match needs a pattern (a regular expression), e.g. pattern=v(.*),group=1');
        attrs.group ??= '0';
        if (!/^\d+$/.test(attrs.group)) tagsError(n, text, `group '${attrs.group}' is not a group number`);
        attrs.value ??= '';
        checkRegex(n, text, 'pattern', attrs.pattern!);
        break;
      case 'edge':
        attrs.branch ??= '';
        break;
      case 'ref':
        if (!has('event')) tagsError(n, text, 'type=ref needs event=branch, event=tag or event=pr');
        if (!['branch', 'tag', 'pr'].includes(attrs.event!)) tagsError(n, text, `event '${attrs.event}' is not accepted (expected branch, tag or pr)`);
        if (attrs.event === 'pr' && !has('prefix')) attrs.prefix = 'pr-';
        break;
      case 'raw':
        if (!has('value')) tagsError(n, text, 'type=raw needs a value, e.g. type=raw,value=stable');
        break;
      case 'sha':
        if (!has('prefix')) attrs.prefix = 'sha-';
        attrs.format ??= 'short';
        if (!['short', 'long'].includes(attrs.format)) tagsError(n, text, `format '${attrs.format}' is not accepted (expected short or long)`);
        break;
    }
    attrs.enable ??= 'true';
    const priority = has('priority') ? Number(attrs.priority) : DEFAULT_PRIORITY[type];
    if (!Number.isFinite(priority)) tagsError(n, text, `priority '${attrs.priority}' is not a number`);
    for (const [key, template] of Object.entries(attrs)) {
      // match= and a match rule's pattern= are regular expressions, not templates.
      if (key === 'match' || (key === 'pattern' && type === 'match')) continue;
      const names = key === 'pattern' && type === 'semver' ? [...GLOBAL_NAMES, ...SEMVER_NAMES] : key === 'pattern' && type === 'pep440' ? [...GLOBAL_NAMES, ...PEP440_NAMES] : GLOBAL_NAMES;
      checkTemplate(n, text, key, template, names);
    }
    rules.push({ line: n, text, type, attrs, priority });
  });
  // Highest priority first; equal priorities keep their order (Array.prototype.sort is stable).
  return rules.sort((a, b) => b.priority - a.priority);
}

/** A regular expression of a `tags` line, `re` or `/re/flags`, compiled; an error names the line and the attribute. */
function checkRegex(n: number, text: string, key: string, pattern: string): RegExp {
  try {
    return compileRegex(pattern, { bare: true });
  } catch (error) {
    tagsError(n, text, `${key} ${pattern} is not a valid regular expression: ${(error as Error).message} (accepted: a JavaScript regular expression, or /regex/flags)`);
  }
}

const GLOBAL_NAMES = ['branch', 'tag', 'sha', 'base_ref', 'is_default_branch', 'is_not_default_branch', 'date', 'commit_date'];
const SEMVER_NAMES = ['raw', 'version', 'major', 'minor', 'patch', 'prerelease', 'build'];
const PEP440_NAMES = ['raw', 'version', 'major', 'minor', 'patch'];

/** What is wrong with a `key=` template, for the input's error: an unknown expression, or date arguments metadata-action reads otherwise. */
function templateProblem(key: string, template: string, known: string[]): string | undefined {
  const unknown = expressionNames(template).find((name) => !known.includes(name));
  if (unknown !== undefined) return `${key}= uses the unknown expression {{${unknown}}} (known here: ${known.map((x) => `{{${x}}}`).join(' ')})`;
  try {
    checkDateArguments(template);
  } catch (error) {
    if (error instanceof ExpressionError) return `${key}=${template}: ${error.message}`;
    throw error;
  }
  return undefined;
}

function checkTemplate(n: number, text: string, key: string, template: string, known: string[]): void {
  const problem = templateProblem(key, template, known);
  if (problem) tagsError(n, text, problem);
}

/** Parses the `flavor` input: `latest=auto|true|false`, `prefix=`, `suffix=`, each optionally followed by `onlatest=true`. */
export function parseFlavor(input: string): Flavor {
  const flavor: Flavor = { ...DEFAULT_FLAVOR };
  lines(input).forEach((text, i) => {
    const n = i + 1;
    let onlatestFor: 'prefix' | 'suffix' | '' = '';
    for (const [key, val] of fields('flavor', text, n)) {
      const fail = (message: string): never => {
        throw new UserError(`Input 'flavor', line ${n} ('${text}'): ${message}.`);
      };
      switch (key) {
        case undefined:
          fail(`'${val}' is not key=value (accepted: latest=auto|true|false, prefix=, suffix=, onlatest=true|false)`);
          break;
        case 'latest':
          if (!['auto', 'true', 'false'].includes(val)) fail(`latest '${val}' is not accepted (expected auto, true or false)`);
          flavor.latest = val as Flavor['latest'];
          break;
        case 'prefix':
        case 'suffix':
          {
            const problem = templateProblem(key, val, GLOBAL_NAMES);
            if (problem) fail(problem);
          }
          flavor[key] = val;
          onlatestFor = key;
          break;
        case 'onlatest':
          if (!['true', 'false'].includes(val)) fail(`onlatest '${val}' is not accepted (expected true or false)`);
          if (onlatestFor === 'prefix') flavor.prefixLatest = val === 'true';
          else if (onlatestFor === 'suffix') flavor.suffixLatest = val === 'true';
          else fail('onlatest= must follow prefix= or suffix= on the same line');
          break;
        default:
          fail(`unknown key '${key}' (accepted: latest, prefix, suffix, onlatest)`);
      }
    }
  });
  return flavor;
}

// ---- evaluation -------------------------------------------------------------------------

/** What the `tags` rules (or the defaults) decided for one event. */
export interface TagResult {
  tags: TagDecision[];
  /** metadata-action's `version`: the value of the first rule that produced one. */
  version: string;
  /** Set when this event releases a version: the moving-tag guard needs it. */
  release?: ReleaseInfo;
  /** Things a user should know (a semver rule that did not match, ...). */
  notes: string[];
}

/** The event as metadata-action's expressions see it. */
export interface EventView {
  branch: string;
  tag: string;
  sha: string;
  baseRef: string;
  isDefaultBranch: boolean;
  now: Date;
  commitDate?: Date;
}

export function eventView(facts: Facts, now: Date): EventView {
  const branch = facts.refType === 'branch' ? (facts.branch ?? '') : '';
  // As metadata-action: the ref without refs/heads/ is compared with the default branch, and
  // create, discussion, issues and schedule events always run on the default branch.
  const refName = facts.ref.replace(/^refs\/heads\//, '');
  // A pull-request context (pull_request_target keeps the base branch's ref) never is.
  const isDefault = !facts.pr && refName !== '' && (refName === facts.defaultBranch || /create|discussion|issues|schedule/.test(facts.eventName));
  return {
    branch,
    tag: facts.refType === 'tag' ? (facts.tag ?? '') : '',
    sha: facts.sha,
    baseRef: facts.baseRef ?? '',
    isDefaultBranch: isDefault,
    now,
    commitDate: facts.commitTime ? new Date(facts.commitTime) : undefined,
  };
}

export function globalHelpers(view: EventView): Record<string, Helper> {
  return {
    branch: value(view.branch),
    tag: value(view.tag),
    sha: value(shortSha(view.sha)),
    base_ref: value(view.baseRef),
    is_default_branch: value(String(view.isDefaultBranch)),
    is_not_default_branch: value(String(!view.isDefaultBranch)),
    date: dateHelper(view.now, 'date'),
    commit_date: dateHelper(view.commitDate ?? view.now, 'commit_date'),
  };
}

/**
 * The flavor with the `{{...}}` expressions of its prefix and suffix rendered for this event, as
 * metadata-action renders them on every value. The defaults and the `tags` lines both use it.
 */
export function expandFlavor(flavor: Flavor, facts: Facts, now: Date): Flavor {
  const helpers = globalHelpers(eventView(facts, now));
  const expand = (key: 'prefix' | 'suffix'): string => {
    try {
      return render(flavor[key], helpers);
    } catch (error) {
      if (error instanceof ExpressionError) throw new UserError(`Input 'flavor': ${key}=${flavor[key]}: ${error.message}.`);
      throw error;
    }
  };
  return { ...flavor, prefix: expand('prefix'), suffix: expand('suffix') };
}

interface Produced {
  value: string;
  latest: boolean;
  moves?: Moves;
  /** The value is the branch name (`type=ref,event=branch`): see TagDecision.fromBranch. */
  fromBranch?: boolean;
  /** A release version read by a semver/pep440 rule. */
  version?: { text: string; scheme: 'semver' | 'pep440'; prerelease: boolean };
}

class Evaluator {
  private readonly helpers: Record<string, Helper>;
  readonly notes: string[] = [];

  constructor(
    private readonly facts: Facts,
    private readonly flavor: Flavor,
    private readonly view: EventView,
  ) {
    this.helpers = globalHelpers(view);
  }

  private expand(rule: TagRule, key: string, template: string, extra: Record<string, Helper> = {}): string {
    try {
      return render(template, { ...this.helpers, ...extra });
    } catch (error) {
      if (error instanceof ExpressionError) throw new UserError(`Input 'tags', line ${rule.line} ('${rule.text}'): ${key}=: ${error.message}.`);
      throw error;
    }
  }

  private affix(rule: TagRule, val: string): string {
    const has = (k: string): boolean => Object.prototype.hasOwnProperty.call(rule.attrs, k);
    // The flavor's prefix and suffix are already rendered (expandFlavor); a line's own are rendered here.
    val = has('prefix') ? `${this.expand(rule, 'prefix', rule.attrs.prefix!)}${val}` : `${this.flavor.prefix}${val}`;
    val = has('suffix') ? `${val}${this.expand(rule, 'suffix', rule.attrs.suffix!)}` : `${val}${this.flavor.suffix}`;
    return val;
  }

  private latest(auto: boolean): boolean {
    return this.flavor.latest === 'auto' ? auto : this.flavor.latest === 'true';
  }

  enabled(rule: TagRule): boolean {
    const v = this.expand(rule, 'enable', rule.attrs.enable!);
    if (v !== 'true' && v !== 'false') {
      throw new UserError(`Input 'tags', line ${rule.line} ('${rule.text}'): enable= gave '${v}', expected true or false.`);
    }
    return v === 'true';
  }

  produce(rule: TagRule): Produced | undefined {
    const { facts, view } = this;
    const a = rule.attrs;
    const isTag = facts.refType === 'tag';
    switch (rule.type) {
      case 'schedule': {
        if (!/schedule/.test(facts.eventName)) return undefined;
        return { value: this.affix(rule, this.expand(rule, 'pattern', a.pattern!)), latest: this.latest(false) };
      }
      case 'semver':
      case 'pep440': {
        if (!isTag && !a.value) return undefined;
        let raw = a.value ? this.expand(rule, 'value', a.value) : view.tag;
        if (a.match) {
          const m = raw.match(compileRegex(a.match, { bare: true }));
          if (!m || m[1] === undefined) this.notes.push(`tags line ${rule.line}: match=${a.match} does not match '${raw}'`);
          else raw = m[1];
        }
        raw = raw.replace(/\//g, '-');
        return rule.type === 'semver' ? this.semverValue(rule, raw) : this.pep440Value(rule, raw);
      }
      case 'match': {
        if (!isTag && !a.value) return undefined;
        const raw = a.value ? this.expand(rule, 'value', a.value) : view.tag;
        const m = raw.match(compileRegex(a.pattern!, { bare: true }));
        if (!m) {
          this.notes.push(`tags line ${rule.line}: ${a.pattern} does not match '${raw}'`);
          return undefined;
        }
        const group = m[Number(a.group)];
        if (group === undefined) {
          this.notes.push(`tags line ${rule.line}: group ${a.group} does not exist in ${a.pattern}`);
          return undefined;
        }
        return { value: this.affix(rule, group), latest: this.latest(true) };
      }
      case 'ref': {
        if (a.event === 'branch') {
          if (facts.refType !== 'branch') return undefined;
          return { value: this.affix(rule, view.branch), latest: this.latest(false), fromBranch: true };
        }
        if (a.event === 'tag') {
          if (!isTag) return undefined;
          return { value: this.affix(rule, view.tag), latest: this.latest(true) };
        }
        if (!facts.pr) return undefined;
        return { value: this.affix(rule, String(facts.pr.number)), latest: this.latest(false) };
      }
      case 'edge': {
        if (facts.refType !== 'branch') return undefined;
        const branch = a.branch || facts.defaultBranch;
        if (branch !== view.branch) return undefined;
        return { value: this.affix(rule, 'edge'), latest: this.latest(false) };
      }
      case 'raw':
        return { value: this.affix(rule, this.expand(rule, 'value', a.value!)), latest: this.latest(false) };
      case 'sha': {
        if (!facts.sha) return undefined;
        const sha = a.format === 'long' ? facts.sha : shortSha(facts.sha);
        return { value: this.affix(rule, sha), latest: this.latest(false) };
      }
    }
  }

  /** Which part of a version a pattern keeps: a pattern without the patch level moves with its line. */
  private movesOf(pattern: string): Moves | undefined {
    const names = expressionNames(pattern);
    if (names.some((n) => ['raw', 'version', 'patch', 'prerelease', 'build'].includes(n))) return undefined;
    if (names.includes('minor')) return 'minor';
    if (names.includes('major')) return 'major';
    return 'latest';
  }

  private semverValue(rule: TagRule, raw: string): Produced | undefined {
    if (!semver.valid(raw)) {
      this.notes.push(`tags line ${rule.line}: '${raw}' is not a valid semver version (https://semver.org), so this line gives no tag`);
      return undefined;
    }
    const v = semver.parse(raw, { loose: true })!;
    const fieldsOf: Record<string, Helper> = {
      raw: value(v.raw),
      version: value(v.version),
      major: value(String(v.major)),
      minor: value(String(v.minor)),
      patch: value(String(v.patch)),
      prerelease: value(v.prerelease.join(',')),
      build: value(v.build.join(',')),
    };
    const version = { text: v.version, scheme: 'semver' as const, prerelease: v.prerelease.length > 0 };
    if (version.prerelease) {
      // Pre-releases only give {{version}} (or {{raw}} when the pattern is exactly that): no moving tags.
      const pattern = isSingleExpression(rule.attrs.pattern!, 'raw') ? '{{raw}}' : '{{version}}';
      return { value: this.affix(rule, this.expand(rule, 'pattern', pattern, fieldsOf)), latest: this.latest(false), version };
    }
    return {
      value: this.affix(rule, this.expand(rule, 'pattern', rule.attrs.pattern!, fieldsOf)),
      latest: this.latest(true),
      moves: this.movesOf(rule.attrs.pattern!),
      version,
    };
  }

  private pep440Value(rule: TagRule, raw: string): Produced | undefined {
    if (!pep440.valid(raw)) {
      this.notes.push(`tags line ${rule.line}: '${raw}' does not conform to PEP 440, so this line gives no tag`);
      return undefined;
    }
    const e = pep440.explain(raw)!;
    const clean = pep440.clean(raw) ?? raw;
    const pre = e.is_prerelease || e.is_postrelease || e.is_devrelease;
    const version = { text: clean, scheme: 'pep440' as const, prerelease: pre };
    if (pre) {
      const val = isSingleExpression(rule.attrs.pattern!, 'raw') ? raw : clean;
      return { value: this.affix(rule, val), latest: this.latest(false), version };
    }
    const fieldsOf: Record<string, Helper> = {
      raw: value(raw),
      version: value(clean),
      major: value(String(pep440.major(raw))),
      minor: value(String(pep440.minor(raw))),
      patch: value(String(pep440.patch(raw))),
    };
    return {
      value: this.affix(rule, this.expand(rule, 'pattern', rule.attrs.pattern!, fieldsOf)),
      latest: this.latest(true),
      moves: this.movesOf(rule.attrs.pattern!),
      version,
    };
  }

  latestTag(): string {
    const prefix = this.flavor.prefixLatest ? this.flavor.prefix : '';
    const suffix = this.flavor.suffixLatest ? this.flavor.suffix : '';
    return sanitizeTag(`${prefix}latest${suffix}`);
  }
}

/** The release an event carries: from a semver/pep440 rule, else a semver git tag. */
function releaseOf(
  found: { text: string; scheme: 'semver' | 'pep440'; prerelease: boolean } | undefined,
  facts: Facts,
): { text: string; scheme: 'semver' | 'pep440'; prerelease: boolean } | undefined {
  if (found) return found;
  if (facts.refType !== 'tag' || !facts.tag) return undefined;
  const v = releaseVersion(facts.tag);
  return v ? { text: v.version, scheme: 'semver', prerelease: v.prerelease.length > 0 } : undefined;
}

/** Why a pull request's tag set has no `latest` and no `1`/`1.2`: a preview must never move a release tag. */
export const PR_NEVER_MOVES = 'a pull request never gets latest or a moving release tag, whatever flavor latest= says';

/** The plan's words for a `latest` that flavor latest=true asked for. */
export const FORCED_LATEST_WHY = 'flavor latest=true (never on pull requests)';

/** Evaluates the `tags` rules for an event, as docker/metadata-action would. */
export function evaluateTagRules(facts: Facts, rules: TagRule[], flavor: Flavor, now: Date): TagResult {
  const view = eventView(facts, now);
  const ev = new Evaluator(facts, expandFlavor(flavor, facts, now), view);
  const out: TagDecision[] = [];
  let latest: boolean | undefined;
  let latestWhy = '';
  let found: Produced['version'];
  for (const rule of rules) {
    if (!ev.enabled(rule)) continue;
    const p = ev.produce(rule);
    if (!p || p.value.length === 0) continue;
    const tag = sanitizeTag(p.value);
    if (facts.pr && (p.moves || tag === ev.latestTag())) {
      ev.notes.push(`tags line ${rule.line} gives '${tag}', left out: ${PR_NEVER_MOVES}`);
      continue;
    }
    const decision: TagDecision = { tag, why: `tags line ${rule.line}: ${rule.text}` };
    if (p.moves) decision.moves = p.moves;
    if (p.fromBranch) decision.fromBranch = true;
    out.push(decision);
    found ??= p.version;
    if (latest === undefined) {
      latest = p.latest;
      latestWhy =
        flavor.latest === 'true'
          ? FORCED_LATEST_WHY
          : `flavor latest=auto: the highest-priority line with a value (tags line ${rule.line}) is a ${rule.type === 'match' ? 'match on a git tag' : rule.type === 'ref' ? 'git tag' : 'release'}`;
    }
  }
  if (latest && facts.pr) ev.notes.push(`flavor latest=true: '${ev.latestTag()}' left out: ${PR_NEVER_MOVES}`);
  else if (latest) out.push({ tag: ev.latestTag(), why: latestWhy, moves: 'latest' });
  const version = out[0]?.tag ?? '';
  return finish(dedupeTags(out), version, flavor, ev.notes, releaseOf(found, facts));
}

/** Marks the moving tags with their release and works out the guard's view of the release. */
export function finish(
  tags: TagDecision[],
  version: string,
  flavor: Flavor,
  notes: string[],
  rel: { text: string; scheme: 'semver' | 'pep440'; prerelease: boolean } | undefined,
): TagResult {
  if (!rel) {
    for (const t of tags) delete t.moves;
    return { tags, version, notes };
  }
  for (const t of tags) {
    // `latest` written as a raw value moves like the one flavor adds.
    if (!t.moves && t.tag === 'latest') t.moves = 'latest';
    if (t.moves) t.release = rel.text;
  }
  const release: ReleaseInfo = {
    version: rel.text,
    scheme: rel.scheme,
    prerelease: rel.prerelease,
    affixes: affixesOf(tags, rel.text),
    forceLatest: flavor.latest === 'true',
  };
  return { tags, version, release, notes };
}
