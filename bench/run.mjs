#!/usr/bin/env node
// Benchmark: the whole job (build with cache, test inside the image, push sha + branch tags) run by
// autobuild (the bundled dist/index.js, started as a GitHub runner starts it) against the same job
// written as plain docker CLI commands, in these runner situations:
//
//   cold         nothing local, nothing remote
//   warm         the same commit again on the same runner
//   fresh        a fresh runner (no local images, no local build cache), remote cache kept
//   fresh+change a fresh runner after a source change
//   2p cold      two platforms (linux/amd64 and linux/arm64, the one not native under QEMU),
//                nothing local, nothing remote: built, tested inside each platform's image, pushed
//   2p warm      the same two-platform commit again on the same runner
//   big          an app in the shape of a Python service with large dependencies: a build stage
//                makes /venv with a 1 GB file in it (--big-mb), the runtime stage copies /venv; a
//                source change on a fresh runner with the registry cache (after a first build of
//                that app, once per job kind, that is not measured)
//   warm-far     warm, with the registry (image and cache) 50 ms away (a relay that holds every
//                piece 25 ms each way), as a hosted registry is from a runner (after a first build,
//                once per job kind, that is not measured)
//
// Prints each time (median and minimum of --rounds, default 3) and the ratio autobuild/CLI, plus
// autobuild's own start-up cost (node start to its first request to the engine). The machine's
// noise only ever adds time, so the minimum is the closer measure of each side's own cost.
//
//   npm run bench [-- --rounds 3] [-- --readme] [-- --node PATH] [-- --engine current|oldest]
//                 [-- --situations cold,warm,...] [-- --big-mb 1024]
//
// --readme writes the table into README.md (all situations only); --engine picks the test world's
// engine generation (current: Docker 28.5 + buildx 0.29, the default; oldest: Docker 26.1 + buildx
// 0.13); --situations runs only the groups of the situations named (the one-platform ones, the
// two-platform ones, big, warm-far: each group's situations build on the ones before them) and shows only those.
//
// A runner starts the action with the node of action.yml's `runs.using` (node24), whose start-up
// is much shorter than older nodes': give that node with --node (or AUTOBUILD_BENCH_NODE), else
// the action runs with the node running this script, and the table says which it was.
//
// Only this benchmark's own things are removed between situations: its images (by repository) and
// the build-cache records of its own steps (each step carries a marker unique to the run), one
// record id at a time. The base image stays, as a runner image's preloaded images would. A cold
// builder is emulated with a new marker (so no cache key matches) and new registry repositories.
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { pruneOwnRecords } from '../scripts/build-cache.mjs';
import { registryPort, WORLD_DIR } from '../scripts/world.mjs';
import { loadLine } from './machine.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
// The test world's registry: port 5000 unless scripts/test-world.sh had to take another.
const PORT = registryPort();
const REGISTRY = `localhost:${PORT}`;
const REGISTRY_URL = `http://127.0.0.1:${PORT}`;
const USER = process.env.AUTOBUILD_REGISTRY_USER ?? 'autobuild';
const PASSWORD = process.env.AUTOBUILD_REGISTRY_PASSWORD ?? 'autobuild-test-password';
const BASE_IMAGE = `${REGISTRY}/autobuild-test/busybox:latest`;
/** The test world's Python base (Debian's python3 and python3-venv), for the big situation. */
const PYTHON_IMAGE = `${REGISTRY}/autobuild-test/python:3`;
const TEST_COMMAND = 'test "$(/app.sh)" = "$(cat /expected)" && test -s /deps.bin';
const BIG_TEST_COMMAND = 'test "$(/app.sh)" = "$(cat /expected)" && test -s /venv/blob';
const ALL_SITUATIONS = ['cold', 'warm', 'fresh', 'fresh+change', '2p cold', '2p warm', 'big', 'warm-far'];
/** The singles: situations measured on an app of their own, after a first build that is not measured. */
const SINGLES = ['big', 'warm-far'];
/** Each way of the warm-far situation's link to the registry, in milliseconds. */
const FAR_MS = 25;
/** The platforms of the two-platform situations (each job tests the image of each). */
const TWO_PLATFORMS = ['linux/amd64', 'linux/arm64'];

