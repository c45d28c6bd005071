import { parse as parseCsv } from 'csv-parse/sync';
import { UserError } from '../errors.js';
import { parseRules, type BuildRule } from '../plan/rules.js';
import { yamlLib } from '../yaml.js';
import { rulesYaml, type RuleSpec } from './workflow.js';

/** A rule and where the user wrote it, for messages: `rules.tsv line 3`, `--rule 2`. */
export interface PlacedRule {
  spec: RuleSpec;
  where: string;
}

/** Docker Hub's column names (and the `rules` keys) -> the key. */
const COLUMNS: Record<string, keyof RuleSpec | 'build-caching'> = {
  sourcetype: 'source-type',
  type: 'source-type',
  source: 'source',
  dockertag: 'tag',
  tag: 'tag',
  dockerfilelocation: 'dockerfile',
  dockerfile: 'dockerfile',
  buildcontext: 'context',
  context: 'context',
  autobuild: 'autobuild',
  buildcaching: 'build-caching',
};

const ON = /^(on|true|yes|y|enabled|1|x|✓|✔)$/i;
const OFF = /^(off|false|no|n|disabled|0|-)$/i;

/**
 * Checks rules with the action's own parser, naming where each was written. They are written as
 * the `rules` YAML the workflow will hold, so what passes here is what the action reads.
 */
export function checkRules(placed: PlacedRule[]): BuildRule[] {
  try {
    return parseRules(rulesYaml(placed.map((p) => p.spec)).join('\n'));
  } catch (error) {
    const m = /^Input 'rules', rule (\d+): ([\s\S]*)$/.exec((error as Error).message);
    if (m) throw new UserError(`${placed[Number(m[1]) - 1]!.where}: ${m[2]}`);
    throw error;
  }
}

/** A rule the action parsed, back to the keys as written. */
function specOf(rule: BuildRule): RuleSpec {
  return {
    'source-type': rule.sourceType,
    source: rule.source,
    tag: rule.tag,
    ...(rule.dockerfile !== undefined ? { dockerfile: rule.dockerfile } : {}),
    ...(rule.context !== undefined ? { context: rule.context } : {}),
    ...(rule.autobuild ? {} : { autobuild: false }),
  };
}

/** Whether a line starts Docker Hub's table: a header that names the source type and the source. */
function isHeader(line: string): boolean {
  return /source\s*type/i.test(line) && /(docker\s*)?tag/i.test(line) && (/\t|\||,/.test(line));
}

/** The cells of the table's rows, with their line numbers: TSV (copied from the page), CSV or a Markdown table. */
function tableRows(text: string, name: string): { line: number; cells: string[] }[] {
  const lines = text.split(/\r?\n/);
  const first = lines.findIndex((l) => l.trim() && !l.trim().startsWith('#'));
  const header = lines[first]!;
  const rows: { line: number; cells: string[] }[] = [];
  if (header.trim().startsWith('|')) {
    lines.forEach((l, i) => {
      const t = l.trim();
      if (i < first || !t || t.startsWith('#') || /^\|?[\s:|-]+\|?$/.test(t)) return;
      rows.push({ line: i + 1, cells: t.replace(/^\||\|$/g, '').split('|').map((c) => c.trim().replace(/^`(.*)`$/, '$1')) });
    });
  } else if (header.includes('\t')) {
    lines.forEach((l, i) => {
      if (i < first || !l.trim() || l.trim().startsWith('#')) return;
      rows.push({ line: i + 1, cells: l.split('\t').map((c) => c.trim()) });
    });
  } else {
    let records: { record: string[]; info: { lines: number } }[];
    try {
      records = parseCsv(text, { info: true, relax_column_count: true, skip_empty_lines: true, trim: true, comment: '#', comment_no_infix: true }) as unknown as typeof records;
    } catch (error) {
      throw new UserError(`${name}: not a valid CSV table: ${(error as Error).message}`);
    }
    for (const r of records) rows.push({ line: r.info.lines, cells: r.record });
  }
  return rows;
}

