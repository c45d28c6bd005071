import { describe, expect, it } from 'vitest';
import { explainCommentError, ourComment, parseLastGood, previewBody, previewMarker, redact } from '../../src/phases/preview.js';
import { build, DIGEST, prFacts, pushed, report, SHA } from './report-fixtures.js';

const IMAGE = 'localhost:5000/acme/app';
const passed = { name: 'test-command: ./check', passed: true, seconds: 1.5 };

function previewBuild() {
  return pushed(build(['pr-42', 'pr-42-1a2b3c4'], { size: 3_130_000, baseImage: 'alpine:3.20', tests: [passed] }));
}

describe('previewBody', () => {
  it('starts with the marker and gives the pull command, digest, size, tests, commit and run', () => {
    const body = previewBody({ facts: prFacts(), report: report({ builds: [previewBuild()], pushed: true }) });
    expect(body.split('\n')[0]).toBe(previewMarker(IMAGE));
    expect(body).toContain('### Preview image for [`1a2b3c4`](https://github.com/acme/webapp/commit/' + SHA + ')');
    expect(body).toContain('```sh\ndocker pull localhost:5000/acme/app:pr-42\n```');
    expect(body).toContain(`| digest | \`${DIGEST}\` |`);
    expect(body).toContain('| size | 3.13 MB |');
    expect(body).toContain('| base image | `alpine:3.20` |');
    expect(body).toContain('| tags | `localhost:5000/acme/app:pr-42`<br>`localhost:5000/acme/app:pr-42-1a2b3c4` |');
    expect(body).toContain('| tests | passed: `test-command: ./check` (1.5s) |');
    expect(body).toContain('Built by [this run](https://github.com/acme/webapp/actions/runs/99).');
    expect(parseLastGood(body)).toEqual({ ref: `${IMAGE}:pr-42`, sha: SHA, digest: DIGEST });
  });

  it('says a failed commit failed, shows which test, and points to the last preview that passed', () => {
    const failedSha = 'f'.repeat(40);
    const b = build(['pr-42', 'pr-42-fffffff'], { imageId: 'sha256:1', tests: [{ name: 'test-command: ./check', passed: false, seconds: 2 }] });
    const previous = { ref: `${IMAGE}:pr-42`, sha: SHA, digest: DIGEST };
    const body = previewBody({
      facts: prFacts(42, { sha: failedSha }),
      report: report({ builds: [b], error: 'The test command failed (exit 3) inside x; nothing was pushed.' }),
      previous,
    });
    expect(body.split('\n')[0]).toBe(previewMarker(IMAGE));
    expect(body).toContain(`### Preview image: failed for [\`fffffff\`]`);
    expect(body).toContain('**The test command failed (exit 3) inside x; nothing was pushed.**');
    expect(body).toContain('| tests | **failed**: `test-command: ./check` (2.0s) |');
    expect(body).not.toContain('| digest |');
    expect(body).toContain(`The last preview that passed, from [\`1a2b3c4\`]`);
    expect(body).toContain(`docker pull ${IMAGE}:pr-42`);
    // The last good preview is carried on, so the next failure can point to it too.
    expect(parseLastGood(body)).toEqual(previous);
  });

  it('explains a preview that was built and tested but not pushed', () => {
    const body = previewBody({
      facts: prFacts(),
      report: report({ builds: [build(['pr-42'], { imageId: 'sha256:1' })], push: { enabled: false, reason: 'no credentials for localhost:5000' } }),
    });
    expect(body).toContain('### Preview image: not pushed for');
    expect(body).toContain('Built and tested, not pushed: no credentials for localhost:5000.');
    expect(body).toContain('| tests | none configured |');
    expect(body).not.toContain('docker pull');
    expect(parseLastGood(body)).toBeUndefined();
  });

  it('puts a multi-line error in a block that cannot be closed early', () => {
    const body = previewBody({ facts: prFacts(), report: report({ builds: [build(['pr-42'])], error: 'The build failed:\n```\nRUN exit 1' }) });
    expect(body).toContain("```text\n'''\nRUN exit 1\n```");
    expect(body).toContain('| tests | not run |');
  });
});

describe('comment helpers', () => {
  it('keys the marker by image', () => {
    expect(previewMarker('ghcr.io/acme/app')).toBe('<!-- autobuild-preview ghcr.io/acme/app -->');
    expect(previewMarker('a/b')).not.toBe(previewMarker('a/c'));
  });

  it('redacts secrets from the body', () => {
    expect(redact('login as u with hunter22 and ghs_token', ['hunter22', 'ghs_token', ''])).toBe('login as u with *** and ***');
  });

  it('says what permission a 403 needs', () => {
    const error = Object.assign(new Error('Resource not accessible by integration - https://docs.github.com/rest/issues/comments#create-an-issue-comment'), { status: 403 });
    expect(explainCommentError(error, 42)).toBe(
      'Could not write the preview comment on pull request #42: GitHub answered 403 (Resource not accessible by integration). Give the job `permissions: pull-requests: write` (and check `github-token`); the image itself is not affected.',
    );
    expect(explainCommentError(new Error('connect ECONNREFUSED 127.0.0.1:9'), 42)).toBe(
      'Could not write the preview comment on pull request #42: connect ECONNREFUSED 127.0.0.1:9. The image itself is not affected.',
    );
  });
});

describe('ourComment: only the token\'s own comment is the preview comment', () => {
  const marker = '<!-- autobuild-preview localhost:5000/acme/app -->';
  const comments = [
    { id: 1, body: `${marker}\nforged`, user: { login: 'mallory' } },
    { id: 2, body: 'hello', user: { login: 'github-actions[bot]' } },
    { id: 3, body: `${marker}\nreal`, user: { login: 'github-actions[bot]' } },
  ];
  it('is found by marker and author together', () => {
    expect(ourComment(comments, marker, 'github-actions[bot]')?.id).toBe(3);
    expect(ourComment(comments, marker, 'release-bot')).toBeUndefined();
  });
  it('none when who the token is cannot be told', () => {
    expect(ourComment(comments, marker, undefined)).toBeUndefined();
  });
});
