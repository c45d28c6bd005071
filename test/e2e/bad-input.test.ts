import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultProxy, removeLocalImages } from './fault-proxy.js';
import { APP_FILES, makeRepo, type Repo } from './fixtures.js';
import { recordingDocker, type RecordingDocker } from './recording-docker.js';
import { recordingSocket, type RecordingSocket } from './recording-socket.js';
import { pullRequestEvent, pushEvent, runAction, shownLog, type Event } from './runner.js';
import { REGISTRY_PASSWORD, REGISTRY_USER } from './world.js';

/**
 * Bad input fails before any work: a clear message naming the input, the value and what is
 * accepted, and no side effect at all: no docker command, no registry request, no credentials
 * written, nothing built or pushed. The registry is reached through a proxy that counts requests,
 * the engine through a socket that counts them (the docker CLI's and the action's own).
 */
let proxy: FaultProxy;
let app: Repo;
let docker: RecordingDocker;
let engine: RecordingSocket;
const temps: string[] = [];
beforeAll(async () => {
  proxy = await FaultProxy.start();
  app = makeRepo({ ...APP_FILES, 'sub/Dockerfile': APP_FILES.Dockerfile! });
  // A default Dockerfile that is a symbolic link to a file of the runner.
  fs.mkdirSync(path.join(app.dir, 'linked'));
  fs.symlinkSync('/etc/hostname', path.join(app.dir, 'linked', 'Dockerfile'));
  docker = recordingDocker(temps);
  engine = await recordingSocket(temps);
});
afterAll(async () => {
  await proxy.close();
  await engine.close();
  removeLocalImages(/^127\.0\.0\.1:\d+\/e2e\/bad-input:/);
  for (const dir of temps) fs.rmSync(dir, { recursive: true, force: true });
});

interface Case {
  inputs: Record<string, string>;
  /** Fragments the one error line must contain, in order. */
  message: string[];
  event?: (sha: string) => Event;
}

