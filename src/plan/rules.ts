import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UserError } from '../errors.js';
import { sanitizeTag } from './tags.js';

/** One Docker Hub build rule. */
export interface BuildRule {
  /** 1-based position in the `rules` input, for messages. */
  index: number;
  sourceType: 'branch' | 'tag';
  /** As written: a literal name or /regex/. */
  source: string;
  /** Compiled when `source` is written between slashes. */
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

const KEYS = new Set(['source-type', 'source', 'tag', 'dockerfile', 'context', 'autobuild', 'build-caching']);

function ruleError(index: number, message: string): never {
  throw new UserError(`Input 'rules', rule ${index}: ${message}.`);
}

/** Parses the `rules` input: a YAML list of Docker Hub build rules. */
export function parseRules(value: string): BuildRule[] {
  if (!value.trim()) return [];
  let doc: unknown;
  try {
    doc = parseYaml(value);
  } catch (error) {
    throw new UserError(`Input 'rules' is not valid YAML: ${(error as Error).message.split('\n')[0]}.`);
  }
  if (!Array.isArray(doc)) {
    throw new UserError(
      `Input 'rules' must be a YAML list of rules, for example:\n- source-type: tag\n  source: /^v([0-9.]+)$/\n  tag: '{\\1}'`,
    );
  }
  return doc.map((entry, i) => parseRule(entry, i + 1));
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

  let regex: RegExp | undefined;
  if (source.length > 1 && source.startsWith('/') && source.endsWith('/')) {
    try {
      regex = new RegExp(source.slice(1, -1));
    } catch (error) {
      ruleError(index, `source ${source} is not a valid regular expression: ${(error as Error).message}`);
    }
  }
  const groups = regex ? new RegExp(`${regex.source}|`).exec('')!.length - 1 : 0;
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

/**
 * The tags a rule gives for a ref name, or undefined when it does not match. `{sourceref}` is
 * the whole name, `{\\N}` a capture group (an optional group that did not take part is empty);
 * each entry of the comma list is made a valid Docker tag (case is kept), empty entries dropped.
 */
export function applyRule(rule: BuildRule, refType: 'branch' | 'tag', name: string): string[] | undefined {
  const match = matchRule(rule, refType, name);
  if (!match) return undefined;
  const groups = match === true ? [] : match;
  return rule.tag
    .split(',')
    .map((t) => t.trim().replace(/\{sourceref\}/g, name).replace(/\{\\(\d)\}/g, (_, n: string) => groups[Number(n)] ?? ''))
    .filter(Boolean)
    .map((t) => sanitizeTag(t));
}
