import { describe, expect, it } from 'vitest';
import { ANSWER_FORMS, classifyOutput, codeOfMessage, faultOfCode, REGISTRY_CODES } from '../../src/engine/registry-errors.js';

const H = 'http://127.0.0.1:36105';

describe('the registry answer table', () => {
  it.each(ANSWER_FORMS.map((f) => [f.name, f]))('each form is read from its own example: %s', (_name, form) => {
    const re = new RegExp(form.re.source, form.re.flags);
    const m = re.exec(form.example);
    expect(m, form.example).not.toBeNull();
    expect(form.fault(m!)).toBeDefined();
    expect(form.from).not.toBe('');
  });

  it.each(REGISTRY_CODES.map((c) => [c.code, c]))('%s: its code, its words and its spec message all mean its status', (_code, entry) => {
    const byCode = faultOfCode(entry.code)!;
    expect(byCode).toMatchObject({ status: entry.status, code: entry.code });
    // Docker 28 prints only the message: the code's own words or the spec's message.
    expect(classifyOutput(`error from registry: ${entry.code.toLowerCase().replace(/_/g, ' ')}`)).toEqual(byCode);
    expect(classifyOutput(`error from registry: ${entry.messages[0]}`)).toEqual(byCode);
    // The classic store and containerd print "<code words>: <message>".
    expect(classifyOutput(`${entry.code.toLowerCase().replace(/_/g, ' ')}: ${entry.messages[0]}`)).toEqual(byCode);
  });

  it('reads a message with detail after the spec text', () => {
    expect(codeOfMessage('requested access to the resource is denied: insufficient scope')).toBe('DENIED');
    expect(codeOfMessage('something else entirely')).toBeUndefined();
  });
});

// The same fault through the fault proxy of the e2e tests (a registry-style JSON body with
// `{"code":"UNAVAILABLE","message":"unavailable"}`), as each engine generation words it.
const sameFault: [string, string, string, 'transient' | 'permanent', number][] = [
  ['503 on push, Docker 26 (containerd store)', 'Docker 26.1', `unexpected status from POST request to ${H}/v2/x/y/blobs/uploads/: 503 Service Unavailable`, 'transient', 503],
  ['503 on push, Docker 28 (containerd store)', 'Docker 28.5', 'error from registry: unavailable', 'transient', 503],
  ['503 on push, engine API errorDetail, Docker 28', 'Docker 28.5', '{"errorDetail":{"message":"error from registry: unavailable"},"error":"error from registry: unavailable"}', 'transient', 503],
  ['403 on push, Docker 26 (containerd store)', 'Docker 26.1', `unexpected status from POST request to ${H}/v2/x/y/blobs/uploads/: 403 Forbidden`, 'permanent', 403],
  ['403 on push, Docker 28 (containerd store)', 'Docker 28.5', 'error from registry: denied', 'permanent', 403],
  ['403 on push, classic store', 'Docker 26.1', 'denied: denied', 'permanent', 403],
  ['503 on push, classic store', 'Docker 26.1', 'received unexpected HTTP status: 503 Service Unavailable', 'transient', 503],
  ['503 on a cache manifest, BuildKit 0.13', 'buildx 0.13', `ERROR: failed to solve: error writing manifest blob: failed commit on ref "sha256:331f": unexpected status from PUT request to ${H}/v2/p/c/manifests/buildcache: 503 Service Unavailable`, 'transient', 503],
  ['503 on a cache manifest, BuildKit 0.2x (after its own retry)', 'buildx 0.29', `ERROR: failed to build: failed to solve: error writing manifest blob: failed commit on ref "sha256:331f": unexpected status from PUT request to ${H}/v2/p/c/manifests/buildcache3: 503 Service Unavailable\nunavailable: unavailable`, 'transient', 503],
  ['Docker Hub rate limit, Docker 28', 'Docker 28.5', 'error from registry: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading', 'transient', 429],
];

describe('the same registry answer, whatever the engine generation', () => {
  it.each(sameFault)('%s', (_name, _engine, output, kind, status) => {
    expect(classifyOutput(output)).toMatchObject({ kind, status });
  });

  it('names access denied the same way on both generations', () => {
    const old = classifyOutput(sameFault[3]![2]);
    const current = classifyOutput(sameFault[4]![2]);
    expect(current.reason).toBe(old.reason);
    expect(current.reason).toMatch(/^access denied \(HTTP 403\)/);
  });

  it('keeps a registry message it does not know, as the registry\'s refusal', () => {
    expect(classifyOutput('error from registry: installation not allowed to Create organization package')).toEqual({
      kind: 'permanent',
      reason: 'the registry refused: installation not allowed to Create organization package',
    });
  });
});
