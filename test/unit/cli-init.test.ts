/** `autobuild init`: Dockerfile discovery, the workflow it writes, and Docker Hub's rule table. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { initRequested } from '../../src/cli-init.js';
import { findDockerfiles, isDockerfileName } from '../../src/init/discover.js';
import { parseRuleFile, parseRuleFlag } from '../../src/init/rule-table.js';
import { ACTION_REF, makeWorkflow, variantName, weeklyCron, yamlScalar, type FoundDockerfile, type InitInput } from '../../src/init/workflow.js';
import { INPUT_NAMES, readInputs } from '../../src/inputs.js';
import { parseRules } from '../../src/plan/rules.js';

type Step = { uses: string; with?: Record<string, string> };
type Job = { if: string; 'runs-on': string; steps: Step[] };
interface Workflow {
  name: string;
  on: { push: { branches?: string[]; tags?: string[] }; pull_request: null; workflow_dispatch: null; schedule: { cron: string }[] };
  permissions: Record<string, string>;
  concurrency: Record<string, string>;
  jobs: Record<string, Job>;
}

const ROOT_DOCKERFILE: FoundDockerfile = { file: 'Dockerfile', hooks: ['post_push'], autotests: ['docker-compose.test.yml'] };

function workflow(input: Partial<InitInput> = {}): { wf: Workflow; text: string; result: ReturnType<typeof makeWorkflow> } {
  const result = makeWorkflow({ image: 'acme/app', dockerfiles: [ROOT_DOCKERFILE], defaultBranch: 'main', ...input });
  return { wf: parse(result.text) as Workflow, text: result.text, result };
}

const stepWith = (wf: Workflow, job: string): Record<string, string> => wf.jobs[job]!.steps.find((s) => s.uses === ACTION_REF)!.with!;

/** The `with:` values with the workflow's expressions given test values, as GitHub would. */
function resolved(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v).replace(/\$\{\{ *(vars|secrets)\.(\w+) *\}\}/g, (_, kind: string, name: string) => `${kind}-${name}`)]));
}

function tempTree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-init-'));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content, { mode: name.includes('hooks/') ? 0o755 : 0o644 });
  }
  return dir;
}