const cases: Record<string, Case> = {
  'an image with a tag': {
    inputs: { image: 'PROXY/e2e/app:1.0' },
    message: ["Input 'image' has an invalid value 'PROXY/e2e/app:1.0': it contains a tag", 'expected a repository name such as acme/app'],
  },
  'an image with a scheme': { inputs: { image: 'http://PROXY/e2e/app' }, message: ["Input 'image' has an invalid value 'http://PROXY/e2e/app'"] },
  'an unknown cache mode': {
    inputs: { cache: 's3' },
    message: ["Input 'cache' has an invalid value 's3': expected one of auto, registry, gha, local, inline, off"],
  },
  'an unknown check mode': {
    inputs: { check: 'strict' },
    message: ["Input 'check' has an invalid value 'strict': expected one of warn, error, off"],
  },
  'a rule whose regex does not compile': {
    inputs: { rules: "- source-type: tag\n  source: /^v([0-9.]+$/\n  tag: '{\\1}'" },
    message: ["Input 'rules', rule 1: source /^v([0-9.]+$/ is not a valid regular expression"],
  },
  'a rule with an unknown key': {
    inputs: { rules: '- source-type: branch\n  source: main\n  tags: latest' },
    message: ["Input 'rules', rule 1: unknown key 'tags' (accepted: source-type, source, tag, dockerfile, context, autobuild"],
  },
  'rules that are not a list': { inputs: { rules: 'source-type: branch' }, message: ["Input 'rules' must be a YAML list of rules, for example:"] },
  'a rule whose context leaves the workspace': {
    inputs: { rules: '- source-type: branch\n  source: main\n  tag: latest\n  context: ../../' },
    message: ["Input 'rules', rule 1: context '../../' leaves the repository"],
  },
  'a context outside the workspace': {
    inputs: { context: '../' },
    message: ["Input 'context' has an invalid value '../': it must stay inside the workspace", "may not leave it through '..' or a symbolic link"],
  },
  'an absolute context elsewhere': { inputs: { context: '/etc' }, message: ["Input 'context' has an invalid value '/etc': it must stay inside the workspace"] },
  'a default Dockerfile that links outside the workspace': {
    inputs: { context: 'linked' },
    message: ["Input 'file' has an invalid value 'linked/Dockerfile (the default: file is empty)': it must stay inside the workspace", "through '..' or a symbolic link"],
  },
  'a Dockerfile path through ..': { inputs: { file: 'sub/../../Dockerfile' }, message: ["Input 'file' has an invalid value 'sub/../../Dockerfile': it must stay inside the workspace"] },
  'push: true on a pull request from a fork': {
    inputs: { push: 'true' },
    event: (sha) => pullRequestEvent(7, sha, { fork: true }),
    message: ["Input 'push' is 'true' but the code comes from a fork (pull request #7 comes from a fork)", "autobuild never pushes a fork's code", 'Use push: auto to build and test it without pushing.'],
  },
  'push: something else': { inputs: { push: 'yes please' }, message: ["Input 'push' has an invalid value 'yes please': expected one of auto, true, false"] },
  'rebuild: a mode it does not know': {
    inputs: { rebuild: 'on-base-change' },
    message: ["Input 'rebuild' has an invalid value 'on-base-change': expected one of always, base-changed"],
  },
  'pr-preview: not a boolean': { inputs: { 'pr-preview': 'sometimes' }, message: ["Input 'pr-preview' has an invalid value 'sometimes': expected true or false"] },
  'hooks: not auto or off': { inputs: { hooks: 'on' }, message: ["Input 'hooks' has an invalid value 'on': expected one of auto, off"] },
  'a timeout without a phase': {
    inputs: { timeout: '30m' },
    message: ["Input 'timeout' has an invalid value '30m': expected phase=duration pairs", 'phases login, build, test, push', 'durations such as 90s, 10m or 1h30m'],
  },
  'a timeout in words': { inputs: { timeout: 'test=ten minutes' }, message: ["Input 'timeout' has an invalid value 'test=ten minutes'"] },
  'a platform without an os': { inputs: { platforms: 'linux/amd64,arm64' }, message: ["Input 'platforms' has an invalid value 'arm64': expected os/arch[/variant]"] },
  'a secret pasted where its reference belongs': {
    inputs: { secrets: 'NPM_TOKEN=npm_s3cr3tValue' },
    message: ["Input 'secrets' has an invalid value 'NPM_TOKEN=...': 'NPM_TOKEN' is not a key of a secret", 'id=NAME,env=VARIABLE or id=NAME,src=PATH'],
  },
  'a build-arg that is not NAME=value': { inputs: { 'build-args': 'my arg=1' }, message: ["Input 'build-args' has an invalid value 'my arg=...': expected one NAME=value a line"] },
  'a label without a value': { inputs: { labels: 'maintainer' }, message: ["Input 'labels' has an invalid value 'maintainer': expected one key=value a line"] },
  'a target that is no stage name': { inputs: { target: 'my stage' }, message: ["Input 'target' has an invalid value 'my stage': expected the name of a build stage"] },
  'test-compose outside the workspace': { inputs: { 'test-compose': '../docker-compose.test.yml' }, message: ["Input 'test-compose' has an invalid value '../docker-compose.test.yml'"] },
  'registry-auth without a password': {
    inputs: { 'registry-auth': 'registry=ghcr.io,username=octocat' },
    message: ["Input 'registry-auth', line 1: the credentials for 'ghcr.io' have no password; accepted: one registry a line as registry=HOST,username=USER,password=SECRET"],
  },
  'a tags line that cannot be read': {
    inputs: { tags: 'type=raw,value="a' },
    message: ["Input 'tags', line 1 ('type=raw,value=\"a') cannot be read: Invalid Opening Quote", 'Quote a whole field that holds a comma or a quote: "value=a,b".'],
  },
  'a tags line of an unknown type': {
    inputs: { tags: 'type=ref,event=branch\ntype=branchname' },
    message: ["Input 'tags', line 2 ('type=branchname'): unknown type 'branchname' (accepted: schedule, semver, pep440, match, edge, ref, raw, sha)."],
  },
  'a tags match= that does not compile': {
    inputs: { tags: 'type=semver,pattern={{version}},match=v(\\d+' },
    message: [
      "Input 'tags', line 1 ('type=semver,pattern={{version}},match=v(\\d+'): match v(\\d+ is not a valid regular expression: Invalid regular expression: /v(\\d+/: Unterminated group",
      '(accepted: a JavaScript regular expression, or /regex/flags).',
    ],
  },
  'a flavor with an unknown key': {
    inputs: { flavor: 'latest=auto\nsufix=-alpine' },
    message: ["Input 'flavor', line 2 ('sufix=-alpine'): unknown key 'sufix' (accepted: latest, prefix, suffix, onlatest)."],
  },
  'flavor latest=maybe': {
    inputs: { flavor: 'latest=maybe' },
    message: ["Input 'flavor', line 1 ('latest=maybe'): latest 'maybe' is not accepted (expected auto, true or false)."],
  },
  'a build-env line without =': {
    inputs: { 'build-env': 'SOURCE_BRANCH=main\nDOCKER_TAG' },
    message: ["Input 'build-env' has an invalid value 'DOCKER_TAG': expected one NAME=value a line, NAME made of letters, digits and _ (not starting with a digit)."],
  },
  'a password without a user name': { inputs: { username: '' }, message: ["Input 'password' is set but 'username' is empty: give both, or neither."] },
  'a test option that reaches the host': {
    inputs: { 'test-command': 'true', 'test-options': '--shm-size 256m -v /:/host' },
    message: ["Input 'test-options': '-v' is not an option autobuild gives the test container", 'Accepted: --gpus, --shm-size, --env/-e'],
  },
  'a test option with a bad value': {
    inputs: { 'test-command': 'true', 'test-options': '--network container:other' },
    message: ["Input 'test-options' has an invalid value 'container:other' for --network: expected none, bridge or host"],
  },
  'test options without a test command': {
    inputs: { 'test-options': '--shm-size 1g' },
    message: ["Input 'test-options' is set but 'test-command' is empty"],
  },
  'a distribute platform that is not in platforms': {
    inputs: { platforms: 'linux/amd64,linux/arm64', distribute: 'linux/s390x' },
    message: ["Input 'distribute' has an invalid value 'linux/s390x': expected platforms of 'platforms' (linux/amd64, linux/arm64)"],
  },
  'a distributed build where the jobs cannot meet': {
    inputs: { platforms: 'linux/amd64,linux/arm64', distribute: 'linux/amd64' },
    message: ["Input 'distribute': the jobs of this image cannot find each other here"],
  },
  'a Docker Hub description outside the workspace': {
    inputs: { 'dockerhub-description': '../README.md' },
    message: ["Input 'dockerhub-description' has an invalid value '../README.md': it must stay inside the workspace"],
  },
  'a Docker Hub description file that does not exist': {
    inputs: { 'dockerhub-description': 'docs/HUB.md' },
    message: ["Input 'dockerhub-description' has an invalid value 'docs/HUB.md': no such file", 'expected auto (README.md of the build context, else of the repository root), off, or the path of a file in the workspace'],
  },
  'an unknown compression': {
    inputs: { compression: 'lz4' },
    message: ["Input 'compression' has an invalid value 'lz4': expected gzip, zstd or estargz"],
  },
};

