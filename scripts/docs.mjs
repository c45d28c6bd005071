// Writes the inputs and outputs tables of README.md from action.yml, between the
// <!-- inputs --> / <!-- outputs --> markers. `node scripts/docs.mjs --check` fails when they differ.
import * as fs from 'node:fs';
import { parse } from 'yaml';

const root = new URL('..', import.meta.url);
const action = parse(fs.readFileSync(new URL('action.yml', root), 'utf8'));
const cell = (s) => String(s ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ').trim();

export function inputsTable() {
  const rows = Object.entries(action.inputs).map(
    ([name, spec]) => `| \`${name}\` | ${spec.required ? 'required' : spec.default === undefined ? '' : `\`${cell(spec.default)}\``} | ${cell(spec.description)} |`,
  );
  return ['| input | default | description |', '| --- | --- | --- |', ...rows].join('\n');
}

export function outputsTable() {
  const rows = Object.entries(action.outputs).map(([name, spec]) => `| \`${name}\` | ${cell(spec.description)} |`);
  return ['| output | description |', '| --- | --- |', ...rows].join('\n');
}

export function render(readme) {
  const put = (text, marker, table) =>
    text.replace(new RegExp(`(<!-- ${marker} -->\\n)[\\s\\S]*?(<!-- /${marker} -->)`), `$1${table}\n$2`);
  return put(put(readme, 'inputs', inputsTable()), 'outputs', outputsTable());
}

const file = new URL('README.md', root);
const current = fs.readFileSync(file, 'utf8');
const next = render(current);
if (process.argv.includes('--check')) {
  if (next !== current) {
    console.error('README.md inputs/outputs tables differ from action.yml: run npm run docs');
    process.exit(1);
  }
} else if (next !== current) {
  fs.writeFileSync(file, next);
}
