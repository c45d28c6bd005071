import * as crypto from 'node:crypto';
import * as path from 'node:path';
import { DOCKER_HUB, parseImage, type ImageRef } from '../plan/images.js';
import { sanitizeTag } from '../plan/tags.js';

/** The action as the README names it: the one place the generated workflow's `uses:` comes from. */
export const ACTION_REF = 'OWNER/autobuild@v1';
export const CHECKOUT_REF = 'actions/checkout@v5';
/** Where `autobuild init` writes, relative to the repository root. */
export const WORKFLOW_PATH = '.github/workflows/image.yml';

/** A Dockerfile found in the repository, with the Docker Hub files next to it. */
export interface FoundDockerfile {
  /** Relative to the repository root, with `/`: `Dockerfile`, `docker/Dockerfile.alpine`. */
  file: string;
  /** The hooks/ next to it, by name (post_push, pre_build, ...). */
  hooks: string[];
  /** Its autotest files, relative to the repository root. */
  autotests: string[];
}

/** One Docker Hub build rule, with the keys of the `rules` input. */
export interface RuleSpec {
  'source-type': 'branch' | 'tag';
  source: string;
  tag: string;
  dockerfile?: string;
  context?: string;
  autobuild?: boolean;
}

/** A repository setting the workflow reads: a variable or a secret. */
export interface Setting {
  kind: 'variable' | 'secret';
  name: string;
  what: string;
}

export interface InitInput {
  /** The `image` value as given (comma separated names). */
  image: string;
  dockerfiles: FoundDockerfile[];
  /** Build rules given by the user (a file or --rule); none: one Dockerfile is built with defaults, several get rules. */
  rules?: RuleSpec[];
  defaultBranch: string;
  testCommand?: string;
}

export interface InitResult {
  text: string;
  /** The rules written into the workflow (given, or made for several Dockerfiles), if any. */
  rules?: RuleSpec[];
  settings: Setting[];
  /** Extra lines for the user: how the registries log in. */
  notes: string[];
  cron: string;
}

/** A value as a YAML scalar on one line: plain where YAML reads it back as the same text, else single-quoted. */
export function yamlScalar(value: string): string {
  if (value.includes('\n')) return JSON.stringify(value);
  const plain =
    /^[A-Za-z0-9_/.][A-Za-z0-9_/.,()[\]^$+*?|\\ -]*$/.test(value) &&
    !/ $/.test(value) &&
    !/^(true|false|yes|no|on|off|null|~|y|n)$/i.test(value) &&
    !/^[-+]?(\.?[0-9]|0[xob])/i.test(value) &&
    !/^[.][A-Za-z]/.test(value);
  return plain ? value : `'${value.replace(/'/g, "''")}'`;
}

/** A rule list as the `rules` input's YAML, one key a line. */
export function rulesYaml(rules: RuleSpec[]): string[] {
  const lines: string[] = [];
  for (const r of rules) {
    lines.push(`- source-type: ${r['source-type']}`);
    lines.push(`  source: ${yamlScalar(r.source)}`);
    lines.push(`  tag: ${yamlScalar(r.tag)}`);
    if (r.dockerfile !== undefined) lines.push(`  dockerfile: ${yamlScalar(r.dockerfile)}`);
    if (r.context !== undefined) lines.push(`  context: ${yamlScalar(r.context)}`);
    if (r.autobuild === false) lines.push('  autobuild: false');
  }
  return lines;
}

/**
 * The variant name of a Dockerfile among several, for its tags: empty for the root `Dockerfile`,
 * else its folder and its name's extra part (`Dockerfile.alpine` -> alpine, `debian/Dockerfile`
 * -> debian, `docker/Dockerfile.slim` -> docker-slim), a valid tag, lower-case.
 */
