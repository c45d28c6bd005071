/**
 * BuildKit's build checks (the Dockerfile linter): on the current engine their findings are
 * annotations on the Dockerfile's lines and a table in the summary, read from the one build;
 * `check: error` fails the build before any test or push. The oldest engine (BuildKit 0.13,
 * buildx 0.13) has no checks: the log and the summary say so, and the build goes on.
 */
import { describe, expect, it } from 'vitest';
import { makeRepo, testRepositories } from './fixtures.js';
import { pushEvent, runAction, shownLog } from './runner.js';
import { BASE_IMAGE, ENGINE, REGISTRY, REGISTRY_PASSWORD, REGISTRY_USER, registryTags } from './world.js';

const newRepo = testRepositories();
const login = { username: REGISTRY_USER, password: REGISTRY_PASSWORD };

/** Two findings: a lower-case `from` (line 1) and a shell-form ENTRYPOINT (line 4). */
function lintedApp(marker: string) {
  return makeRepo({
    'app/Dockerfile': [`from ${BASE_IMAGE}`, `RUN echo ${marker} > /marker`, 'COPY app.sh /app.sh', 'ENTRYPOINT /app.sh', ''].join('\n'),
    'app/app.sh': '#!/bin/sh\necho hello\n',
  });
}

const annotations = (stdout: string, level: 'warning' | 'error'): string[] => stdout.split('\n').filter((l) => l.startsWith(`::${level} title=Dockerfile check `));

describe(`Dockerfile checks (${ENGINE} engine)`, () => {
  it('warn: each finding is an annotation on its Dockerfile line and a row of the summary; the image is pushed', async () => {
    const repo = newRepo('checks-warn');
    const app = lintedApp(repo);
    const r = await runAction({
      workspace: app.dir,
      event: pushEvent('refs/heads/main', app.sha),
      inputs: { image: `${REGISTRY}/${repo}`, ...login, context: 'app', 'test-command': 'test -f /marker' },
    });
    expect(r.code, shownLog(r)).toBe(0);
    expect(r.outputs.pushed).toBe('true');
    if (ENGINE === 'current') {
      const found = annotations(r.stdout, 'warning');
      expect(found).toHaveLength(2);
      expect(found).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^::warning title=Dockerfile check ConsistentInstructionCasing,file=app\/Dockerfile,line=1,endLine=1::Command 'from' should match the case/),
          expect.stringMatching(/^::warning title=Dockerfile check JSONArgsRecommended,file=app\/Dockerfile,line=4,endLine=4::JSON arguments recommended for ENTRYPOINT.* \(https:\/\/docs\.docker\.com\/go\/dockerfile\/rule\/json-args-recommended\/\)$/),
        ]),
      );
      expect(r.stdout).toContain('Dockerfile checks: 2 findings in app/Dockerfile: ConsistentInstructionCasing (line 1), JSONArgsRecommended (line 4).');
      expect(r.summary).toContain('Dockerfile checks of `app/Dockerfile`: 2 findings.');
      expect(r.summary).toContain('| 4 | [JSONArgsRecommended](https://docs.docker.com/go/dockerfile/rule/json-args-recommended/) |');
      // One build: BuildKit ran the checks inside it.
      expect(r.stdout.match(/^#\d+ \[internal\] load build definition from Dockerfile$/gm)).toHaveLength(1);
      const meta = JSON.parse(r.outputs.metadata!) as { builds: { checks: { rule: string; line: number }[] }[] };
      expect(meta.builds[0]!.checks).toContainEqual(expect.objectContaining({ rule: 'JSONArgsRecommended', line: 4 }));
    } else {
      expect(annotations(r.stdout, 'warning')).toEqual([]);
      expect(r.stdout).toContain('Dockerfile checks: not run: build checks need buildx >= 0.15.0 (this runner has 0.13.1).');
      expect(r.summary).toContain('Dockerfile checks of `app/Dockerfile`: not run: build checks need buildx >= 0.15.0');
    }
  });

  it('error: a finding fails the build, named with its line, and nothing is tested or pushed (where the builder has checks)', async () => {
    const repo = newRepo('checks-error');
    const app = lintedApp(repo);
    const r = await runAction({
      workspace: app.dir,
      event: pushEvent('refs/heads/main', app.sha),
      inputs: { image: `${REGISTRY}/${repo}`, ...login, context: 'app', check: 'error', 'test-command': 'echo TEST-$((6*7))-RAN' },
    });
    if (ENGINE === 'current') {
      expect(r.code).not.toBe(0);
      expect(r.stdout).toMatch(/^::error::The build of default failed its Dockerfile checks \(input 'check' is 'error'\): .*JSONArgsRecommended \(line 4\) in app\/Dockerfile\. Fix them, or set check: warn/m);
      expect(annotations(r.stdout, 'error')).toContainEqual(expect.stringMatching(/^::error title=Dockerfile check JSONArgsRecommended,file=app\/Dockerfile,line=4,endLine=4::JSON arguments recommended/));
      expect(r.stdout).not.toContain('TEST-42-RAN');
      expect(await registryTags(repo)).toEqual([]);
      expect(r.outputs.pushed).toBe('false');
    } else {
      // No checks on this builder: the build goes on, and says why nothing was checked.
      expect(r.code, shownLog(r)).toBe(0);
      expect(r.stdout).toContain('Dockerfile checks: not run: build checks need buildx >= 0.15.0');
      expect(r.stdout).toContain('TEST-42-RAN');
    }
  });

  it('off: no findings are asked for, and none are shown', async () => {
    const repo = newRepo('checks-off');
    const app = lintedApp(repo);
    const r = await runAction({
      workspace: app.dir,
      event: pushEvent('refs/heads/main', app.sha),
      inputs: { image: `${REGISTRY}/${repo}`, ...login, context: 'app', check: 'off', push: 'false' },
    });
    expect(r.code, shownLog(r)).toBe(0);
    expect(annotations(r.stdout, 'warning')).toEqual([]);
    expect(r.stdout).not.toMatch(/^#\d+ WARN: /m);
    expect(r.summary).not.toContain('finding');
  });
});
