import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { placeholderImage } from './cli-plan.js';
import { readLocalFacts } from './context.js';
import { UserError } from './errors.js';
import { findDockerfiles } from './init/discover.js';
import { checkRules, parseRuleFile, parseRuleFlag, type PlacedRule } from './init/rule-table.js';
import { makeWorkflow, parseImages, WORKFLOW_PATH, type FoundDockerfile, type InitResult, type Setting } from './init/workflow.js';
import { INPUT_NAMES } from './inputs.js';
import { loadYaml } from './yaml.js';

export const INIT_HELP = `autobuild init: write .github/workflows/image.yml for this repository, a workflow that builds,
tests and pushes its image with autobuild, as Docker Hub automated builds did.

Usage: autobuild init [--image NAME] [--rules FILE] [--rule RULE]... [options] [DIR]

  DIR                     the repository (default: the current folder; its git top level is used)
  --image NAME[,NAME]     repositories to push to: acme/app (Docker Hub), ghcr.io/acme/app, or any
                          registry's; asked when left out and standard input is a terminal
  --rules FILE            your Docker Hub build rules: the table of Docker Hub's build settings
                          (tab separated as copied from the page, CSV, or a Markdown table, with the
                          header Source Type, Source, Docker Tag, Dockerfile location, Build Context,
                          Autobuild, Build Caching), or the YAML list the rules input takes; - reads
                          standard input
  --rule RULE             one build rule, SOURCE-TYPE SOURCE TAG [DOCKERFILE [CONTEXT]], as in
                          --rule 'tag /^v([0-9.]+)$/ {\\1},latest'; may be repeated
  --test-command CMD      a command run inside the image before any push
  --default-branch NAME   the branch pushes of which build latest (default: origin's HEAD, main or master)
  --force                 overwrite an existing .github/workflows/image.yml
  --stdout                print the workflow instead of writing it
Finds the Dockerfiles (skipping dot-folders, node_modules and vendor), their hooks/ and autotest
files (docker-compose.test.yml, *.test.yml, *-test.yml next to the Dockerfile). One Dockerfile
is built as it is; several, or given rules, become a rules: block. Prints the repository
secrets and variables the workflow reads.
`;

const OPTIONS = {
  image: { type: 'string' },
  rules: { type: 'string' },
  rule: { type: 'string', multiple: true },
  'test-command': { type: 'string' },
  'default-branch': { type: 'string' },
  force: { type: 'boolean' },
  stdout: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * Whether the command line asks for `init`: its first argument that is not an option (nor an
 * option's value) is `init`, as for `plan`. A folder named init is ./init.
 */
export function initRequested(argv: string[]): boolean {
  const strings = [...INPUT_NAMES, 'ref', 'base', 'default-branch', 'distribute-dir', 'rule'];
  const options = Object.fromEntries(strings.map((n) => [n, { type: 'string' as const }]));
  const { tokens } = parseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  return tokens.find((t) => t.kind === 'positional')?.value === 'init';
}

/** Runs `fn` with the workflow commands it logs (git's ::debug:: lines) kept off the terminal. */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = (typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString()).replace(/^::[\w-]+(?: [^:]*)?::.*\n?/gm, '');
    return text ? (write as (s: string, ...r: unknown[]) => boolean).call(process.stdout, text, ...rest) : true;
  }) as typeof process.stdout.write;
  try {
    return await fn();
  } finally {
    process.stdout.write = write;
  }
}

/** Asks for the image on the terminal until a valid one is given. */
async function askImage(suggested: string | undefined): Promise<string> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    for (;;) {
      const answer = (await rl.question(`Image to push to (acme/app for Docker Hub, ghcr.io/acme/app, ...)${suggested ? ` [${suggested}]` : ''}: `)).trim() || suggested || '';
      try {
        parseImages(answer);
        return answer;
      } catch (error) {
        process.stderr.write(`${(error as Error).message.replace(/^--image/, 'the image')}\n`);
      }
    }
  } finally {
    rl.close();
  }
}

function readRules(file: string | undefined, flags: string[], cwd: string): PlacedRule[] | undefined {
  const placed: PlacedRule[] = [];
  if (file !== undefined) {
    let text: string;
    if (file === '-') {
      text = fs.readFileSync(0, 'utf8');
    } else {
      const abs = path.resolve(cwd, file);
      if (!fs.existsSync(abs) || !fs.statSync(abs).isFile()) {
        const inline = /\n|source-type/.test(file) ? ' (init reads the rules from a file; --rules - reads them from standard input)' : '';
        throw new UserError(`--rules: no file ${file}${inline}`);
      }
      text = fs.readFileSync(abs, 'utf8');
    }
    placed.push(...parseRuleFile(text, file === '-' ? 'standard input' : file));
  }
  flags.forEach((value, i) => placed.push(parseRuleFlag(value, i + 1)));
  if (!placed.length) return undefined;
  checkRules(placed);
  return placed;
}