export function variantName(file: string): string {
  const dir = path.posix.dirname(file);
  const base = path.posix.basename(file);
  const extra = base === 'Dockerfile' ? '' : base.replace(/^Dockerfile[.-]?/, '').replace(/[.-]?[Dd]ockerfile$/, '');
  const parts = [dir === '.' ? '' : dir.replace(/\//g, '-'), extra].filter(Boolean);
  return parts.length ? sanitizeTag(parts.join('-').toLowerCase()) : '';
}

/**
 * Build rules for several Dockerfiles, one pair a Dockerfile as Docker Hub repositories with
 * variants set them up: the default branch gives `latest` (the root Dockerfile) or the variant's
 * name, a release tag vX.Y.Z gives X.Y.Z (or X.Y.Z-<variant>). Pure.
 */
export function rulesForDockerfiles(files: FoundDockerfile[], defaultBranch: string): RuleSpec[] {
  const used = new Set<string>();
  const named = files.map((f) => {
    let name = variantName(f.file);
    for (let n = 2; used.has(name); n++) name = `${variantName(f.file) || 'default'}-${n}`;
    used.add(name);
    return { f, name };
  });
  const rules: RuleSpec[] = [];
  for (const { f, name } of named) {
    const dir = path.posix.dirname(f.file);
    const paths = { dockerfile: path.posix.basename(f.file), context: dir === '.' ? '/' : dir };
    rules.push({ 'source-type': 'branch', source: defaultBranch, tag: name || 'latest', ...paths });
    rules.push({ 'source-type': 'tag', source: '/^v([0-9.]+)$/', tag: name ? `{\\1}-${name}` : '{\\1}', ...paths });
  }
  return rules;
}

/** A weekly cron line at a time of its own for this image (GitHub delays the busy top of the hour), and its reading. */
export function weeklyCron(image: string): { cron: string; when: string } {
  const h = crypto.createHash('sha256').update(image).digest();
  const minute = h[0]! % 60;
  const hour = h[1]! % 24;
  const day = h[2]! % 7;
  const days = ['Sundays', 'Mondays', 'Tuesdays', 'Wednesdays', 'Thursdays', 'Fridays', 'Saturdays'];
  return { cron: `${minute} ${hour} * * ${day}`, when: `${days[day]} ${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')} UTC` };
}

/** An environment-style name for a registry host: quay.io -> QUAY_IO. */
function hostName(registry: string): string {
  return registry.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

interface Login {
  /** `with:` lines (key, value, comment). */
  lines: [string, string, string?][];
  packagesWrite: boolean;
  settings: Setting[];
  notes: string[];
}

/**
 * How the registries of `image` log in: Docker Hub with the DOCKERHUB_USERNAME variable and the
 * DOCKERHUB_TOKEN secret, ghcr.io with the job's token (packages: write), any other registry with
 * REGISTRY_USERNAME / REGISTRY_PASSWORD (<HOST>_USERNAME / <HOST>_PASSWORD in `registry-auth` when
 * there are several). Pure.
 */
export function loginFor(images: ImageRef[]): Login {
  const registries = [...new Set(images.map((i) => i.registry))];
  const login: Login = { lines: [], packagesWrite: false, settings: [], notes: [] };
  const others = registries.filter((r) => r !== DOCKER_HUB && r !== 'ghcr.io');
  const extra: string[] = [];
  if (registries.includes(DOCKER_HUB)) {
    login.lines.push(['username', '${{ vars.DOCKERHUB_USERNAME }}'], ['password', '${{ secrets.DOCKERHUB_TOKEN }}', 'a Docker Hub access token']);
    login.settings.push(
      { kind: 'variable', name: 'DOCKERHUB_USERNAME', what: 'your Docker Hub user (or organization member) name' },
      { kind: 'secret', name: 'DOCKERHUB_TOKEN', what: 'a Docker Hub personal access token with Read & Write access (Account settings > Personal access tokens)' },
    );
    extra.push(...others);
  } else if (others.length === 1) {
    login.lines.push(['username', '${{ vars.REGISTRY_USERNAME }}'], ['password', '${{ secrets.REGISTRY_PASSWORD }}', `for ${others[0]}`]);
    login.settings.push(
      { kind: 'variable', name: 'REGISTRY_USERNAME', what: `your user name on ${others[0]}` },
      { kind: 'secret', name: 'REGISTRY_PASSWORD', what: `a password or access token for ${others[0]} that can push` },
    );
  } else {
    extra.push(...others);
  }
  if (extra.length) {
    const auth = extra.flatMap((r) => [
      `- registry: ${r}`,
      `  username: \${{ vars.${hostName(r)}_USERNAME }}`,
      `  password: \${{ secrets.${hostName(r)}_PASSWORD }}`,
    ]);
    login.lines.push(['registry-auth', `|\n${auth.join('\n')}`, 'one entry a registry']);
    for (const r of extra) {
      login.settings.push(
        { kind: 'variable', name: `${hostName(r)}_USERNAME`, what: `your user name on ${r}` },
        { kind: 'secret', name: `${hostName(r)}_PASSWORD`, what: `a password or access token for ${r} that can push` },
      );
    }
  }
  if (registries.includes('ghcr.io')) {
    login.packagesWrite = true;
    login.notes.push("ghcr.io: nothing to set; the job's GITHUB_TOKEN pushes (permissions: packages: write). A new package starts private: make it public in its package settings if it should be.");
  }
  return login;
}

/** Parses the `image` value as the action does; throws naming the first bad name. */
export function parseImages(value: string): ImageRef[] {
  const names = value.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);
  if (!names.length) throw new Error('--image is empty: give a repository such as acme/app (Docker Hub) or ghcr.io/acme/app');
  return names.map((name) => {
    const ref = parseImage(name);
    if (typeof ref === 'string') throw new Error(`--image '${name}' is not a repository name: ${ref}`);
    return ref;
  });
}

/** The branches and tags whose pushes start the workflow: the rules' sources, or the default branch and v* tags. */
export function pushFilters(rules: RuleSpec[] | undefined, defaultBranch: string): { branches: string[]; tags: string[] } {
  if (!rules) return { branches: [defaultBranch], tags: ['v*'] };
  const on = rules.filter((r) => r.autobuild !== false);
  const filter = (type: 'branch' | 'tag'): string[] => {
    const sources = on.filter((r) => r['source-type'] === type).map((r) => r.source);
    // A /regex/ is not a glob: every name starts the workflow and the rules decide what is built.
    if (sources.some((s) => s.startsWith('/'))) return ['**'];
    return [...new Set(sources)];
  };
  return { branches: filter('branch'), tags: filter('tag') };
}

function flowList(items: string[]): string {
  return `[${items.map((i) => (/^[A-Za-z0-9_.\/-]+$/.test(i) && yamlScalar(i) === i ? i : `'${i.replace(/'/g, "''")}'`)).join(', ')}]`;
}

