/** What a push's progress lines say, from the engine's push stream. */
import { describe, expect, it } from 'vitest';
import { MessageScanner, progressInterval, PushProgress, PROGRESS_SECONDS_ENV, type PushMessage } from '../../src/engine/push-progress.js';

const REF = 'localhost:5000/acme/app:1';
const pushing = (id: string, current: number, total: number): PushMessage => ({ status: 'Pushing', id, progressDetail: { current, total } });

describe('PushProgress', () => {
  it('nothing named yet: no line', () => {
    const p = new PushProgress(REF, 0);
    p.message({ status: 'The push refers to repository [localhost:5000/acme/app]' });
    expect(p.line(10_000)).toBeUndefined();
  });

  it('layers named, nothing sent: says so', () => {
    const p = new PushProgress(REF, 0);
    p.message({ status: 'Preparing', id: 'a' });
    p.message({ status: 'Waiting', id: 'b' });
    expect(p.line(10_000)).toBe(`Pushing ${REF}: nothing sent yet; 0 of 2 layers done (10s so far)`);
  });

  it('bytes of the total, the rate and the time left; a layer the registry had counts as done with nothing sent', () => {
    const p = new PushProgress(REF, 0);
    p.message({ status: 'Layer already exists', id: 'base', progressDetail: {} });
    p.message(pushing('big', 400_000_000, 1_000_000_000));
    p.message({ status: 'Pushed', id: 'small', progressDetail: {} });
    expect(p.line(10_000)).toBe(`Pushing ${REF}: 400.0 MB of 1.00 GB (40%), 40.0 MB/s, about 15s left; 2 of 3 layers done (10s so far)`);
  });

  it('the rate is that of the last 20 seconds, not of the whole push', () => {
    const p = new PushProgress(REF, 0);
    p.message(pushing('big', 100_000_000, 2_000_000_000));
    p.line(10_000);
    p.line(30_000);
    // 100 MB at 30 s, then 600 MB more in the 20 s after it: 30 MB/s now (14 MB/s over the whole push).
    p.message(pushing('big', 700_000_000, 2_000_000_000));
    expect(p.line(50_000)).toBe(`Pushing ${REF}: 700.0 MB of 2.00 GB (35%), 30.0 MB/s, about 43s left; 0 of 1 layers done (50s so far)`);
  });

  it('a layer of a size not known yet: no percentage and no time left', () => {
    const p = new PushProgress(REF, 0);
    p.message(pushing('a', 5_000_000, 10_000_000));
    p.message({ status: 'Preparing', id: 'b' });
    expect(p.line(5_000)).toBe(`Pushing ${REF}: 5.00 MB of 10.0 MB and 1 more layer of a size not known yet, 1.00 MB/s; 0 of 2 layers done (5s so far)`);
  });

  it('all sent, not yet confirmed: waiting for the registry; bytes never go back nor past the total', () => {
    const p = new PushProgress(REF, 0);
    p.message(pushing('a', 8_000_000, 8_000_000));
    p.message(pushing('a', 3_000_000, 8_000_000));
    expect(p.bytes).toBe(8_000_000);
    expect(p.line(4_000)).toBe(`Pushing ${REF}: 8.00 MB sent, waiting for the registry to confirm; 0 of 1 layers done (4s so far)`);
    p.message(pushing('b', 9_000_000, 1_000_000));
    expect(p.bytes).toBe(9_000_000);
  });
});

describe('MessageScanner: the push stream read out of the bytes the engine sends', () => {
  it('messages cut between pieces, in HTTP chunk framing, with escapes: each read once, whole', () => {
    const got: PushMessage[] = [];
    const scanner = new MessageScanner((m) => got.push(m));
    // Key order as the engine writes them, and as another writer might.
    const one = JSON.stringify(pushing('d5f7ad604914', 15_728_640, 30_003_974));
    const two = '{"status":"Pushing","progressDetail":{"current":20000000,"total":30003974},"progress":"[==\\u003e  ] 20MB/30MB","id":"d5f7ad604914"}';
    const three = '{"status":"Pushed","progressDetail":{},"id":"d5f7ad604914"}';
    const stream = `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${one.length.toString(16)}\r\n${one}\r\n\r\n${two.length.toString(16)}\r\n${two}\r\n${three}\r\n0\r\n\r\n`;
    const cut = stream.indexOf('"total":30003974},"progress"');
    const cutAtStart = stream.indexOf('{"status":"Pushed"') + 4;
    scanner.write(stream.slice(0, cut));
    scanner.write(stream.slice(cut, cutAtStart));
    scanner.write(stream.slice(cutAtStart));
    expect(got).toEqual([pushing('d5f7ad604914', 15_728_640, 30_003_974), { ...pushing('d5f7ad604914', 20_000_000, 30_003_974), progress: '[==>  ] 20MB/30MB' }, { status: 'Pushed', progressDetail: {}, id: 'd5f7ad604914' }]);
  });

  it('other answers (an image list, an error) are not push messages; braces and quotes inside strings are text', () => {
    const got: PushMessage[] = [];
    const scanner = new MessageScanner((m) => got.push(m));
    scanner.write('[{"Id":"sha256:abc","RepoTags":["a:1"]}]{"message":"No such image"}{"status":"Pushing","id":"a","progress":"} {\\"status\\""}');
    expect(got).toEqual([{ status: 'Pushing', id: 'a', progress: '} {"status"' }]);
  });
});

describe('progressInterval', () => {
  it.each([
    [undefined, 10_000],
    ['2', 2_000],
    ['0.5', 500],
    ['0', 10_000],
    ['soon', 10_000],
  ])('%s -> %d ms', (given, ms) => {
    expect(progressInterval({ [PROGRESS_SECONDS_ENV]: given })).toBe(ms);
  });
});
