import { afterAll, describe, expect, it } from 'vitest';
import { removeLocalImages } from './fault-proxy.js';
import { APP_FILES, makeRepo, uniqueRepo, type Repo } from './fixtures.js';
import { freshRunner } from './fresh-runner.js';
import { pushEvent, runAction, shownLog, type ActionRun } from './runner.js';
import { BASE_IMAGE, deleteRepository, REGISTRY, REGISTRY_PASSWORD, REGISTRY_USER, registryDigest, registryTags } from './world.js';

/**
 * Two jobs of one repository at once on one engine and one registry (two branches, or two
 * commits of one branch): each pushes the image it built and tested, under its own tags, and
 * neither's build, test or cache sees the other's image.
 */
const repos: string[] = [];
/** Repositories whose apps mark a build step with the repository name (their build cache records are removed after). */
const marked: string[] = [];
afterAll(async () => {
  for (const repo of repos) await deleteRepository(repo);
  removeLocalImages(/^localhost:\d+\/e2e\/concurrent-/);
  for (const repo of marked) freshRunner(`${REGISTRY}/${repo}`, repo);
});

/** The app with a step marked by `repo`, so a fresh runner can be emulated for it alone (fresh-runner.ts). */
function markedApp(repo: string): Record<string, string> {
  return {
    ...APP_FILES,
    Dockerfile: `FROM ${BASE_IMAGE}\nRUN echo "${repo}" > /marker\nCOPY app.sh /app.sh\nRUN chmod +x /app.sh\nENTRYPOINT ["/app.sh"]\n`,
  };
}

interface Meta {
  cacheDetails: { backend: string; scopes: { write: string; read: string[] } };
  builds: { cachedSteps: number; totalSteps: number; cache: { imported: string[]; missing: string[] } }[];
}

/** A commit whose app says `text`; the test command checks the image says exactly that. */
function commitSaying(app: Repo, text: string): string {
  return app.commit({ 'app.sh': `#!/bin/sh\necho "${text}"\n` }, text);
}

function build(app: Repo, branch: string, image: string, text: string): Promise<ActionRun> {
  return runAction({
    workspace: app.dir,
    event: pushEvent(`refs/heads/${branch}`, app.sha),
    inputs: {
      image,
      username: REGISTRY_USER,
      password: REGISTRY_PASSWORD,
      // Fails if this run tested another run's image.
      'test-command': `test "$(/app.sh)" = "${text}"`,
    },
  });
}

describe('two runs at once', () => {
  it('two branches of one repository, twice: correct tags, each digest its own, cache intact', async () => {
    const repo = uniqueRepo('concurrent-branches');
    repos.push(repo);
    marked.push(repo);
    const image = `${REGISTRY}/${repo}`;
    const main = makeRepo(markedApp(repo), 'main');
    const feature = makeRepo(markedApp(repo), 'feature');
    for (const round of [1, 2]) {
      const [textMain, textFeature] = [`main round ${round}`, `feature round ${round}`];
      commitSaying(main, textMain);
      commitSaying(feature, textFeature);
      const [a, b] = await Promise.all([build(main, 'main', image, textMain), build(feature, 'feature', image, textFeature)]);
      expect(a.code, shownLog(a)).toBe(0);
      expect(b.code, shownLog(b)).toBe(0);
      expect(a.outputs.digest).not.toBe(b.outputs.digest);
      expect(a.outputs.imageid).not.toBe(b.outputs.imageid);
      for (const tag of ['latest', 'main', `sha-${main.sha.slice(0, 7)}`]) expect(await registryDigest(repo, tag)).toBe(a.outputs.digest);
      for (const tag of ['feature', `sha-${feature.sha.slice(0, 7)}`]) expect(await registryDigest(repo, tag)).toBe(b.outputs.digest);
    }
    expect(await registryTags(repo)).toHaveLength(3 + 2 + 2); // latest, main, feature and two sha- tags per round

    // Each branch wrote its own layer cache, next to the image tags...
    expect(await registryTags(repo, { all: true })).toEqual(expect.arrayContaining(['buildcache-main', 'buildcache-feature']));
    // ...and each reads it back: the last commit of each branch again, at once, on a fresh runner
    // (no local image or build cache). Every step is a hit, the app layer too, which only that
    // branch's own cache holds (the two branches' app.sh differ).
    freshRunner(image, repo);
    const [a, b] = await Promise.all([build(main, 'main', image, 'main round 2'), build(feature, 'feature', image, 'feature round 2')]);
    for (const [run, branch, read] of [
      [a, 'main', ['main']],
      [b, 'feature', ['feature', 'main']],
    ] as const) {
      expect(run.code, shownLog(run)).toBe(0);
      const m = JSON.parse(run.outputs.metadata!) as Meta;
      expect(m.cacheDetails.backend).toBe('registry');
      expect(m.cacheDetails.scopes).toEqual({ write: branch, read });
      expect(m.builds[0]!.cache.imported, branch).toContain(`${image}:buildcache-${branch}`);
      expect(m.builds[0]!.cache.missing, branch).toEqual([]);
      expect(m.builds[0]!.cachedSteps, `${branch}: ${m.builds[0]!.cachedSteps} of ${m.builds[0]!.totalSteps} steps from the cache`).toBe(m.builds[0]!.totalSteps);
    }
  });

  it('two commits of one branch: each run tests and pushes its own image (no swap through a shared local name)', async () => {
    const repo = uniqueRepo('concurrent-commits');
    repos.push(repo);
    const image = `${REGISTRY}/${repo}`;
    const first = makeRepo(APP_FILES, 'main');
    const second = makeRepo(APP_FILES, 'main');
    commitSaying(first, 'first commit');
    commitSaying(second, 'second commit');
    const [a, b] = await Promise.all([build(first, 'main', image, 'first commit'), build(second, 'main', image, 'second commit')]);
    expect(a.code, shownLog(a)).toBe(0);
    expect(b.code, shownLog(b)).toBe(0);
    expect(a.outputs.digest).not.toBe(b.outputs.digest);
    // Each sha- tag holds the image its own run built and tested...
    expect(await registryDigest(repo, `sha-${first.sha.slice(0, 7)}`)).toBe(a.outputs.digest);
    expect(await registryDigest(repo, `sha-${second.sha.slice(0, 7)}`)).toBe(b.outputs.digest);
    // ...and the moving tags hold one of the two (whichever push came last), never anything else.
    for (const tag of ['latest', 'main']) expect([a.outputs.digest, b.outputs.digest]).toContain(await registryDigest(repo, tag));
    // Both runs loaded their build under a name of their own, and the post steps untagged them.
    for (const r of [a, b]) expect(r.stdout).toMatch(/--tag autobuild\.invalid\/e2e\/concurrent-commits-[\w-]+:[0-9a-f]{8}-0 /);
  });
});
