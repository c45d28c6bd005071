import { describe, expect, it } from 'vitest';
import { previewBody } from '../../src/phases/preview.js';
import { summaryMarkdown } from '../../src/phases/summary.js';
import { maskSecret, redactSecrets, secretEnvNames } from '../../src/secrets.js';
import { build, facts, prFacts, pushed, report } from './report-fixtures.js';
import { stdoutOf } from './stdout.js';

describe('masked values', () => {
  it('are masked in the log and redacted from text sent elsewhere, longest first', () => {
    const out = stdoutOf(() => {
      maskSecret('npm_Secret-Value-1234');
      maskSecret('npm_Secret');
    });
    expect(out).toContain('::add-mask::npm_Secret-Value-1234');
    expect(redactSecrets('token npm_Secret-Value-1234 and npm_Secret here')).toBe('token *** and *** here');
  });

  it('a multi-line value line by line, as the runner masks it', () => {
    maskSecret('-----BEGIN KEY-----\nMIIEsecretbody\n-----END KEY-----');
    expect(redactSecrets('the key body MIIEsecretbody leaked')).toBe('the key body *** leaked');
  });

  it('names the variables buildx reads for the secrets input', () => {
    expect(secretEnvNames(['id=npm,env=NPM_TOKEN', 'id=ssh,src=/tmp/key', 'id=GIT_AUTH', 'env=X,id=y'])).toEqual(['NPM_TOKEN', 'GIT_AUTH', 'X']);
  });

  it('reads a secret line as buildx does: keys in any case, type=env with src or source, the id when nothing else names a source', () => {
    expect(secretEnvNames(['ID=npm,ENV=NPM_TOKEN', 'Id=GIT_AUTH', 'id=ssh,Src=/tmp/key'])).toEqual(['NPM_TOKEN', 'GIT_AUTH']);
    expect(secretEnvNames(['type=env,id=x,src=NAME', 'type=env,id=y,source=OTHER', 'TYPE=env,ID=z,SOURCE=THIRD'])).toEqual(['NAME', 'OTHER', 'THIRD']);
    // source is src: a file, unless type=env.
    expect(secretEnvNames(['id=x,source=/tmp/key', 'type=file,id=y,src=/tmp/key'])).toEqual([]);
    // env wins over src; with neither, BuildKit reads the id's variable when it is set, whatever the type.
    expect(secretEnvNames(['id=a,src=/tmp/key,env=E', 'type=env,id=ENV_ID', 'type=file,id=FILE_ID'])).toEqual(['E', 'ENV_ID', 'FILE_ID']);
  });
});

describe('a secret with markup characters in it', () => {
  // Escaped in text (p4ss\\_w0rd\\!...) or in a code span (\\|), it no longer reads as the masked value.
  const secret = 'p4ss_w0rd!*`|~[x]<y>&#9@u';
  const given = 'gh0st_t0ken!*`|';
  it('reaches neither the pull-request comment nor the job summary, raw or escaped', () => {
    stdoutOf(() => maskSecret(secret));
    const b = pushed(
      build(['pr-42'], {
        baseImage: `alpine:${secret}`,
        tests: [
          { name: `test-command: login ${secret} ${given}`, passed: false, seconds: 1 },
          { name: `multi-line ${secret}\n${given}`, passed: true, seconds: 1 },
        ],
      }),
    );
    const error = `The test command failed: login with ${secret} and ${given} refused\nstep 3: ${secret}\n\`\`\`${given}`;
    const bodies = [
      previewBody({ facts: prFacts(), report: report({ builds: [b], error }), secrets: [given] }),
      previewBody({ facts: prFacts(), report: report({ builds: [b], pushed: true }), secrets: [given] }),
    ];
    const summaries = [summaryMarkdown(report({ facts: facts(), builds: [b], error })), summaryMarkdown(report({ facts: facts(), builds: [b], pushed: true }))];
    for (const md of [...bodies, ...summaries]) {
      expect(md).toContain('***');
      expect(md).not.toContain('p4ss');
      expect(md).not.toContain('w0rd');
    }
    for (const md of bodies) {
      expect(md).not.toContain('gh0st');
      expect(md).not.toContain('t0ken');
    }
  });
});