const { values: opts } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    'layer-mb': { type: 'string', default: '64' },
    readme: { type: 'boolean' },
    node: { type: 'string' },
    engine: { type: 'string', default: 'current' },
    situations: { type: 'string', default: ALL_SITUATIONS.join(',') },
    'big-mb': { type: 'string', default: '1024' },
  },
});
const SITUATIONS = opts.situations.split(',').map((s) => s.trim()).filter(Boolean);
const unknown = SITUATIONS.filter((s) => !ALL_SITUATIONS.includes(s));
if (unknown.length || !SITUATIONS.length) {
  process.stderr.write(`bench: --situations is '${opts.situations}': expected a comma list of ${ALL_SITUATIONS.join(', ')}\n`);
  process.exit(2);
}
if (opts.readme && SITUATIONS.length !== ALL_SITUATIONS.length) {
  process.stderr.write(`bench: --readme writes the whole table: leave out --situations\n`);
  process.exit(2);
}
for (const name of ['rounds', 'layer-mb', 'big-mb']) {
  if (!/^[1-9]\d*$/.test(opts[name])) {
    process.stderr.write(`bench: --${name} is '${opts[name]}': expected a whole number above 0\n`);
    process.exit(2);
  }
}
if (!['current', 'oldest'].includes(opts.engine)) {
  process.stderr.write(`bench: --engine is '${opts.engine}': expected current or oldest\n`);
  process.exit(2);
}
/** The node the action runs with (see --node). */
const NODE = opts.node ?? process.env.AUTOBUILD_BENCH_NODE ?? process.execPath;
const ROUNDS = Number(opts.rounds);
const LAYER_MB = Number(opts['layer-mb']);
const BIG_MB = Number(opts['big-mb']);
const RUN_ID = `${Date.now().toString(36)}${process.pid.toString(36)}`;

// (`buildx du --verbose` of a shared engine runs to megabytes.)
const docker = (args, options = {}) => execFileSync('docker', args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024, ...options });

function log(line) {
  process.stderr.write(`bench: ${line}\n`);
}

// ---------------------------------------------------------------- the fixture app (a git repo)

function git(dir, ...args) {
  const env = { ...process.env, GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'bench@example.com', GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'bench@example.com' };
  return execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' }).trim();
}

/**
 * The app: a slow "install dependencies" step, a large layer, then the app code. Big: a Python
 * service's shape, a build stage whose venv holds BIG_MB of dependencies and a runtime stage that
 * copies it, then the app code.
 */
function makeApp(marker, { big = false } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-bench-app-'));
  const dockerfile = big
    ? [
        `FROM ${PYTHON_IMAGE} AS build`,
        `RUN python3 -m venv /venv && echo "${marker}" > /venv/marker && head -c ${BIG_MB}M /dev/urandom > /venv/blob`,
        `FROM ${PYTHON_IMAGE}`,
        'COPY --from=build /venv /venv',
        'COPY app.sh expected /',
        'ENTRYPOINT ["/app.sh"]',
      ]
    : [
        `FROM ${BASE_IMAGE}`,
        `RUN echo "${marker}" > /marker && sleep 5 && dd if=/dev/urandom of=/deps.bin bs=1M count=${LAYER_MB} 2>/dev/null`,
        'COPY app.sh expected /',
        'ENTRYPOINT ["/app.sh"]',
      ];
  fs.writeFileSync(path.join(dir, 'Dockerfile'), `${dockerfile.join('\n')}\n`);
  writeApp(dir, 1);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'app');
  return { dir, sha: () => git(dir, 'rev-parse', 'HEAD'), test: big ? BIG_TEST_COMMAND : TEST_COMMAND };
}

