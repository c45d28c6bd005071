import { describe, expect, it, vi } from 'vitest';
import { closedBody, explainCommentError, ourComment, parseLastGood, previewBody, previewMarker, redact, tokenWriter } from '../../src/phases/preview.js';
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

  it('escapes a pipe in a table cell once: the code span keeps it whole', () => {
    const b = pushed(build(['pr-42'], { baseImage: 'alpine|x', tests: [{ name: 'test-command: a | b', passed: true, seconds: 1 }] }));
    const body = previewBody({ facts: prFacts(), report: report({ builds: [b], pushed: true }) });
    expect(body).toContain('| base image | `alpine\\|x` |');
    expect(body).toContain('| tests | passed: `test-command: a \\| b` (1.0s) |');
    expect(body).not.toContain('\\\\|');
  });

  it('starts with a marker naming every image of the set', () => {
    const b = { ...build(['pr-42']), refs: ['ghcr.io/acme/app:pr-42', 'docker.io/acme/app:pr-42'] };
    const body = previewBody({ facts: prFacts(), report: report({ builds: [b] }) });
    expect(body.split('\n')[0]).toBe('<!-- autobuild-preview docker.io/acme/app ghcr.io/acme/app -->');
    expect(closedBody(['ghcr.io/acme/app', 'docker.io/acme/app'], { pr: 42, removed: [], kept: [] }).split('\n')[0]).toBe(body.split('\n')[0]);
  });

  it('puts a multi-line error in a block that cannot be closed early', () => {
    const body = previewBody({ facts: prFacts(), report: report({ builds: [build(['pr-42'])], error: 'The build failed:\n```\nRUN exit 1' }) });
    expect(body).toContain("```text\n'''\nRUN exit 1\n```");
    expect(body).toContain('| tests | not run |');
  });
});

describe('comment helpers', () => {
  it('keys the marker by the image set', () => {
    expect(previewMarker('ghcr.io/acme/app')).toBe('<!-- autobuild-preview ghcr.io/acme/app -->');
    expect(previewMarker('a/b')).not.toBe(previewMarker('a/c'));
    expect(previewMarker('a/b', 'a/c')).toBe(previewMarker('a/c', 'a/b'));
    expect(previewMarker('a/b', 'a/c')).not.toBe(previewMarker('a/b'));
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
  const images = ['localhost:5000/acme/app'];
  const marker = '<!-- autobuild-preview localhost:5000/acme/app -->';
  const comments = [
    { id: 1, body: `${marker}\nforged`, user: { login: 'mallory' } },
    { id: 2, body: 'hello', user: { login: 'github-actions[bot]' } },
    { id: 3, body: `${marker}\nreal`, user: { login: 'github-actions[bot]' } },
  ];
  it('is found by marker and author together', () => {
    expect(ourComment(comments, images, { installation: true })?.id).toBe(3);
    expect(ourComment(comments, images, { login: 'release-bot' })).toBeUndefined();
    expect(ourComment(comments, images, { login: 'mallory' })?.id).toBe(1);
  });
  it('none when who the token is cannot be told', () => {
    expect(ourComment(comments, images, undefined)).toBeUndefined();
  });

  it('an installation token takes a GitHub App bot\'s comment with the exact marker, never a user\'s, and github-actions[bot]\'s first', () => {
    const app = { id: 4, body: `${marker}\napp`, user: { login: 'acme-builder[bot]' } };
    const forged = { id: 5, body: `${marker}\nforged`, user: { login: 'mallory' } };
    expect(ourComment([forged, app], images, { installation: true })?.id).toBe(4);
    expect(ourComment([forged], images, { installation: true })).toBeUndefined();
    expect(ourComment([app, ...comments], images, { installation: true })?.id).toBe(3);
    // A user's token never takes a bot's comment.
    expect(ourComment([app], images, { login: 'release-bot' })).toBeUndefined();
  });

  it('never takes the comment of another image set, even by the same bot', () => {
    const other = [
      { id: 6, body: '<!-- autobuild-preview localhost:5000/acme/app localhost:5000/acme/worker -->\nx', user: { login: 'github-actions[bot]' } },
      { id: 7, body: '<!-- autobuild-preview localhost:5000/acme/app-x -->\nx', user: { login: 'github-actions[bot]' } },
    ];
    expect(ourComment(other, images, { installation: true })).toBeUndefined();
    expect(ourComment(other, ['localhost:5000/acme/worker', 'localhost:5000/acme/app'], { installation: true })?.id).toBe(6);
  });

  it('adopts a comment of the earlier marker (first image only) by its own author when it names the other images', () => {
    const set = ['localhost:5000/acme/app', 'localhost:5000/acme/worker'];
    const earlier = { id: 8, body: `${marker}\n| tags | \`localhost:5000/acme/app:pr-42\`<br>\`localhost:5000/acme/worker:pr-42\` |`, user: { login: 'github-actions[bot]' } };
    const oneImage = { id: 9, body: `${marker}\n| tags | \`localhost:5000/acme/app:pr-42\` |`, user: { login: 'github-actions[bot]' } };
    const current = { id: 10, body: `${previewMarker(...set)}\nnew`, user: { login: 'github-actions[bot]' } };
    expect(ourComment([oneImage, earlier], set, { installation: true })?.id).toBe(8);
    expect(ourComment([earlier, current], set, { installation: true })?.id).toBe(10);
    expect(ourComment([oneImage], set, { installation: true })).toBeUndefined();
    expect(ourComment([{ ...earlier, user: { login: 'mallory' } }], set, { installation: true })).toBeUndefined();
  });
});

describe('tokenWriter', () => {
  it('an installation token (ghs_) is a bot, without asking GET /user (it answers 403)', async () => {
    const getUser = vi.fn(async () => ({ data: { login: 'x' } }));
    expect(await tokenWriter('ghs_jobtoken', getUser)).toEqual({ installation: true });
    expect(getUser).not.toHaveBeenCalled();
  });
  it('a user\'s token is the user GET /user names; unknown when it cannot answer', async () => {
    expect(await tokenWriter('ghp_personal', async () => ({ data: { login: 'release-bot' } }))).toEqual({ login: 'release-bot' });
    expect(
      await tokenWriter('github_pat_x', async () => {
        throw new Error('401');
      }),
    ).toBeUndefined();
  });
});

describe('the last good preview is read only from where autobuild writes it', () => {
  const good = `<!-- autobuild-last-good ref=${IMAGE}:pr-42 sha=${SHA} digest=${DIGEST} -->`;
  it('as the last line, for this pull request and image only', () => {
    expect(parseLastGood(`body\n${good}\n`, { pr: 42, images: [IMAGE] })).toEqual({ ref: `${IMAGE}:pr-42`, sha: SHA, digest: DIGEST });
    // Build output quoted in the body cannot stand in for it.
    const forged = `<!-- autobuild-last-good ref=evil.example/x:y;curl|sh sha=${SHA} digest=${DIGEST} -->`;
    expect(parseLastGood(`\`\`\`\n${forged}\n\`\`\`\nBuilt by autobuild.\n`)).toBeUndefined();
    expect(parseLastGood(`body\n${forged}\n`, { pr: 42, images: [IMAGE] })).toBeUndefined();
    expect(parseLastGood(`body\n${good}\n`, { pr: 4, images: [IMAGE] })).toBeUndefined();
  });
});