/** Reads Docker Hub's build-rule table (Source Type, Source, Docker Tag, Dockerfile location, Build Context, Autobuild, Build Caching). */
function parseTable(text: string, name: string): PlacedRule[] {
  const [head, ...rows] = tableRows(text, name);
  const keys = head!.cells.map((cell) => {
    const key = COLUMNS[cell.toLowerCase().replace(/[^a-z]/g, '')];
    if (!key) {
      throw new UserError(
        `${name} line ${head!.line}: unknown column '${cell}' (accepted: Source Type, Source, Docker Tag, Dockerfile location, Build Context, Autobuild, Build Caching)`,
      );
    }
    return key;
  });
  for (const [key, column] of [['source-type', 'Source Type'], ['source', 'Source'], ['tag', 'Docker Tag']] as const) {
    if (!keys.includes(key)) throw new UserError(`${name} line ${head!.line}: the table has no ${column} column`);
  }
  return rows.map(({ line, cells }) => {
    const where = `${name} line ${line}`;
    if (cells.length > keys.length) throw new UserError(`${where}: ${cells.length} cells, but the header names ${keys.length} columns`);
    const value = (key: string): string => cells[keys.indexOf(key as keyof RuleSpec)] ?? '';
    const type = value('source-type').toLowerCase();
    if (type !== 'branch' && type !== 'tag') throw new UserError(`${where}: Source Type '${value('source-type')}' is not accepted (expected Branch or Tag)`);
    const flag = (key: string, column: string): boolean => {
      const v = value(key);
      // An empty cell is the default: on.
      if (v === '' || ON.test(v)) return true;
      if (OFF.test(v)) return false;
      throw new UserError(`${where}: ${column} '${v}' is not accepted (expected on or off)`);
    };
    const autobuild = keys.includes('autobuild') ? flag('autobuild', 'Autobuild') : true;
    if (keys.includes('build-caching')) flag('build-caching', 'Build Caching');
    const spec: RuleSpec = { 'source-type': type, source: value('source'), tag: value('tag') };
    if (value('dockerfile')) spec.dockerfile = value('dockerfile');
    if (value('context')) spec.context = value('context');
    if (!autobuild) spec.autobuild = false;
    return { spec, where };
  });
}

/** Reads the `rules` input's YAML; a rule's message names its line. */
function parseYamlRules(text: string, name: string): PlacedRule[] {
  const { isSeq, LineCounter, parseDocument } = yamlLib();
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter });
  const lineOf = (index: number): number | undefined => {
    const item = isSeq(doc.contents) ? doc.contents.items[index - 1] : undefined;
    const start = (item as { range?: [number, number, number] } | undefined)?.range?.[0];
    return start === undefined ? undefined : counter.linePos(start).line;
  };
  let rules: BuildRule[];
  try {
    rules = parseRules(text);
  } catch (error) {
    const message = (error as Error).message;
    const m = /^Input 'rules', rule (\d+): ([\s\S]*)$/.exec(message);
    if (m) throw new UserError(`${name} line ${lineOf(Number(m[1])) ?? '?'} (rule ${m[1]}): ${m[2]}`);
    throw new UserError(`${name}: ${message.replace(/^Input 'rules'/, 'the rules')}`);
  }
  if (!rules.length) throw new UserError(`${name}: no rules in it`);
  return rules.map((rule) => ({ spec: specOf(rule), where: `${name} line ${lineOf(rule.index) ?? '?'}` }));
}

/**
 * A file of build rules: Docker Hub's table (tab separated as copied from the build settings
 * page, comma separated, or a Markdown table, with a header row) or the YAML list the `rules`
 * input takes. Each rule is checked by the action's parser; an error names the line.
 */
export function parseRuleFile(text: string, name: string): PlacedRule[] {
  const clean = text.replace(/^\uFEFF/, '');
  const first = clean.split(/\r?\n/).find((l) => l.trim() && !l.trim().startsWith('#'));
  if (!first) throw new UserError(`${name}: no rules in it`);
  const placed = isHeader(first) ? parseTable(clean, name) : parseYamlRules(clean, name);
  if (!placed.length) throw new UserError(`${name}: the table has a header but no rules`);
  checkRules(placed);
  return placed;
}

/**
 * One `--rule` value: `SOURCE-TYPE SOURCE TAG [DOCKERFILE [CONTEXT]]`, separated by white space
 * (`tag /^v([0-9.]+)$/ {\1},latest`). `n` counts from 1.
 */
export function parseRuleFlag(value: string, n: number): PlacedRule {
  const where = `--rule ${n} ('${value}')`;
  const parts = value.trim().split(/\s+/).filter(Boolean);
  if (parts.length < 3 || parts.length > 5) {
    throw new UserError(`${where}: expected SOURCE-TYPE SOURCE TAG [DOCKERFILE [CONTEXT]], such as --rule 'tag /^v([0-9.]+)$/ {\\1},latest'`);
  }
  const type = parts[0]!.toLowerCase();
  if (type !== 'branch' && type !== 'tag') throw new UserError(`${where}: source type '${parts[0]}' is not accepted (expected branch or tag)`);
  const spec: RuleSpec = { 'source-type': type, source: parts[1]!, tag: parts[2]! };
  if (parts[3]) spec.dockerfile = parts[3];
  if (parts[4]) spec.context = parts[4];
  return { spec, where };
}
