/** The CLI's facts from a local checkout: branches, tags, and pull request refs (--ref refs/pull/N/merge, --base, --fork). */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLocalFacts } from '../../src/context.js';
import { UserError } from '../../src/errors.js';
import { decideTrust } from '../../src/plan/trust.js';

const GIT_ENV = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };

/** A git repository in a temp folder with one commit on `main`. */
function repo(): { dir: string; git: (...args: string[]) => string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-local-facts-'));
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: dir, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'first');
  return { dir, git };
}

describe('readLocalFacts: a pull request ref', () => {
  it('refs/pull/<N>/merge is pull request N into the default branch, from the checked-out branch', async () => {
    const r = repo();
    r.git('checkout', '-q', '-b', 'feature/x');
    const facts = await readLocalFacts(r.dir, { ref: 'refs/pull/7/merge' });
    expect(facts).toMatchObject({
      eventName: 'pull_request',
      ref: 'refs/pull/7/merge',
      refType: 'pull',
      branch: 'feature/x',
      baseRef: 'main',
      isDefaultBranch: false,
      pr: { number: 7, fork: false, headRef: 'feature/x' },
      sha: r.git('rev-parse', 'HEAD'),
    });
    expect(decideTrust(facts).author).toBe('writer');
  });

  it('a checkout of the target or the default branch is no head branch (its cache scope is not written)', async () => {
    const r = repo();
    const onMain = await readLocalFacts(r.dir, { ref: 'refs/pull/7/head', base: 'release' });
    expect(onMain).toMatchObject({ baseRef: 'release', branch: undefined, pr: { number: 7, headRef: '' } });
    r.git('checkout', '-q', '-b', 'release');
    expect((await readLocalFacts(r.dir, { ref: 'refs/pull/7/merge', base: 'release' })).pr?.headRef).toBe('');
  });

  it('--fork makes it a fork’s pull request, with a fork’s trust', async () => {
    const facts = await readLocalFacts(repo().dir, { ref: 'refs/pull/9/merge', fork: true });
    expect(facts.pr?.fork).toBe(true);
    expect(decideTrust(facts)).toMatchObject({ author: 'fork', autoPush: false });
  });

  it('a malformed pull ref, or --fork and --base without one, fail naming the fix', async () => {
    const dir = repo().dir;
    await expect(readLocalFacts(dir, { ref: 'refs/pull/abc/merge' })).rejects.toThrow(/not a pull request's ref: give refs\/pull\/<number>\/merge/);
    await expect(readLocalFacts(dir, { ref: 'refs/pull/7' })).rejects.toThrow(UserError);
    await expect(readLocalFacts(dir, { fork: true })).rejects.toThrow("--fork describes a pull request: give --ref refs/pull/<number>/merge as well.");
    await expect(readLocalFacts(dir, { ref: 'main', base: 'main' })).rejects.toThrow('--base describes a pull request');
  });

  it('branches and tags read as before', async () => {
    const dir = repo().dir;
    expect(await readLocalFacts(dir, { ref: 'refs/tags/v1.2.3' })).toMatchObject({ eventName: 'push', refType: 'tag', tag: 'v1.2.3', pr: undefined });
    expect(await readLocalFacts(dir, { ref: 'main' })).toMatchObject({ eventName: 'push', refType: 'branch', branch: 'main', isDefaultBranch: true });
    expect(await readLocalFacts(dir)).toMatchObject({ ref: 'refs/heads/main' });
  });
});