/**
 * The workflow `autobuild init` writes, as text with a comment on each part: push and pull
 * request triggers, a manual trigger, and a weekly scheduled job that rebuilds when the base image
 * changed. Pure.
 */
export function makeWorkflow(input: InitInput): InitResult {
  const images = parseImages(input.image);
  const imageValue = images.map((i) => i.input).join(', ');
  const files = input.dockerfiles;
  const rules = input.rules ?? (files.length > 1 ? rulesForDockerfiles(files, input.defaultBranch) : undefined);
  const login = loginFor(images);
  const { cron, when } = weeklyCron(images.map((i) => i.name).join(','));
  const { branches, tags } = pushFilters(rules, input.defaultBranch);

  const withLines: string[] = [];
  const add = (key: string, value: string, comment?: string): void => {
    if (value.startsWith('|\n')) {
      withLines.push(`${key}: |${comment ? `  # ${comment}` : ''}`);
      for (const line of value.slice(2).split('\n')) withLines.push(`  ${line}`);
    } else {
      withLines.push(`${key}: ${value}${comment ? `  # ${comment}` : ''}`);
    }
  };
  add('image', yamlScalar(imageValue), images.length > 1 ? 'the same tested image goes to each' : undefined);
  for (const [key, value, comment] of login.lines) add(key, value, comment);
  const single = !rules && files.length === 1 ? files[0]! : undefined;
  if (single) {
    const dir = path.posix.dirname(single.file);
    if (dir !== '.') add('context', yamlScalar(dir), "the Dockerfile's folder, where its hooks/ and autotests are");
    if (path.posix.basename(single.file) !== 'Dockerfile') add('file', yamlScalar(single.file));
  }
  if (rules) add('rules', `|\n${rulesYaml(rules).join('\n')}`, input.rules ? 'your Docker Hub build rules' : 'one pair of rules a Dockerfile found: edit the tags to your scheme');
  const tested = files.some((f) => f.autotests.length || f.hooks.includes('test'));
  if (input.testCommand) add('test-command', yamlScalar(input.testCommand), 'run inside the image before any push');

  const found = files.flatMap((f) => {
    const dir = path.posix.dirname(f.file);
    const rel = (n: string): string => (dir === '.' ? n : `${dir}/${n}`);
    return [f.file, ...f.hooks.map((h) => rel(`hooks/${h}`)), ...f.autotests];
  });
  const out: string[] = [];
  out.push('# Build the image, test it, push it: Docker Hub automated builds as one step (autobuild).');
  out.push('# Each run builds once, runs the tests inside the image it built (hooks/ and autotest files next');
  out.push('# to the Dockerfile run as on Docker Hub) and pushes that same image only when they pass.');
  if (found.length) {
    out.push('# Found in the repository:');
    for (const line of wrap(found.join(', '), 94)) out.push(`#   ${line}`);
  }
  out.push('# Written by `autobuild init`; edit it freely. Preview a ref: npx autobuild plan --ref REF (and these inputs)');
  out.push('name: image');
  out.push('');
  out.push('on:');
  if (rules) {
    out.push('  # Pushes of the branches and tags the build rules name; the rules decide the tags.');
  } else {
    out.push(`  # A push to ${input.defaultBranch}: latest, ${sanitizeTag(input.defaultBranch)}, sha-<7>. A tag v1.2.3 is a release: 1.2.3, 1.2, 1, latest.`);
  }
  out.push('  push:');
  if (branches.length) out.push(`    branches: ${flowList(branches)}`);
  if (tags.length) out.push(`    tags: ${flowList(tags)}`);
  if (!branches.length && !tags.length) out.push(`    branches: ${flowList([input.defaultBranch])}`);
  out.push('  # Pull requests are built and tested, never pushed (a fork gets no secrets).');
  out.push('  pull_request:');
  out.push("  # Run it by hand from the Actions tab, as Docker Hub's Trigger button did.");
  out.push('  workflow_dispatch:');
  out.push(`  # Weekly (${when}), on ${input.defaultBranch}: the rebuild job below.`);
  out.push('  schedule:');
  out.push(`    - cron: '${cron}'`);
  out.push('');
  out.push("# One run per branch or tag at a time; a pull request's new commits cancel its older run.");
  out.push('concurrency:');
  out.push('  group: image-${{ github.ref }}');
  out.push("  cancel-in-progress: ${{ github.event_name == 'pull_request' }}");
  out.push('');
  out.push('permissions:');
  out.push('  contents: read');
  if (login.packagesWrite) out.push('  packages: write  # push to ghcr.io with the job token');
  out.push('');
  out.push('jobs:');
  const job = (name: string, comment: string, condition: string, more: string[]): void => {
    out.push(`  ${name}:`);
    out.push(`    # ${comment}`);
    out.push(`    if: ${condition}`);
    out.push('    runs-on: ubuntu-latest');
    out.push('    steps:');
    out.push(`      - uses: ${CHECKOUT_REF}`);
    out.push(`      - uses: ${ACTION_REF}`);
    out.push('        with:');
    for (const line of [...withLines, ...more]) out.push(`          ${line}`);
  };
  const testHint = !tested && !input.testCommand ? ['# test-command: ./run-tests.sh  # a command run inside the image before any push'] : [];
  job('image', 'Pushes, pull requests and manual runs.', "github.event_name != 'schedule'", testHint);
  out.push('');
  job(
    'rebuild',
    "The weekly run: pushes a rebuild only when the base image changed (Docker Hub's base image trigger).",
    "github.event_name == 'schedule'",
    ['rebuild: base-changed'],
  );
  return { text: `${out.join('\n')}\n`, rules, settings: login.settings, notes: login.notes, cron };
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}
