import { describe, expect, it } from 'vitest';
import { maskSecret, redactSecrets, secretEnvNames } from '../../src/secrets.js';
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
});