function writeApp(dir, version) {
  fs.writeFileSync(path.join(dir, 'app.sh'), `#!/bin/sh\necho "app v${version}"\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'expected'), `app v${version}\n`);
}

function change(app, version) {
  writeApp(app.dir, version);
  git(app.dir, 'commit', '-q', '-am', `v${version}`);
}

// ---------------------------------------------------------------- the engine generation

/**
 * Starts the test world; for the oldest generation also its engine, whose environment (its
 * socket, its docker CLI first on PATH, its plugins' DOCKER_CONFIG) this process and both jobs
 * then run with.
 */
function startWorld() {
  const script = path.join(ROOT, 'scripts/test-world.sh');
  if (opts.engine === 'current') return execFileSync('bash', [script], { stdio: ['ignore', 'inherit', 'inherit'] });
  const lines = execFileSync('bash', [script, 'oldest'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  for (const line of lines.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) process.env[line.slice(0, eq)] = line.slice(eq + 1);
  }
}

/** Gives a docker config folder the world's CLI plugins (the oldest generation keeps its own buildx and compose). */
function linkPlugins(configDir) {
  const plugins = process.env.DOCKER_CONFIG && path.join(process.env.DOCKER_CONFIG, 'cli-plugins');
  if (plugins && fs.existsSync(plugins)) {
    fs.mkdirSync(configDir, { recursive: true });
    fs.symlinkSync(plugins, path.join(configDir, 'cli-plugins'));
  }
}

// ---------------------------------------------------------------- the two jobs

function spawnTimed(cmd, args, options) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, seconds: Number(process.hrtime.bigint() - started) / 1e9, startedMs: Date.now() - Number(process.hrtime.bigint() - started) / 1e6 }));
  });
}

function readFileCommands(file) {
  const out = {};
  if (!fs.existsSync(file)) return out;
  for (const m of fs.readFileSync(file, 'utf8').matchAll(/^([^\n<]+)<<(\S+)\n([\s\S]*?)\n?\2$/gm)) out[m[1]] = m[3];
  return out;
}

/** The action, main step then post step, with the environment a GitHub runner gives it. */
async function actionJob(app, image, platforms = []) {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-bench-runner-'));
  const files = {
    GITHUB_EVENT_PATH: path.join(temp, 'event.json'),
    GITHUB_OUTPUT: path.join(temp, 'output'),
    GITHUB_STATE: path.join(temp, 'state'),
    GITHUB_STEP_SUMMARY: path.join(temp, 'summary.md'),
    GITHUB_ENV: path.join(temp, 'env'),
    GITHUB_PATH: path.join(temp, 'path'),
  };
  const sha = app.sha();
  fs.writeFileSync(
    files.GITHUB_EVENT_PATH,
    JSON.stringify({ ref: 'refs/heads/main', after: sha, head_commit: { id: sha, message: 'change', timestamp: '2026-01-02T03:04:05Z' }, repository: { full_name: 'acme/bench', default_branch: 'main', html_url: 'https://github.com/acme/bench' } }),
  );
  for (const f of Object.values(files).slice(1)) fs.writeFileSync(f, '');
  const base = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(INPUT_|GITHUB_|STATE_|RUNNER_|ACTIONS_)/.test(k) && k !== 'DOCKER_CONFIG') base[k] = v;
  const inputs = { image, username: USER, password: PASSWORD, 'test-command': app.test, context: '.', cache: 'auto', 'test-compose': 'auto', hooks: 'auto', push: 'auto', 'pr-preview': 'false', 'github-token': 'bench-token', platforms: platforms.join(',') };
  const env = {
    ...base,
    HOME: path.join(temp, 'home'),
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REF_NAME: 'main',
    GITHUB_REF_TYPE: 'branch',
    GITHUB_SHA: sha,
    GITHUB_REPOSITORY: 'acme/bench',
    GITHUB_ACTOR: 'bench',
    GITHUB_WORKSPACE: app.dir,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'http://127.0.0.1:9/unreachable',
    GITHUB_RUN_ID: '1',
    RUNNER_TEMP: temp,
    RUNNER_OS: 'Linux',
    ...files,
  };
  fs.mkdirSync(env.HOME, { recursive: true });
  linkPlugins(path.join(env.HOME, '.docker'));
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const entry = path.join(ROOT, 'dist/index.js');
  const main = await spawnTimed(NODE, [entry], { env, cwd: app.dir });
  const postEnv = { ...env };
  for (const [k, v] of Object.entries(readFileCommands(files.GITHUB_STATE))) postEnv[`STATE_${k}`] = v;
  const post = await spawnTimed(NODE, [entry], { env: postEnv, cwd: app.dir });
  const outputs = readFileCommands(files.GITHUB_OUTPUT);
  fs.rmSync(temp, { recursive: true, force: true });
  if (main.code !== 0 || post.code !== 0) throw new Error(`the action failed:\n${main.out.slice(-3000)}\n${post.out.slice(-1000)}`);
  const meta = JSON.parse(outputs.metadata ?? '{}');
  if (process.env.BENCH_VERBOSE) log(`action phases: ${JSON.stringify(meta.timings)} main ${main.seconds.toFixed(2)}s post ${post.seconds.toFixed(2)}s`);
  return { seconds: main.seconds + post.seconds, main, cache: meta.cache, steps: `${meta.builds?.[0]?.cachedSteps}/${meta.builds?.[0]?.totalSteps}` };
}

/**
 * The same job as a user would write it with the docker CLI: login, build with cache, test (in
 * each platform's image), tag, push, logout.
 */
async function cliJob(app, image, platforms = []) {
  const config = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-bench-cli-'));
  const env = { ...process.env, DOCKER_CONFIG: config };
  linkPlugins(config);
  const sha = app.sha().slice(0, 7);
  const cache = `${image}:buildcache-main`;
  const steps = [
    ['login', image.split('/')[0], '--username', USER, '--password-stdin'],
    ['buildx', 'build', '--provenance=false', ...(platforms.length ? ['--platform', platforms.join(',')] : []), '--tag', `${image}:sha-${sha}`, '--cache-from', `type=registry,ref=${cache}`, '--cache-to', `type=registry,ref=${cache},mode=max`, '--load', '.'],
    ...(platforms.length ? platforms : [undefined]).map((p) => ['run', '--rm', ...(p ? ['--platform', p] : []), '--entrypoint', 'sh', `${image}:sha-${sha}`, '-c', app.test]),
    ['tag', `${image}:sha-${sha}`, `${image}:main`],
    ['tag', `${image}:sha-${sha}`, `${image}:latest`],
    ['push', `${image}:sha-${sha}`],
    ['push', `${image}:main`],
    ['push', `${image}:latest`],
    ['logout', image.split('/')[0]],
  ];
  const started = process.hrtime.bigint();
  const each = [];
  for (const args of steps) {
    const t0 = process.hrtime.bigint();
    const r = await new Promise((resolve, reject) => {
      const child = spawn('docker', args, { cwd: app.dir, env, stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, out }));
      child.stdin.end(args[0] === 'login' ? PASSWORD : '');
    });
    if (r.code !== 0) throw new Error(`docker ${args.join(' ')} failed:\n${r.out.slice(-2000)}`);
    each.push(`${args[0]} ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(2)}`);
  }
  if (process.env.BENCH_VERBOSE) log(`cli steps: ${each.join(', ')}`);
  fs.rmSync(config, { recursive: true, force: true });
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

// ---------------------------------------------------------------- a registry far away

/**
 * A relay to the test world's registry on 127.0.0.1 that holds every piece FAR_MS each way, in
 * order (a round trip of 2 x FAR_MS, as a hosted registry is from a runner). The engine and
 * BuildKit reach 127.0.0.0/8 registries over plain HTTP, as they reach the registry itself.
 */
async function farLink() {
  const sockets = new Set();
  const server = net.createServer((client) => {
    const upstream = net.connect(PORT, '127.0.0.1');
    sockets.add(client).add(upstream);
    const relay = (from, to) => {
      from.on('data', (d) => setTimeout(() => to.write(d), FAR_MS));
      from.on('end', () => setTimeout(() => to.end(), FAR_MS));
    };
    relay(client, upstream);
    relay(upstream, client);
    const stop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', stop).on('close', () => sockets.delete(client));
    upstream.on('error', stop).on('close', () => sockets.delete(upstream));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${server.address().port}`,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

// ---------------------------------------------------------------- fresh runner, cleanup

/** A fresh runner for this app: its images and its own build-cache records gone; the registry untouched. */
function freshRunner(image, marker) {
  const refs = docker(['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', image]).split('\n').filter((r) => r && !r.endsWith(':<none>'));
  if (refs.length) docker(['image', 'rm', '--force', ...refs]);
  pruneOwnRecords(marker);
}

const auth = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
async function deleteRepository(repo) {
  const r = await fetch(`${REGISTRY_URL}/v2/${repo}/tags/list`, { headers: { authorization: auth } });
  if (!r.ok) return;
  const accept = ['application/vnd.oci.image.index.v1+json', 'application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v2+json', 'application/vnd.docker.distribution.manifest.list.v2+json'].join(', ');
  for (const tag of (await r.json()).tags ?? []) {
    const head = await fetch(`${REGISTRY_URL}/v2/${repo}/manifests/${tag}`, { method: 'HEAD', headers: { authorization: auth, accept } });
    const digest = head.headers.get('docker-content-digest');
    if (digest) await fetch(`${REGISTRY_URL}/v2/${repo}/manifests/${digest}`, { method: 'DELETE', headers: { authorization: auth } });
  }
}

// ---------------------------------------------------------------- start-up cost

/**
 * Node start to the action's first request to the engine: its own (to a socket that notes the
 * time and hangs up) or a docker command (through a `docker` on PATH that notes the time).
 */
async function startupCost() {
  const shimDir = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-bench-shim-'));
  const stamp = path.join(shimDir, 'first');
  const real = execFileSync('sh', ['-c', 'command -v docker'], { encoding: 'utf8' }).trim();
  fs.writeFileSync(path.join(shimDir, 'docker'), `#!/bin/sh\n[ -f '${stamp}' ] || date +%s%3N > '${stamp}'\nexec '${real}' "$@"\n`, { mode: 0o755 });
  let connected;
  const server = net.createServer((c) => {
    connected ??= Date.now();
    c.destroy();
  });
  const socket = path.join(shimDir, 'engine.sock');
  await new Promise((resolve) => server.listen(socket, resolve));
  const app = makeApp(`bench-startup-${RUN_ID}`);
  const samples = [];
  for (let i = 0; i < 5; i++) {
    fs.rmSync(stamp, { force: true });
    connected = undefined;
    for (const f of ['out', 'state']) fs.writeFileSync(path.join(shimDir, f), '');
    const spawned = Date.now();
    // The engine hangs up at once: the action asks the docker CLI, which fails, and the run ends.
    await spawnTimed(NODE, [path.join(ROOT, 'dist/index.js')], {
      cwd: app.dir,
      env: { ...process.env, PATH: `${shimDir}:${process.env.PATH}`, DOCKER_HOST: `unix://${socket}`, GITHUB_WORKSPACE: app.dir, GITHUB_REF: 'refs/heads/main', GITHUB_SHA: app.sha(), GITHUB_OUTPUT: path.join(shimDir, 'out'), GITHUB_STATE: path.join(shimDir, 'state'), INPUT_IMAGE: `${REGISTRY}/bench/startup`, INPUT_CACHE: 'auto', INPUT_PUSH: 'false' },
    });
    const first = [connected, fs.existsSync(stamp) ? Number(fs.readFileSync(stamp, 'utf8')) : undefined].filter((t) => t !== undefined);
    if (first.length) samples.push(Math.min(...first) - spawned);
  }
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(shimDir, { recursive: true, force: true });
  fs.rmSync(app.dir, { recursive: true, force: true });
  return median(samples);
}

// ---------------------------------------------------------------- main

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
}

