import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkBuildArgs, checksFromLog, checksFromMetadata, checkViolation } from '../../src/engine/checks.js';
import { annotationsOf, summaryMarkdown } from '../../src/phases/summary.js';
import { build, facts, report } from './report-fixtures.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

// buildx 0.29 with BUILDX_METADATA_WARNINGS=1: the fields it writes (trimmed).
function warning(short: string, line: number, url: string) {
  return { vertex: 'sha256:2edc', level: 1, short: b64(short), detail: [b64('detail')], url, sourceInfo: { filename: 'Dockerfile', data: b64('FROM x'), language: 'Dockerfile' }, range: [{ start: { line }, end: { line } }] };
}

// BuildKit 0.2x's plain progress log of a build with findings.
const LOG = `#1 [internal] load build definition from Dockerfile
#1 transferring dockerfile: 134B done
#1 WARN: StageNameCasing: Stage name 'Base' should be lowercase (line 1)
#1 WARN: JSONArgsRecommended: JSON arguments recommended for ENTRYPOINT to prevent unintended behavior related to OS signals (line 3)
#1 DONE 0.0s

 4 warnings found (use docker --debug to expand):
 - StageNameCasing: Stage name 'Base' should be lowercase (line 1)
ERROR: failed to build: failed to solve: lint violation found for rules: StageNameCasing, JSONArgsRecommended
`;

describe('reading build checks', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-checks-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, content: unknown): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };

  it('from the metadata file: rule, message, lines and link, in line order', () => {
    const file = write('meta.json', {
      'containerimage.digest': 'sha256:1',
      'buildx.build.warnings': [
        warning('JSONArgsRecommended: JSON arguments recommended for ENTRYPOINT to prevent unintended behavior related to OS signals (line 3)', 3, 'https://docs.docker.com/go/dockerfile/rule/json-args-recommended/'),
        warning("StageNameCasing: Stage name 'Base' should be lowercase (line 1)", 1, 'https://docs.docker.com/go/dockerfile/rule/stage-name-casing/'),
      ],
    });
    expect(checksFromMetadata(file)).toEqual([
      { rule: 'StageNameCasing', message: "Stage name 'Base' should be lowercase", line: 1, endLine: 1, url: 'https://docs.docker.com/go/dockerfile/rule/stage-name-casing/' },
      { rule: 'JSONArgsRecommended', message: 'JSON arguments recommended for ENTRYPOINT to prevent unintended behavior related to OS signals', line: 3, endLine: 3, url: 'https://docs.docker.com/go/dockerfile/rule/json-args-recommended/' },
    ]);
  });

  it('no field (older buildx, or no findings), no file, not JSON: undefined, and the log is read instead', () => {
    expect(checksFromMetadata(write('none.json', { 'containerimage.digest': 'sha256:1' }))).toBeUndefined();
    expect(checksFromMetadata(path.join(dir, 'missing.json'))).toBeUndefined();
    expect(checksFromMetadata(write('bad.json', '{'))).toBeUndefined();
  });

  it('keeps only https links', () => {
    const file = write('link.json', { 'buildx.build.warnings': [warning('FromAsCasing: casing (line 1)', 1, 'javascript:alert(1)')] });
    expect(checksFromMetadata(file)![0]).not.toHaveProperty('url');
  });

  it('from the progress log: each finding once (the closing list is not read twice)', () => {
    expect(checksFromLog(LOG)).toEqual([
      { rule: 'StageNameCasing', message: "Stage name 'Base' should be lowercase", line: 1, endLine: 1 },
      { rule: 'JSONArgsRecommended', message: 'JSON arguments recommended for ENTRYPOINT to prevent unintended behavior related to OS signals', line: 3, endLine: 3 },
    ]);
    expect(checksFromLog('#5 [2/2] RUN echo WARN: not a check\n#5 DONE')).toEqual([]);
  });

  it('tells a build failed on its checks from other failures', () => {
    expect(checkViolation(LOG)).toEqual(['StageNameCasing', 'JSONArgsRecommended']);
    expect(checkViolation('ERROR: failed to solve: process "/bin/sh -c false" did not complete successfully: exit code: 1')).toBeUndefined();
  });

  it.each<['warn' | 'error' | 'off', string[], string[]]>([
    ['warn', [], []],
    ['error', ['A=1'], ['--build-arg', 'BUILDKIT_DOCKERFILE_CHECK=error=true']],
    ['off', [], ['--build-arg', 'BUILDKIT_DOCKERFILE_CHECK=skip=all']],
    ['off', ['BUILDKIT_DOCKERFILE_CHECK'], []],
  ])('check: %s with build-args %j', (mode, args, want) => {
    expect(checkBuildArgs(mode, args)).toEqual(want);
  });
});

describe('build checks in the summary and annotations', () => {
  const checks = [
    { rule: 'StageNameCasing', message: "Stage name 'Base' should be lowercase", line: 1, endLine: 1, url: 'https://docs.docker.com/go/dockerfile/rule/stage-name-casing/', level: 'warning' as const },
    { rule: 'JSONArgsRecommended', message: 'JSON arguments recommended for `ENTRYPOINT` <b>[x](y)</b>', line: 3, endLine: 3, level: 'warning' as const },
  ];

  it('an annotation on the Dockerfile line of each finding', () => {
    const out = annotationsOf(report({ builds: [build(['latest'], { checks, checkFile: 'app/Dockerfile' })] }));
    expect(out).toEqual([
      { level: 'warning', title: 'Dockerfile check StageNameCasing', message: "Stage name 'Base' should be lowercase (https://docs.docker.com/go/dockerfile/rule/stage-name-casing/)", file: 'app/Dockerfile', startLine: 1, endLine: 1 },
      { level: 'warning', title: 'Dockerfile check JSONArgsRecommended', message: 'JSON arguments recommended for `ENTRYPOINT` <b>[x](y)</b>', file: 'app/Dockerfile', startLine: 3, endLine: 3 },
    ]);
  });

  it('a table of findings, the Dockerfile\'s words inert', () => {
    const md = summaryMarkdown(report({ facts: facts(), builds: [build(['latest'], { checks, checkFile: 'app/Dockerfile' })] }));
    expect(md).toContain('Dockerfile checks of `app/Dockerfile`: 2 findings.');
    expect(md).toContain("| 1 | [StageNameCasing](https://docs.docker.com/go/dockerfile/rule/stage-name-casing/) | Stage name 'Base' should be lowercase |");
    expect(md).toContain('| 3 | JSONArgsRecommended | JSON arguments recommended for \\`ENTRYPOINT\\` &lt;b&gt;\\[x\\](y)&lt;/b&gt; |');
  });

  it('errors in bold; none found; not run and why', () => {
    const failed = summaryMarkdown(report({ builds: [build(['latest'], { checks: [{ ...checks[0]!, level: 'error' }], checkFile: 'Dockerfile' })] }));
    expect(failed).toContain('| 1 | **[StageNameCasing](https://docs.docker.com/go/dockerfile/rule/stage-name-casing/)** |');
    expect(summaryMarkdown(report({ builds: [build(['latest'], { checks: [], checkFile: 'Dockerfile' })] }))).toContain('Dockerfile checks of `Dockerfile`: no findings.');
    const note = 'not run: build checks need buildx >= 0.15.0 (this runner has 0.13.1)';
    expect(summaryMarkdown(report({ builds: [build(['latest'], { checksNote: note, checkFile: 'Dockerfile' })] }))).toContain(`Dockerfile checks of \`Dockerfile\`: ${note}.`);
  });
});