describe('the workflow for one Dockerfile at the root', () => {
  it('push to the default branch and v* tags, pull requests, manual runs, a weekly schedule', () => {
    const { wf } = workflow();
    expect(wf.name).toBe('image');
    expect(wf.on.push).toEqual({ branches: ['main'], tags: ['v*'] });
    expect(Object.keys(wf.on)).toEqual(['push', 'pull_request', 'workflow_dispatch', 'schedule']);
    expect(wf.on.schedule).toEqual([{ cron: weeklyCron('docker.io/acme/app').cron }]);
    expect(wf.on.schedule[0]!.cron).toMatch(/^\d{1,2} \d{1,2} \* \* [0-6]$/);
    expect(wf.permissions).toEqual({ contents: 'read' });
    expect(wf.concurrency['cancel-in-progress']).toBe("${{ github.event_name == 'pull_request' }}");
  });

  it('a push job and a scheduled job with rebuild: base-changed, each checkout@v5 then the action', () => {
    const { wf } = workflow();
    expect(Object.keys(wf.jobs)).toEqual(['image', 'rebuild']);
    expect(wf.jobs.image!.if).toBe("github.event_name != 'schedule'");
    expect(wf.jobs.rebuild!.if).toBe("github.event_name == 'schedule'");
    for (const job of Object.values(wf.jobs)) {
      expect(job.steps.map((s) => s.uses)).toEqual(['actions/checkout@v5', 'OWNER/autobuild@v1']);
      expect(job['runs-on']).toBe('ubuntu-latest');
    }
    // Plain defaults: no context, file or rules for the root Dockerfile.
    expect(stepWith(wf, 'image')).toEqual({ image: 'acme/app', username: '${{ vars.DOCKERHUB_USERNAME }}', password: '${{ secrets.DOCKERHUB_TOKEN }}' });
    expect(stepWith(wf, 'rebuild')).toEqual({ ...stepWith(wf, 'image'), rebuild: 'base-changed' });
  });

  it('every with: key is an input of action.yml (rebuild: the scheduled job only), and the action reads the values', () => {
    const { wf } = workflow({ image: 'acme/app, ghcr.io/acme/app, quay.io/acme/app', testCommand: 'python -c "import app"' });
    for (const job of ['image', 'rebuild']) {
      const values = stepWith(wf, job);
      for (const key of Object.keys(values)) expect([...INPUT_NAMES, ...(job === 'rebuild' ? ['rebuild'] : [])]).toContain(key);
      const inputs = readInputs(os.tmpdir(), (name) => resolved(values)[name] ?? '');
      expect(inputs.images.map((i) => i.name)).toEqual(['docker.io/acme/app', 'ghcr.io/acme/app', 'quay.io/acme/app']);
      expect(inputs.registryAuth).toEqual([{ registry: 'quay.io', username: 'vars-QUAY_IO_USERNAME', password: 'secrets-QUAY_IO_PASSWORD' }]);
      expect(inputs.testCommand).toBe('python -c "import app"');
    }
  });

  it('a comment on each part, and a test-command hint when nothing tests the image', () => {
    const { text } = workflow();
    expect(text).toMatch(/^# .*autobuild/);
    expect(text).toContain('#   Dockerfile, hooks/post_push, docker-compose.test.yml');
    expect(text).toContain('# Pull requests are built and tested, never pushed');
    expect(text).not.toContain('test-command');
    expect(workflow({ dockerfiles: [{ file: 'Dockerfile', hooks: [], autotests: [] }] }).text).toContain('# test-command: ./run-tests.sh');
  });
});

describe('registries: what the workflow logs in with, and what to set', () => {
  it('Docker Hub: the DOCKERHUB_USERNAME variable and the DOCKERHUB_TOKEN secret', () => {
    const { result } = workflow();
    expect(result.settings.map((s) => `${s.kind} ${s.name}`)).toEqual(['variable DOCKERHUB_USERNAME', 'secret DOCKERHUB_TOKEN']);
  });

  it('ghcr.io: packages: write and no secret (the job token)', () => {
    const { wf, result } = workflow({ image: 'ghcr.io/acme/app' });
    expect(wf.permissions).toEqual({ contents: 'read', packages: 'write' });
    expect(stepWith(wf, 'image')).toEqual({ image: 'ghcr.io/acme/app' });
    expect(result.settings).toEqual([]);
    expect(result.notes.join('\n')).toContain('GITHUB_TOKEN');
  });

  it('another registry: REGISTRY_USERNAME and REGISTRY_PASSWORD', () => {
    const { wf, result } = workflow({ image: 'localhost:5000/acme/app' });
    expect(stepWith(wf, 'image')).toEqual({ image: 'localhost:5000/acme/app', username: '${{ vars.REGISTRY_USERNAME }}', password: '${{ secrets.REGISTRY_PASSWORD }}' });
    expect(result.settings.map((s) => s.name)).toEqual(['REGISTRY_USERNAME', 'REGISTRY_PASSWORD']);
  });

  it('a bad image name fails naming it', () => {
    expect(() => workflow({ image: 'acme/App:1' })).toThrow("--image 'acme/App:1' is not a repository name: it contains a tag");
  });
});

describe('Dockerfiles elsewhere, several Dockerfiles, given rules', () => {
  it('one Dockerfile in a folder: its folder is the context; another name is the file', () => {
    expect(stepWith(workflow({ dockerfiles: [{ file: 'docker/Dockerfile', hooks: [], autotests: [] }] }).wf, 'image').context).toBe('docker');
    const prod = stepWith(workflow({ dockerfiles: [{ file: 'Dockerfile.prod', hooks: [], autotests: [] }] }).wf, 'image');
    expect(prod.file).toBe('Dockerfile.prod');
    expect(prod.context).toBeUndefined();
  });

  it('two Dockerfiles: a rules: block the action reads, one pair of rules each, distinct tags', () => {
    const files = [ROOT_DOCKERFILE, { file: 'alpine/Dockerfile', hooks: [], autotests: [] }];
    const { wf } = workflow({ dockerfiles: files });
    const rules = parseRules(stepWith(wf, 'image').rules!);
    expect(rules.map((r) => [r.sourceType, r.source, r.tag, r.context, r.dockerfile])).toEqual([
      ['branch', 'main', 'latest', '/', 'Dockerfile'],
      ['tag', '/^v([0-9.]+)$/', '{\\1}', '/', 'Dockerfile'],
      ['branch', 'main', 'alpine', 'alpine', 'Dockerfile'],
      ['tag', '/^v([0-9.]+)$/', '{\\1}-alpine', 'alpine', 'Dockerfile'],
    ]);
    // A /regex/ source is no glob: every tag starts the workflow, the rules decide.
    expect(wf.on.push).toEqual({ branches: ['main'], tags: ['**'] });
    expect(stepWith(wf, 'image').context).toBeUndefined();
  });

  it('variant names: from the folder and the name, unique', () => {
    expect(['Dockerfile', 'Dockerfile.alpine', 'alpine.Dockerfile', 'debian/Dockerfile', 'docker/Dockerfile.Slim'].map(variantName)).toEqual(['', 'alpine', 'alpine', 'debian', 'docker-slim']);
    const { wf } = workflow({ dockerfiles: ['Dockerfile.alpine', 'alpine/Dockerfile'].map((file) => ({ file, hooks: [], autotests: [] })) });
    expect(parseRules(stepWith(wf, 'image').rules!).map((r) => r.tag)).toEqual(['alpine', '{\\1}-alpine', 'alpine-2', '{\\1}-alpine-2']);
  });

  it('given rules: written as given, literal sources are the push filters', () => {
    const { wf } = workflow({
      rules: [
        { 'source-type': 'branch', source: 'master', tag: 'latest' },
        { 'source-type': 'tag', source: '1.10', tag: '{sourceref},stable', dockerfile: 'Dockerfile', context: '/' },
        { 'source-type': 'branch', source: '/^release-(.*)$/', tag: '{\\1}', autobuild: false },
      ],
    });
    expect(wf.on.push).toEqual({ branches: ['master'], tags: ['1.10'] });
    const rules = parseRules(stepWith(wf, 'image').rules!);
    expect(rules.map((r) => [r.source, r.tag, r.autobuild])).toEqual([['master', 'latest', true], ['1.10', '{sourceref},stable', true], ['/^release-(.*)$/', '{\\1}', false]]);
  });

  it('yamlScalar: YAML reads every value back as written', () => {
    for (const v of ['main', '/^v([0-9.]+)$/', '{\\1}', '{sourceref},latest', '1.10', 'true', 'no', "it's", 'a: b', 'x #y', '-v', '.env', 'release-{sourceref}', 'acme/app, ghcr.io/acme/app']) {
      expect(parse(`k: ${yamlScalar(v)}`)).toEqual({ k: v });
    }
  });
});

describe("Docker Hub's build-rule table", () => {
  const HEADER = ['Source Type', 'Source', 'Docker Tag', 'Dockerfile location', 'Build Context', 'Autobuild', 'Build Caching'];

  it('tab separated, as copied from the build settings page', () => {
    const text = [HEADER.join('\t'), 'Branch\tmaster\tlatest\tDockerfile\t/\ton\ton', 'Tag\t/^v([0-9.]+)$/\t{\\1},latest\tDockerfile\t/\ton\toff', 'Branch\t/^release-(.*)$/\t{\\1}-rc\t\t\toff\toff', ''].join('\n');
    expect(parseRuleFile(text, 'rules.tsv').map((r) => [r.where, r.spec])).toEqual([
      ['rules.tsv line 2', { 'source-type': 'branch', source: 'master', tag: 'latest', dockerfile: 'Dockerfile', context: '/' }],
      ['rules.tsv line 3', { 'source-type': 'tag', source: '/^v([0-9.]+)$/', tag: '{\\1},latest', dockerfile: 'Dockerfile', context: '/' }],
      ['rules.tsv line 4', { 'source-type': 'branch', source: '/^release-(.*)$/', tag: '{\\1}-rc', autobuild: false }],
    ]);
  });

  it('CSV (a comma list quoted) and a Markdown table give the same rules', () => {
    const csv = `# exported\n${HEADER.join(',')}\nTag,/^v([0-9.]+)$/,"{\\1},latest",Dockerfile,/,on,on\n`;
    const md = `| ${HEADER.join(' | ')} |\n| --- | --- | --- | --- | --- | --- | --- |\n| Tag | \`/^v([0-9.]+)$/\` | \`{\\1},latest\` | Dockerfile | / | on | on |\n`;
    const spec = { 'source-type': 'tag', source: '/^v([0-9.]+)$/', tag: '{\\1},latest', dockerfile: 'Dockerfile', context: '/' };
    expect(parseRuleFile(csv, 'rules.csv')).toEqual([{ spec, where: 'rules.csv line 3' }]);
    expect(parseRuleFile(md, 'rules.md')).toEqual([{ spec, where: 'rules.md line 3' }]);
  });

  it("errors name the file's line, checked by the action's own rules parser", () => {
    const tsv = (row: string): string => `Source Type\tSource\tDocker Tag\nBranch\tmain\tlatest\n${row}\n`;
    expect(() => parseRuleFile(tsv('Tag\t/^v([0-9.]+)$/\t{\\2}'), 'r.tsv')).toThrow("r.tsv line 3: tag '{\\2}' uses {\\2} but source /^v([0-9.]+)$/ has 1 capture group.");
    expect(() => parseRuleFile(tsv('Commit\tabc\tx'), 'r.tsv')).toThrow("r.tsv line 3: Source Type 'Commit' is not accepted (expected Branch or Tag)");
    expect(() => parseRuleFile(tsv('Tag\t/^v(/\tx'), 'r.tsv')).toThrow(/^r\.tsv line 3: source \/\^v\(\/ is not a valid regular expression/);
    expect(() => parseRuleFile(tsv('Tag\tv1\t{version}'), 'r.tsv')).toThrow("r.tsv line 3: tag '{version}' uses the unknown variable '{version}'");
    expect(() => parseRuleFile('Source Type\tSource\tDocker Tag\tColour\nTag\tv1\tx\tred\n', 'r.tsv')).toThrow("r.tsv line 1: unknown column 'Colour'");
    expect(() => parseRuleFile('Source Type,Source,Tags\n', 'r.csv')).toThrow('r.csv line 1: unknown column');
    expect(() => parseRuleFile('Source Type\tDocker Tag\nTag\tx\n', 'r.tsv')).toThrow('r.tsv line 1: the table has no Source column');
    expect(() => parseRuleFile(`${HEADER.join('\t')}\nTag\tv1\tx\t\t\tmaybe\ton\n`, 'r.tsv')).toThrow("r.tsv line 2: Autobuild 'maybe' is not accepted (expected on or off)");
  });

  it('the YAML list of the rules input, with its errors on their line', () => {
    const yaml = "- source-type: branch\n  source: main\n  tag: latest\n\n- source-type: tag\n  source: /^v(.*)$/\n  tag: '{\\1}'\n";
    expect(parseRuleFile(yaml, 'rules.yml').map((r) => r.where)).toEqual(['rules.yml line 1', 'rules.yml line 5']);
    expect(() => parseRuleFile(yaml.replace('source-type: tag', 'source-type: commit'), 'rules.yml')).toThrow("rules.yml line 5 (rule 2): source-type 'commit' is not accepted");
    expect(() => parseRuleFile('source-type: tag\n', 'rules.yml')).toThrow("rules.yml: the rules must be a YAML list of rules");
  });

  it('--rule: SOURCE-TYPE SOURCE TAG [DOCKERFILE [CONTEXT]]', () => {
    expect(parseRuleFlag('tag /^v([0-9.]+)$/ {\\1},latest docker/Dockerfile /', 1).spec).toEqual({
      'source-type': 'tag',
      source: '/^v([0-9.]+)$/',
      tag: '{\\1},latest',
      dockerfile: 'docker/Dockerfile',
      context: '/',
    });
    expect(() => parseRuleFlag('main latest', 2)).toThrow("--rule 2 ('main latest'): expected SOURCE-TYPE SOURCE TAG");
  });
});

describe('finding Dockerfiles', () => {
  it("the root Dockerfile first; hooks/ and autotests next to each; dependency and dot-folders skipped", () => {
    const dir = tempTree({
      'Dockerfile': 'FROM scratch\n',
      'hooks/post_push': '#!/bin/sh\n',
      'hooks/pre_build': '#!/bin/sh\n',
      'hooks/README.md': 'not a hook\n',
      'docker-compose.test.yml': 'services: {}\n',
      'smoke-test.yml': 'services: {}\n',
      'compose.yml': 'services: {}\n',
      'alpine/Dockerfile.alpine': 'FROM scratch\n',
      'alpine/app.test.yml': 'services: {}\n',
      'alpine/Dockerfile.alpine.dockerignore': '*\n',
      'node_modules/pkg/Dockerfile': 'FROM scratch\n',
      'vendor/lib/Dockerfile': 'FROM scratch\n',
      '.git/Dockerfile': 'FROM scratch\n',
      '.devcontainer/Dockerfile': 'FROM scratch\n',
      'Dockerfile.template': 'FROM scratch\n',
    });
    expect(findDockerfiles(dir)).toEqual([
      { file: 'Dockerfile', hooks: ['pre_build', 'post_push'], autotests: ['docker-compose.test.yml', 'smoke-test.yml'] },
      { file: 'alpine/Dockerfile.alpine', hooks: [], autotests: ['alpine/app.test.yml'] },
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('Dockerfile names', () => {
    expect(['Dockerfile', 'Dockerfile.alpine', 'Dockerfile-dev', 'app.Dockerfile', 'web.dockerfile'].every(isDockerfileName)).toBe(true);
    expect(['Dockerfile.dockerignore', 'Dockerfile.md', 'Dockerfile.j2', 'dockerfile.txt', 'Dockerfiles', 'README'].some(isDockerfileName)).toBe(false);
  });
});

describe('the init subcommand on the command line', () => {
  it('is the first argument that is not an option or its value', () => {
    expect(initRequested(['init'])).toBe(true);
    expect(initRequested(['init', '--image', 'acme/app', '.'])).toBe(true);
    expect(initRequested(['--image', 'acme/app', 'init', '--force'])).toBe(true);
    expect(initRequested(['./init'])).toBe(false);
    expect(initRequested(['--context', 'init', '.'])).toBe(false);
    expect(initRequested(['plan', 'init'])).toBe(false);
    expect(initRequested(['--image=acme/app', '--verbose', '.'])).toBe(false);
  });
});
