import * as path from 'node:path';
import type { Document, YAMLError } from 'yaml';
import { yamlLib } from '../yaml.js';
import { UserError } from '../errors.js';
import { compileRegex, groupCount } from './regex.js';
import { sanitizeTag } from './tags.js';

/** One Docker Hub build rule. */
export interface BuildRule {
  /** 1-based position in the `rules` input, for messages. */
  index: number;
  sourceType: 'branch' | 'tag';
  /** As written: a literal name, /regex/ or /regex/flags. */
  source: string;
  /** Compiled when `source` is written between slashes (flags i, m, s, u after the last one). */
  regex?: RegExp;
  /** Tag template: {sourceref}, {\1}..{\9}, comma list. */
  tag: string;
  dockerfile?: string;
  context?: string;
  autobuild: boolean;
}

export function describeRule(rule: BuildRule): string {
  return `rule ${rule.index} (${rule.sourceType} ${rule.source} -> ${rule.tag})`;
}

/** Flags a rule's `/source/flags` may carry: `g` and `y` would make matching depend on the last match. */
const RULE_FLAGS = 'imsu';

const KEYS = new Set(['source-type', 'source', 'tag', 'dockerfile', 'context', 'autobuild', 'build-caching']);

function ruleError(index: number, message: string): never {
  throw new UserError(`Input 'rules', rule ${index}: ${message}.`);
}

/** The keys whose values are text: read as written, whatever YAML makes of them. */
const TEXT_KEYS = ['source-type', 'source', 'tag', 'dockerfile', 'context'];