/** Rules whose Dockerfile is not in the repository: a line each. */
function missingDockerfiles(root: string, rules: PlacedRule[]): string[] {
  return rules.flatMap(({ spec, where }) => {
    if (spec.autobuild === false) return [];
    const context = (spec.context ?? '').replace(/^\/+/, '');
    const dockerfile = (spec.dockerfile ?? '').replace(/^\/+/, '') || 'Dockerfile';
    const file = spec.context?.trim() ? path.join(root, context, dockerfile) : path.join(root, dockerfile);
    return fs.existsSync(file) ? [] : [`warning: ${where}: ${path.relative(root, file)} is not in the repository`];
  });
}

function describeFound(files: FoundDockerfile[]): string[] {
  return files.map((f) => {
    const extra = [f.hooks.length ? `hooks ${f.hooks.join(', ')}` : '', f.autotests.length ? `autotest ${f.autotests.map((a) => path.posix.basename(a)).join(', ')}` : ''].filter(Boolean);
    return `  ${f.file}${extra.length ? `: ${extra.join('; ')}` : ''}`;
  });
}

function describeSettings(settings: Setting[]): string[] {
  if (!settings.length) return [];
  const width = Math.max(...settings.map((s) => s.name.length));
  return [
    '',
    'Set these in the repository, Settings > Secrets and variables > Actions, before the first run:',
    ...settings.map((s) => `  ${s.kind.padEnd(8)} ${s.name.padEnd(width)}  ${s.what}`),
    'or with the GitHub CLI, from the repository:',
    ...settings.map((s) => (s.kind === 'variable' ? `  gh variable set ${s.name} --body VALUE` : `  gh secret set ${s.name}   # asks for the value`)),
  ];
}

/** `autobuild init [DIR]`. Returns the exit code: 0 written, 1 refused or bad input. */
export async function runInit(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  const folders = positionals.slice(positionals.indexOf('init') + 1);
  if (values.help) {
    process.stdout.write(INIT_HELP);
    return 0;
  }
  if (folders.length > 1) throw new Error(`init takes one folder, the repository; got ${folders.length}: ${folders.join(' ')}`);
  // With --stdout the workflow is the output: everything else goes to stderr.
  const say = (line: string): void => void (values.stdout ? process.stderr : process.stdout).write(`${line}\n`);
  const dir = path.resolve(folders[0] ?? '.');
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`init: ${folders[0]} is not a folder`);
  try {
    const facts = await quietly(() => readLocalFacts(dir, { defaultBranch: values['default-branch'] }));
    const root = facts.workspace;
    const target = path.join(root, WORKFLOW_PATH);
    const shown = path.relative(process.cwd(), target) || target;
    if (!values.stdout && !values.force && fs.existsSync(target)) {
      throw new UserError(`${shown} already exists; nothing was written. Give --force to overwrite it, or --stdout to print the new workflow.`);
    }
    await loadYaml();
    const rules = readRules(values.rules, values.rule ?? [], process.cwd());
    const dockerfiles = findDockerfiles(root);
    if (!dockerfiles.length && !rules) {
      throw new UserError(`no Dockerfile found in ${root} (looked for Dockerfile, Dockerfile.*, *.Dockerfile; dot-folders, node_modules and vendor skipped). Give --rules for a Dockerfile made at build time.`);
    }
    let image = values.image;
    if (image === undefined) {
      if (!process.stdin.isTTY) {
        throw new Error('init needs the image to push to: give --image NAME (acme/app for Docker Hub, ghcr.io/acme/app, ...); standard input is not a terminal to ask on');
      }
      const suggested = facts.repository.fullName.startsWith('local/') ? undefined : placeholderImage(facts);
      image = await askImage(suggested);
    }
    let result: InitResult;
    try {
      result = makeWorkflow({ image, dockerfiles, rules: rules?.map((r) => r.spec), defaultBranch: facts.defaultBranch, testCommand: values['test-command'] });
    } catch (error) {
      throw new UserError((error as Error).message);
    }
    const warnings = rules ? missingDockerfiles(root, rules) : [];
    if (values.stdout) {
      process.stdout.write(result.text);
    } else {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, result.text);
    }
    say(values.stdout ? `A workflow for ${root}:` : `Wrote ${shown}`);
    if (dockerfiles.length) {
      say(`Dockerfiles found:`);
      for (const line of describeFound(dockerfiles)) say(line);
    }
    if (result.rules) say(`Build rules: ${result.rules.length}${rules ? ' (yours)' : ', one pair a Dockerfile (review their tags)'}`);
    for (const w of warnings) say(w);
    say(`Triggers: pushes, pull requests (never pushed), manual runs, and weekly (cron '${result.cron}') a rebuild when the base image changed`);
    for (const line of describeSettings(result.settings)) say(line);
    for (const note of result.notes) say(`\n${note}`);
    if (!result.rules) say(`\nWhat a push to ${facts.defaultBranch} would do: npx autobuild plan --image ${image.split(',')[0]!.trim()} --ref ${facts.defaultBranch}`);
    if (!values.stdout) say(`Then commit it: git add ${WORKFLOW_PATH} && git commit -m 'Build the image with autobuild'`);
    return 0;
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    process.stderr.write(`autobuild init: ${error.message}\n`);
    return 1;
  }
}
