#!/usr/bin/env node
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import * as core from '@actions/core';
import { initRequested, runInit } from './cli-init.js';
import { printPlan } from './cli-plan.js';
import { readLocalFacts } from './context.js';
import { getErrorMessage } from './errors.js';
import { INPUT_NAMES, SECRET_INPUTS } from './inputs.js';
import { cancelOnSignals } from './engine/exec.js';
import { run } from './main.js';
import { post } from './post.js';
import { outputsOf } from './phases/report.js';

/** Inputs the CLI accepts as --NAME VALUE: all but the secrets, which never go in argv. */
const INPUTS = INPUT_NAMES.filter((n) => !SECRET_INPUTS.includes(n));

const HELP = `autobuild: build, test inside the image, and push, from a local git checkout.

Usage: autobuild --image NAME [options] [DIR]
       autobuild plan [--ref REF] [--image NAME] [options] [DIR]
       autobuild init [--image NAME] [--rules FILE] [--force] [DIR]

  plan                    print what a run would do (tags and why, push or not, cache, Docker
                          Hub hooks and autotests) without building or asking docker anything;
                          see autobuild plan --help. A folder named plan: ./plan
  init                    write .github/workflows/image.yml for the repository: its Dockerfiles,
                          hooks/, autotest files and Docker Hub build rules, push and pull
                          request triggers and a weekly rebuild; see autobuild init --help
  DIR                     the repository (default: the current folder)
  --image NAME[,NAME]     repositories to push to (required)
  --context PATH          build context, relative to DIR (default .)
  --file PATH             Dockerfile (default: Dockerfile in the context)
  --test-command CMD      run inside the built image before any push
  --push auto|true|false  (default auto: push)
  --username USER         registry user; the password comes from AUTOBUILD_PASSWORD
                          or --password-stdin
  --ref REF               build as if for this ref (branch name, refs/heads/X, refs/tags/vX,
                          or a pull request: refs/pull/N/merge)
  --base BRANCH           with a pull request ref: the branch it targets (default: the default branch)
  --fork                  with a pull request ref: the pull request comes from a fork
  --default-branch NAME   the branch that gets 'latest' (default: origin's HEAD, main or master)
  --distribute-dir DIR    with --distribute: the folder every machine of the image sees, where
                          each leaves its platforms' reports (in place of the artifact service)
  --verbose               show debug lines
Every other action input is accepted as --NAME VALUE (see action.yml), e.g. --tags, --rules, --cache.
`;

const PLAN_HELP = `autobuild plan: what a run would do for a ref, worked out by the run's own planner, without
building, logging in, or any docker command, engine or registry request.

Usage: autobuild plan [--ref REF] [--image NAME] [options] [DIR]

  DIR                     the repository (default: the current folder)
  --ref REF               plan for this ref: a branch name, refs/heads/X, refs/tags/vX, or a pull
                          request, refs/pull/N/merge (default: the checked-out branch or tag)
  --base BRANCH           with a pull request ref: the branch it targets (default: the default branch)
  --fork                  with a pull request ref: the pull request comes from a fork
  --image NAME[,NAME]     repositories (default: the repository's name stands in)
  --default-branch NAME   the branch that gets 'latest' (default: origin's HEAD, main or master)
Every other action input is accepted as --NAME VALUE, as for a run: --tags, --rules, --flavor,
--cache, --push, --pr-preview, --context, --file, --hooks, --test-compose, ...
Prints the tags and why, whether it would push and why, the cache it would use, and the Docker
Hub hooks and autotest files found. Bad input fails as the run does (exit code 1).
`;

function present(verbose: boolean): void {
  // Workflow commands mean nothing in a terminal: turn them into plain lines.
  // Output from outside comes between ::stop-commands::TOKEN and ::TOKEN:: (see InertLog): shown
  // as it is, and the two markers are not shown.
  let stopped: string | undefined;
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    const out = text
      .split('\n')
      .map((line) => {
        if (stopped) {
          if (line !== `::${stopped}::`) return line;
          stopped = undefined;
          return null;
        }
        const stop = /^::stop-commands::(\S+)$/.exec(line);
        if (stop) {
          stopped = stop[1];
          return null;
        }
        const m = /^::(\w[\w-]*)(?: [^:]*)?::(.*)$/.exec(line);
        if (!m) return line;
        const [, cmd, msg] = m;
        if (cmd === 'group') return `\n== ${msg}`;
        if (cmd === 'endgroup' || cmd === 'add-mask' || cmd === 'save-state' || cmd === 'set-output') return null;
        if (cmd === 'debug') return verbose ? `debug: ${msg}` : null;
        return `${cmd}: ${msg!.replace(/%0A/g, '\n').replace(/%25/g, '%')}`;
      })
      .filter((l) => l !== null)
      .join('\n');
    return (write as (s: string, ...r: unknown[]) => boolean)(out, ...rest);
  }) as typeof process.stdout.write;
}