/** A value quoted for YAML, as a user would write it to keep it text. */
function quoted(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** The rest of the line from `start`, without a trailing comment: what the user wrote there. */
function restOfLine(src: string, start: number): string {
  const end = src.indexOf('\n', start);
  return src.slice(start, end < 0 ? undefined : end).replace(/\s+#.*$/, '').trim();
}

/**
 * A text field as the user wrote it. YAML reads an unquoted `{sourceref}` or `{\\1}` as a
 * mapping (and `1.10` as the number 1.1); the source text of the node is what was meant. A
 * list, or a mapping over several lines, is not a template: an error that says to quote it.
 */
function fieldText(src: string, doc: Document, index: number, key: string, node: unknown): string | undefined {
  const { isAlias, isMap, isNode, isScalar, isSeq } = yamlLib();
  if (isAlias(node)) return fieldText(src, doc, index, key, node.resolve(doc));
  if (node === null || node === undefined) return undefined;
  if (isScalar(node)) {
    if (node.value === null || node.value === undefined) return undefined;
    if (typeof node.value === 'string') return node.value;
    // 1.10, 010, true: keep the digits as written, not the number YAML made of them.
    return node.source ?? String(node.value);
  }
  const text = isNode(node) && node.range ? src.slice(node.range[0], node.range[1]).trim() : '';
  if (isMap(node) && node.flow && !text.includes('\n')) return text;
  // A list, or a mapping over several lines or in block style: not what a template looks like.
  const suggestion = isSeq(node) && node.items.every(isScalar) ? node.items.map((i) => String(i.value)).join(',') : text.replace(/\s*\n\s*/g, '');
  const shape = isMap(node) ? 'a mapping' : isSeq(node) ? 'a list' : 'not text';
  ruleError(index, `${key} ${JSON.stringify(text)} is ${shape} in YAML, not text; write it on one line and quote it${isSeq(node) ? ' (several tags are a comma list)' : ''}: ${key}: ${quoted(suggestion)}`);
}

/** Says where a YAML error is: the rule, and the field whose value YAML could not read, with the fix. */
function yamlError(src: string, doc: Document, error: YAMLError): UserError {
  const { isCollection, isMap, isNode, isScalar, isSeq } = yamlLib();
  const first = error.message.split('\n')[0]!.replace(/:$/, '');
  const pos = error.pos[0];
  const items = isSeq(doc.contents) ? doc.contents.items : [];
  const index = items.findIndex((item) => isNode(item) && item.range && item.range[0] <= pos && pos <= item.range[2]) + 1;
  if (index > 0) {
    const item = items[index - 1];
    for (const pair of isMap(item) ? item.items : []) {
      const v = pair.value;
      if (!isCollection(v) || !v.flow || !v.range || pos < v.range[0] || pos > v.range[2]) continue;
      const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
      const text = restOfLine(src, v.range[0]);
      return new UserError(
        `Input 'rules', rule ${index}: ${key} ${text} is not valid YAML unquoted (${first}): YAML reads a value that starts with '${text[0]}' as a ${text[0] === '{' ? 'mapping' : 'list'}. Quote the template: ${key}: ${quoted(text)}.`,
      );
    }
  }
  const hint = /:[ \t]+[{[]/.test(src) ? " A tag template that starts with '{' (such as {sourceref} or {\\1}) must be quoted: tag: '{\\1},latest'." : '';
  return new UserError(`Input 'rules' is not valid YAML${index > 0 ? ` (rule ${index})` : ''}: ${first}.${hint}`);
}

/** Parses the `rules` input: a YAML list of Docker Hub build rules. */
export function parseRules(value: string): BuildRule[] {
  if (!value.trim()) return [];
  const { isMap, isNode, isSeq, parseDocument } = yamlLib();
  const doc = parseDocument(value);
  const error = doc.errors[0];
  if (error) throw yamlError(value, doc, error);
  if (!isSeq(doc.contents)) {
    throw new UserError(
      `Input 'rules' must be a YAML list of rules, for example:\n- source-type: tag\n  source: /^v([0-9.]+)$/\n  tag: '{\\1}'`,
    );
  }
  return doc.contents.items.map((item, i) => {
    const index = i + 1;
    const entry: unknown = isNode(item) ? item.toJS(doc) : item;
    if (isMap(item) && entry && typeof entry === 'object' && !Array.isArray(entry)) {
      const e = entry as Record<string, unknown>;
      for (const key of TEXT_KEYS) {
        if (item.has(key)) e[key] = fieldText(value, doc, index, key, item.get(key, true));
      }
    }
    return parseRule(entry, index);
  });
}

function parseRule(entry: unknown, index: number): BuildRule {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) ruleError(index, 'expected a mapping with source-type, source and tag');
  const e = entry as Record<string, unknown>;
  for (const key of Object.keys(e)) {
    if (!KEYS.has(key)) ruleError(index, `unknown key '${key}' (accepted: ${[...KEYS].join(', ')})`);
  }
  const sourceType = String(e['source-type'] ?? '').toLowerCase();
  if (sourceType !== 'branch' && sourceType !== 'tag') {
    ruleError(index, `source-type '${String(e['source-type'] ?? '')}' is not accepted (expected branch or tag)`);
  }
  const source = String(e.source ?? '').trim();
  if (!source) ruleError(index, 'source is empty (expected a name, or a regular expression between slashes)');
  const tag = String(e.tag ?? '').trim();
  if (!tag) ruleError(index, "tag is empty (expected a tag template such as '{sourceref}' or 'latest')");

  // Git names never start with '/': a source that does is a regular expression, /re/ or /re/flags.
  let regex: RegExp | undefined;
  if (source.startsWith('/')) {
    try {
      regex = compileRegex(source, { bare: false, flags: RULE_FLAGS });
    } catch (error) {
      ruleError(index, `source ${source} is not a valid regular expression: ${(error as Error).message} (a source is a name, /regex/ or /regex/flags)`);
    }
  }
  const groups = regex ? groupCount(regex) : 0;
  for (const m of tag.matchAll(/\{\\(\d)\}/g)) {
    if (Number(m[1]) > groups) {
      ruleError(index, `tag '${tag}' uses {\\${m[1]}} but source ${source} has ${groups} capture group${groups === 1 ? '' : 's'}`);
    }
  }
  const unknown = /\{[^}]*\}/.exec(tag.replace(/\{sourceref\}|\{\\[1-9]\}/g, ''));
  if (unknown) ruleError(index, `tag '${tag}' uses the unknown variable '${unknown[0]}' (accepted: {sourceref}, {\\1} .. {\\9})`);
  for (const [key, value] of [['dockerfile', e.dockerfile], ['context', e.context]] as const) {
    if (value === undefined || value === null) continue;
    const rel = path.posix.normalize(String(value).replace(/^\/+/, '') || '.');
    if (rel === '..' || rel.startsWith('../')) ruleError(index, `${key} '${String(value)}' leaves the repository`);
  }
  const autobuild = e.autobuild === undefined ? true : e.autobuild === true || String(e.autobuild).toLowerCase() === 'true';
  return {
    index,
    sourceType,
    source,
    regex,
    tag,
    dockerfile: e.dockerfile === undefined || e.dockerfile === null ? undefined : String(e.dockerfile),
    context: e.context === undefined || e.context === null ? undefined : String(e.context),
    autobuild,
  };
}

/** Whether a rule matches a ref: a literal source must equal the name, a /regex/ must match somewhere in it. */
export function matchRule(rule: BuildRule, refType: 'branch' | 'tag', name: string): RegExpExecArray | boolean {
  if (rule.sourceType !== refType) return false;
  if (rule.regex) return rule.regex.exec(name) ?? false;
  return rule.source === name;
}

/** One entry of a rule's tag list, rendered for a ref. */
export interface RuleTag {
  tag: string;
  /**
   * The entry uses `{sourceref}` and the ref is a branch: the tag is made from the branch name
   * (TagDecision.fromBranch). A capture group is not: a rule that cuts a version out of a
   * branch name (`/^release-(.*)$/` -> `{\\1}`) asks for that version tag.
   */
  fromBranch: boolean;
}

/**
 * The tags a rule gives for a ref name, or undefined when it does not match. `{sourceref}` is
 * the whole name, `{\\N}` a capture group (an optional group that did not take part is empty);
 * each entry of the comma list is made a valid Docker tag (case is kept), empty entries dropped.
 */
export function applyRuleTags(rule: BuildRule, refType: 'branch' | 'tag', name: string): RuleTag[] | undefined {
  const match = matchRule(rule, refType, name);
  if (!match) return undefined;
  const groups = match === true ? [] : match;
  return rule.tag
    .split(',')
    .map((entry) => entry.trim())
    .map((entry) => ({
      tag: entry.replace(/\{sourceref\}/g, name).replace(/\{\\(\d)\}/g, (_, n: string) => groups[Number(n)] ?? ''),
      fromBranch: refType === 'branch' && entry.includes('{sourceref}'),
    }))
    .filter((t) => t.tag)
    .map((t) => ({ ...t, tag: sanitizeTag(t.tag) }));
}

/** The tag names of applyRuleTags. */
export function applyRule(rule: BuildRule, refType: 'branch' | 'tag', name: string): string[] | undefined {
  return applyRuleTags(rule, refType, name)?.map((t) => t.tag);
}