async function machine() {
  const mem = `${Math.round(os.totalmem() / 2 ** 30)} GiB`;
  const engine = docker(['version', '--format', '{{.Server.Version}}']).trim();
  const buildx = (/\d+\.\d+\.\d+/.exec(docker(['buildx', 'version'])) ?? ['?'])[0];
  const store = docker(['info', '--format', '{{json .DriverStatus}}']).includes('snapshotter') ? 'containerd image store' : 'classic image store';
  return `${os.cpus()[0]?.model?.trim() ?? 'cpu'}, nproc ${os.availableParallelism()}, ${mem} memory, Docker engine ${engine} (${store}), buildx ${buildx}, action run with node ${actionNode().version}`;
}

/** The node the action runs with, and the one action.yml asks runners for. */
function actionNode() {
  const version = execFileSync(NODE, ['--version'], { encoding: 'utf8' }).trim().replace(/^v/, '');
  const wanted = /^\s*using:\s*node(\d+)/m.exec(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8'))?.[1];
  return { version, wanted, matches: !wanted || version.split('.')[0] === wanted };
}

async function main() {
  const node = actionNode();
  if (!node.matches) log(`runners start the action with node${node.wanted}; this bench starts it with node ${node.version} (give node${node.wanted} with --node)`);
  startWorld();
  if (!fs.existsSync(path.join(ROOT, 'dist/index.js'))) execFileSync('node', [path.join(ROOT, 'scripts/bundle.mjs')], { cwd: ROOT, stdio: 'inherit' });
  const started = Date.now();
  const times = { action: Object.fromEntries(ALL_SITUATIONS.map((s) => [s, []])), cli: Object.fromEntries(ALL_SITUATIONS.map((s) => [s, []])) };
  const repos = [];
  const cleanups = [];
  /** The app of each single situation and job kind: built once (not measured), then measured each round. */
  const singles = {};
  /** The warm-far situation's link to the registry. */
  let link;
  // Free space where the world keeps engines and registry: the big situation's layers are large.
  const disk = () => {
    const st = fs.statfsSync(fs.existsSync(WORLD_DIR) ? WORLD_DIR : os.tmpdir());
    return `${((st.bavail * st.bsize) / 2 ** 30).toFixed(1)} GiB free`;
  };
  log(`disk before: ${disk()}`);
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      // Alternate which job goes first, so a busy moment of the machine does not favour one side.
      for (const who of round % 2 ? ['action', 'cli'] : ['cli', 'action']) {
        // Cold: a marker no cache holds and registry repositories nobody wrote.
        // The one-platform situations, then the two-platform ones on an app and repository of their own.
        for (const platforms of [[], TWO_PLATFORMS]) {
          const two = platforms.length > 1;
          const group = ALL_SITUATIONS.filter((s) => !SINGLES.includes(s) && s.startsWith('2p') === two);
          if (!group.some((s) => SITUATIONS.includes(s))) continue;
          const marker = `bench-${who}-${RUN_ID}-${round}${two ? '-2p' : ''}`;
          const repo = `bench/${who}-${RUN_ID}-${round}${two ? '-2p' : ''}`;
          const image = `${REGISTRY}/${repo}`;
          repos.push(repo);
          cleanups.push([image, marker]);
          const app = makeApp(marker);
          const job = who === 'action' ? () => actionJob(app, image, platforms) : () => cliJob(app, image, platforms);
          for (const situation of group) {
            if (situation === 'fresh' || situation === 'fresh+change') freshRunner(image, marker);
            if (situation === 'fresh+change') change(app, round + 1);
            const r = await job();
            times[who][situation].push(r.seconds);
            log(`round ${round} ${who.padEnd(6)} ${situation.padEnd(12)} ${r.seconds.toFixed(2)}s${r.steps ? `  (cached steps ${r.steps}; ${r.cache})` : ''}`);
          }
          fs.rmSync(app.dir, { recursive: true, force: true });
        }
        for (const single of SINGLES.filter((x) => SITUATIONS.includes(x))) {
          const key = `${who} ${single}`;
          let one = singles[key];
          if (!one) {
            const far = single === 'warm-far' ? (link ??= await farLink()) : undefined;
            const marker = `bench-${who}-${RUN_ID}-${single}`;
            const repo = `bench/${who}-${RUN_ID}-${single}`;
            const image = `${far ? far.host : REGISTRY}/${repo}`;
            repos.push(repo);
            cleanups.push([image, marker]);
            const app = makeApp(marker, { big: single === 'big' });
            one = singles[key] = { app, job: who === 'action' ? () => actionJob(app, image) : () => cliJob(app, image), image, marker };
            const r = await one.job();
            log(`        ${who.padEnd(6)} ${single} first build (not measured) ${r.seconds.toFixed(2)}s`);
          }
          if (single === 'big') {
            freshRunner(one.image, one.marker);
            change(one.app, round + 1);
          }
          const r = await one.job();
          times[who][single].push(r.seconds);
          log(`round ${round} ${who.padEnd(6)} ${single.padEnd(12)} ${r.seconds.toFixed(2)}s${r.steps ? `  (cached steps ${r.steps}; ${r.cache})` : ''}`);
        }
      }
    }
  } finally {
    for (const { app } of Object.values(singles)) fs.rmSync(app.dir, { recursive: true, force: true });
    await link?.close();
    for (const [image, marker] of cleanups) {
      try {
        freshRunner(image, marker);
      } catch (error) {
        log(`cleanup of ${image}: ${error.message}`);
      }
    }
    for (const repo of repos) await deleteRepository(repo).catch(() => undefined);
    log(`disk after: ${disk()}`);
  }
  const load = loadLine();
  const startup = await startupCost();
  const rows = ALL_SITUATIONS.filter((s) => SITUATIONS.includes(s)).map((s) => {
    const a = median(times.action[s]);
    const c = median(times.cli[s]);
    const aMin = Math.min(...times.action[s]);
    const cMin = Math.min(...times.cli[s]);
    return `| ${s} | ${a.toFixed(2)} (${aMin.toFixed(2)}) | ${c.toFixed(2)} (${cMin.toFixed(2)}) | ${(a / c).toFixed(2)} | ${(aMin / cMin).toFixed(2)} |`;
  });
  const table = [
    `Machine: ${await machine()}.`,
    load,
    `Fixture: a ${LAYER_MB} MB dependency layer made by a 5 s step, then the app code; registry on 127.0.0.1; 2p: ${TWO_PLATFORMS.join(' and ')}, the one the machine is not under QEMU; big: a build stage's /venv with ${BIG_MB >= 1024 && BIG_MB % 1024 === 0 ? `${BIG_MB / 1024} GB` : `${BIG_MB} MB`} of dependencies copied into the runtime stage (Debian's python3), a source change on a fresh runner with the registry cache; warm-far: warm, the registry (image and cache) ${2 * FAR_MS} ms away. Median (minimum) of ${ROUNDS} rounds, seconds.`,
    '',
    '| situation | autobuild | docker CLI | ratio of medians | ratio of minimums |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `autobuild's own start-up (node start to its first request to the engine): ${startup.toFixed(0)} ms. Bench run: ${Math.round((Date.now() - started) / 1000)} s.`,
  ].join('\n');
  process.stdout.write(`${table}\n`);
  if (opts.readme) {
    const file = path.join(ROOT, 'README.md');
    const text = fs.readFileSync(file, 'utf8');
    const next = text.replace(/(<!-- bench -->\n)[\s\S]*?(\n<!-- \/bench -->)/, `$1${table}$2`);
    if (next === text && !text.includes(table)) log('README.md has no <!-- bench --> markers: not written');
    fs.writeFileSync(file, next);
  }
}

await main();