async function main(): Promise<number> {
  // `init` has options of its own: the first argument that is not an option, as for plan.
  if (initRequested(process.argv.slice(2))) return runInit(process.argv.slice(2));
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      ...Object.fromEntries(INPUTS.map((n) => [n, { type: 'string' as const }])),
      ref: { type: 'string' },
      base: { type: 'string' },
      fork: { type: 'boolean' },
      'default-branch': { type: 'string' },
      'distribute-dir': { type: 'string' },
      'password-stdin': { type: 'boolean' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  // `plan` is a subcommand as the first positional argument only: a folder named plan is ./plan.
  const planning = positionals[0] === 'plan';
  const folders = planning ? positionals.slice(1) : positionals;
  if (values.help) {
    process.stdout.write(planning ? PLAN_HELP : HELP);
    return 0;
  }
  if (planning && folders.length > 1) throw new Error(`plan takes one folder, the repository; got ${folders.length}: ${folders.join(' ')}`);
  const dir = path.resolve(folders[0] ?? '.');
  const given = values as Record<string, string | boolean | undefined>;
  const local = { ref: values.ref, defaultBranch: values['default-branch'], base: values.base, fork: values.fork };
  if (planning) {
    // Nothing is logged in to: the password is not read from standard input.
    const getInput = (name: string): string => (name === 'password' ? (process.env.AUTOBUILD_PASSWORD ?? '') : typeof given[name] === 'string' ? (given[name] as string) : '');
    present(Boolean(values.verbose));
    if (!folders.length && fs.existsSync('plan') && fs.statSync('plan').isDirectory()) {
      core.info('note: planning the current folder; for the folder named plan, give it as a path: autobuild plan ./plan (or autobuild ./plan to build it)');
    }
    const facts = await readLocalFacts(dir, local);
    core.startGroup('Plan (nothing is built, logged in to or pushed; docker is not asked)');
    try {
      await printPlan(facts, getInput, (line) => core.info(line));
    } catch (error) {
      core.setFailed(getErrorMessage(error));
      return 1;
    } finally {
      core.endGroup();
    }
    return 0;
  }
  const password = values['password-stdin'] ? fs.readFileSync(0, 'utf8').trim() : (process.env.AUTOBUILD_PASSWORD ?? '');
  const getInput = (name: string): string => (name === 'password' ? password : typeof given[name] === 'string' ? (given[name] as string) : '');

  if (values['distribute-dir']) process.env.AUTOBUILD_DISTRIBUTE_DIR = path.resolve(values['distribute-dir']);
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-cli-'));
  process.env.RUNNER_TEMP ??= temp;
  process.env.GITHUB_OUTPUT = path.join(temp, 'output');
  process.env.GITHUB_STATE = path.join(temp, 'state');
  fs.writeFileSync(process.env.GITHUB_OUTPUT, '');
  fs.writeFileSync(process.env.GITHUB_STATE, '');
  present(Boolean(values.verbose));
  // Ctrl-C stops the running command, cleans up and still logs out.
  cancelOnSignals();

  const facts = await readLocalFacts(dir, local);
  const report = await run({ facts, getInput });
  // The post step, as a runner would run it: state comes back as STATE_* variables.
  for (const block of fs.existsSync(process.env.GITHUB_STATE) ? fs.readFileSync(process.env.GITHUB_STATE, 'utf8').split(/\n(?=\S+<<)/) : []) {
    const m = /^(\S+)<<(\S+)\n([\s\S]*?)\n\2/.exec(block);
    if (m) process.env[`STATE_${m[1]}`] = m[3];
  }
  await post();
  fs.rmSync(temp, { recursive: true, force: true });

  process.stdout.write('\n== Outputs\n');
  const outputs = outputsOf(report);
  for (const name of ['tags', 'version', 'digest', 'imageid', 'pushed']) {
    const value = outputs[name] ?? '';
    process.stdout.write(`${name}: ${value.includes('\n') ? `\n  ${value.split('\n').join('\n  ')}` : value}\n`);
  }
  return report.error ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`autobuild: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