describe('bad input: a clear error and no side effect', () => {
  it.each(Object.entries(cases))('%s', async (_name, c) => {
    const before = { requests: proxy.requests.length, calls: docker.calls().length, engine: engine.requests().length };
    const fill = (v: string): string => v.replace(/PROXY/g, proxy.host);
    const inputs = Object.fromEntries(Object.entries({ image: `${proxy.host}/e2e/bad-input`, username: REGISTRY_USER, password: REGISTRY_PASSWORD, ...c.inputs }).map(([k, v]) => [k, fill(v)]));
    const r = await runAction({
      workspace: app.dir,
      event: (c.event ?? ((sha: string) => pushEvent('refs/heads/main', sha)))(app.sha),
      inputs,
      env: { PATH: `${docker.dir}:${process.env.PATH}`, DOCKER_HOST: engine.host },
    });
    expect(r.code).toBe(1);
    const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error::'));
    expect(errors).toHaveLength(1);
    let at = 0;
    for (const fragment of c.message.map(fill)) {
      const found = errors[0]!.indexOf(fragment, at);
      expect(found, `'${fragment}' in ${errors[0]}`).toBeGreaterThanOrEqual(0);
      at = found + fragment.length;
    }
    // No side effect: no docker command, no engine request, no registry request, no login, no build, no credentials on disk.
    expect(docker.calls().length).toBe(before.calls);
    expect(engine.requests().length).toBe(before.engine);
    expect(proxy.requests.length).toBe(before.requests);
    expect(r.stdout).not.toContain('::group::');
    expect(r.state['docker-config']).toBeUndefined();
    expect(fs.readdirSync(r.runnerTemp).filter((f) => f.startsWith('autobuild-docker-'))).toEqual([]);
    expect(r.outputs.pushed).toBe('false');
    expect(r.post.code).toBe(0);
    // The message quotes no secret.
    expect(shownLog(r)).not.toContain('npm_s3cr3tValue');
    expect(shownLog(r)).not.toContain(REGISTRY_PASSWORD);
  });

  it('the same setup with good input does reach docker and the registry (the counters work)', async () => {
    const before = { requests: proxy.requests.length, calls: docker.calls().length, engine: engine.requests().length };
    const r = await runAction({
      workspace: app.dir,
      event: pushEvent('refs/heads/main', app.sha),
      inputs: { image: `${proxy.host}/e2e/bad-input`, username: REGISTRY_USER, password: REGISTRY_PASSWORD, push: 'false' },
      env: { PATH: `${docker.dir}:${process.env.PATH}`, DOCKER_HOST: engine.host },
    });
    expect(r.code, shownLog(r)).toBe(0);
    expect(docker.calls().length).toBeGreaterThan(before.calls);
    expect(engine.requests()).toContainEqual('GET /info HTTP/1.1');
    expect(proxy.requests.length).toBeGreaterThan(before.requests);
    expect(r.stdout).toContain('::group::build');
  });

  it('the table covers every input that takes a constrained value', () => {
    const covered = new Set(Object.values(cases).flatMap((c) => Object.keys(c.inputs)));
    for (const input of ['image', 'cache', 'check', 'compression', 'distribute', 'rules', 'context', 'file', 'push', 'pr-preview', 'hooks', 'timeout', 'platforms', 'secrets', 'build-args', 'labels', 'target', 'test-compose', 'test-options', 'registry-auth', 'username', 'tags', 'flavor', 'build-env', 'dockerhub-description', 'rebuild']) {
      expect(covered.has(input), input).toBe(true);
    }
  });
});
