import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, expect } from 'vitest';
import { BASE_IMAGE, deleteRepository, REGISTRY } from './world.js';

export interface Repo {
  dir: string;
  sha: string;
  git(...args: string[]): string;
  /** Writes files and commits them; returns the new sha. */
  commit(files: Record<string, string>, message?: string): string;
}

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_AUTHOR_DATE: '2026-01-02T03:04:05Z',
  GIT_COMMITTER_DATE: '2026-01-02T03:04:05Z',
};

/**
 * An app with a slow dependency step marked with `marker` (the repository name, say), so that a
 * fresh runner can be emulated for it alone, and a cache hit on that step is plain to see.
 */
export function slowApp(marker: string): Repo {
  return makeRepo({
    Dockerfile: [
      `FROM ${BASE_IMAGE}`,
      `RUN echo "${marker}" > /marker && sleep 2 && dd if=/dev/urandom of=/deps bs=1k count=256 2>/dev/null`,
      'COPY app.sh /app.sh',
      'ENTRYPOINT ["/app.sh"]',
      '',
    ].join('\n'),
    'app.sh': '#!/bin/sh\necho v1\n',
  });
}

/** The slow RUN step of a slowApp came from a cache: CACHED (local), or only its layer fetched (an imported cache). */
export function slowStepCached(run: { stdout: string }): boolean {
  const step = /^#(\d+) \[\d+\/\d+\] RUN echo/m.exec(run.stdout)?.[1];
  expect(step, 'the build log shows the RUN step').toBeTruthy();
  const body = [...run.stdout.matchAll(new RegExp(`^#${step} (.*)$`, 'gm'))].map((m) => m[1]!).filter((l) => !/^(\[|DONE)/.test(l));
  return body.includes('CACHED') || (body.length > 0 && body.every((l) => /^(extracting )?sha256:/.test(l)));
}

/** A small app on the busybox base, as a git repository in a temp folder. */
export const APP_FILES: Record<string, string> = {
  Dockerfile: `FROM ${BASE_IMAGE}\nCOPY app.sh /app.sh\nRUN chmod +x /app.sh\nENTRYPOINT ["/app.sh"]\n`,
  'app.sh': '#!/bin/sh\necho "hello from app"\n',
};

export function makeRepo(files: Record<string, string> = APP_FILES, branch = 'main'): Repo {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-e2e-repo-'));
  const git = (...args: string[]): string =>
    execFileSync('git', args, { cwd: dir, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', branch);
  const repo: Repo = {
    dir,
    sha: '',
    git,
    commit(more, message = 'change') {
      for (const [name, content] of Object.entries(more)) {
        const file = path.join(dir, name);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, content, { mode: name.startsWith('hooks/') || name.endsWith('.sh') ? 0o755 : 0o644 });
      }
      git('add', '-A');
      git('commit', '-q', '--allow-empty', '-m', message);
      repo.sha = git('rev-parse', 'HEAD');
      return repo.sha;
    },
  };
  repo.commit(files, 'initial commit');
  return repo;
}

/** A unique repository name in the test registry. */
export function uniqueRepo(prefix: string): string {
  return `e2e/${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Registry repositories for one test file: each call gives a unique name; after the file, every
 * one is deleted from the registry and its local names are removed from the engine (by name, so
 * an identical image of another test keeps its own names).
 */
export function testRepositories(): ((prefix: string) => string) & { track(repo: string): string } {
  const created: string[] = [];
  afterAll(async () => {
    for (const repo of created) {
      await deleteRepository(repo);
      const names = execFileSync('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', '--filter', `reference=${REGISTRY}/${repo}`], {
        encoding: 'utf8',
      })
        .split('\n')
        .filter(Boolean);
      if (names.length) execFileSync('docker', ['image', 'rm', '--force', ...names], { stdio: 'ignore' });
    }
  });
  const next = (prefix: string): string => {
    const repo = uniqueRepo(prefix);
    created.push(repo);
    return repo;
  };
  /** A repository name made by the test itself (a mirror of a unique one): cleaned up the same way. */
  const track = (repo: string): string => {
    created.push(repo);
    return repo;
  };
  return Object.assign(next, { track });
}
