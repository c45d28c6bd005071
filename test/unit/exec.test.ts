import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDuration, PhaseTimeout, withinPhase } from '../../src/engine/deadline.js';
import { childEnv, CommandTimeout, describeCommand, execCommand } from '../../src/engine/exec.js';
import { InertLog } from '../../src/engine/inert-log.js';
import { describePartialPush, partialPushError, registryOf } from '../../src/engine/push.js';
import { stdoutOf, stdoutOfAsync } from './stdout.js';

/** Running (a zombie waiting for a parent to reap it counts as gone). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('execCommand', () => {
  it('gives the child stdin, and its exit code', async () => {
    const r = await execCommand('sh', ['-c', 'read x; echo "got $x"; exit 3'], { input: 'secret-on-stdin\n' });
    expect(r).toEqual({ code: 3, stdout: 'got secret-on-stdin\n', stderr: '' });
  });

  it('keeps the action inputs (which hold secrets) out of the child environment', async () => {
    process.env['INPUT_PASSWORD'] = 'pw-from-input';
    try {
      expect(childEnv()['INPUT_PASSWORD']).toBeUndefined();
      const r = await execCommand('sh', ['-c', 'env'], { env: { EXTRA: 'yes' } });
      expect(r.stdout).not.toContain('pw-from-input');
      expect(r.stdout).toContain('EXTRA=yes');
      expect(r.stdout).toContain(`PATH=${process.env.PATH}`);
    } finally {
      delete process.env['INPUT_PASSWORD'];
    }
  });

  it('stops a command that runs past its limit, with everything it started', async () => {
    const pidFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-exec-')), 'pid');
    const started = Date.now();
    const error = await execCommand('sh', ['-c', `sleep 30 & echo $! > ${pidFile}; wait`], { timeoutMs: 500 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandTimeout);
    expect((error as Error).message).toBe("'sh' did not finish within 500ms and was stopped.");
    expect(Date.now() - started).toBeLessThan(5000);
    const grandchild = Number(fs.readFileSync(pidFile, 'utf8'));
    await new Promise((r) => setTimeout(r, 100));
    expect(alive(grandchild)).toBe(false);
  });

  it('stops a command at the phase deadline and names the input that sets it', async () => {
    const error = await withinPhase('test', 1000, () => execCommand('sleep', ['30'])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PhaseTimeout);
    expect((error as Error).message).toBe(
      "The test phase did not finish within 1s ('sleep 30' was stopped). Raise the limit with the 'timeout' input, e.g. timeout: test=2s.",
    );
  });

  it('refuses to start a command once the phase is out of time, except cleanup', async () => {
    const result = await withinPhase('push', 200, async () => {
      await new Promise((r) => setTimeout(r, 300));
      const refused = await execCommand('true', []).catch((e: unknown) => e);
      const cleanup = await execCommand('true', [], { cleanup: true });
      return { refused, cleanup };
    });
    expect(result.refused).toBeInstanceOf(PhaseTimeout);
    expect(result.cleanup.code).toBe(0);
  });

  it('hands stdout to onStdout as it comes, without keeping it, and stops the command when the reader has enough', async () => {
    let all = 0;
    const whole = await execCommand('sh', ['-c', 'head -c 300000 /dev/zero; echo done >&2'], { onStdout: (chunk) => void (all += chunk.length) });
    expect(whole).toEqual({ code: 0, stdout: '', stderr: 'done\n' });
    expect(all).toBe(300000);
    let seen = 0;
    const started = Date.now();
    const cut = await execCommand('sh', ['-c', 'while :; do head -c 65536 /dev/zero; done'], { onStdout: (chunk) => (seen += chunk.length) > 0 });
    expect(Date.now() - started).toBeLessThan(4000);
    expect(cut.code).not.toBe(0);
    expect(seen).toBeGreaterThan(0);
  });

  it('names a missing program', async () => {
    await expect(execCommand('autobuild-no-such-program', [])).rejects.toThrow("'autobuild-no-such-program' was not found on PATH");
  });

  it('describes commands by their leading words', () => {
    expect(describeCommand('docker', ['push', 'localhost:5000/a:1'])).toBe("'docker push localhost:5000/a:1'");
    expect(describeCommand('docker', ['buildx', 'build', '--file', 'x', '.'])).toBe("'docker buildx build'");
    expect(describeCommand('docker', ['run', '--rm', 'image'])).toBe("'docker run'");
  });
});

describe('formatDuration', () => {
  it.each([
    [90_000, '1m30s'],
    [600_000, '10m'],
    [5_400_000, '1h30m'],
    [3_600_000, '1h'],
    [1_000, '1s'],
    [1_500, '1500ms'],
  ])('%i ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('a push that stopped half-way', () => {
  const planned = [
    'localhost:5000/acme/app:1.2.3',
    'localhost:5000/acme/app:1.2',
    'localhost:5000/acme/app:latest',
    'docker.io/acme/app:1.2.3',
    'docker.io/acme/app:1.2',
    'docker.io/acme/app:latest',
  ];

  it('says which tags reached which registry', () => {
    expect(describePartialPush(planned, planned.slice(0, 4))).toBe(
      ['localhost:5000: pushed acme/app:1.2.3, acme/app:1.2, acme/app:latest', 'docker.io: pushed acme/app:1.2.3; not pushed acme/app:1.2, acme/app:latest'].join('\n'),
    );
  });

  it('keeps the cause first and adds the list only when something was pushed', () => {
    expect(partialPushError(new Error('Pushing x failed: boom'), planned, []).message).toBe('Pushing x failed: boom');
    expect(partialPushError(new Error('Pushing x failed: boom'), planned, planned.slice(0, 1)).message).toBe(
      [
        'Pushing x failed: boom',
        'The push stopped half-way: 1 of 6 references reached the registry.',
        'localhost:5000: pushed acme/app:1.2.3; not pushed acme/app:1.2, acme/app:latest',
        'docker.io: not pushed acme/app:1.2.3, acme/app:1.2, acme/app:latest',
      ].join('\n'),
    );
  });

  it.each([
    ['localhost:5000/acme/app:1', 'localhost:5000'],
    ['127.0.0.1:5055/e2e/x:latest', '127.0.0.1:5055'],
    ['ghcr.io/acme/app:sha-1234567', 'ghcr.io'],
    ['docker.io/library/app:1', 'docker.io'],
    ['acme/app:1', 'docker.io'],
  ])('the registry of %s is %s', (ref, registry) => {
    expect(registryOf(ref)).toBe(registry);
  });
});

describe('InertLog: outside output as text, never workflow commands', () => {
  const capture = () => {
    const chunks: string[] = [];
    return { out: { write: (c: string | Uint8Array) => chunks.push(typeof c === 'string' ? c : Buffer.from(c).toString()) }, text: () => chunks.join('') };
  };

  it('writes nothing for a silent command', () => {
    const c = capture();
    const log = new InertLog(c.out);
    log.end();
    expect(c.text()).toBe('');
  });

  it('puts the output between stop-commands and its end marker, which starts a line of its own', () => {
    const c = capture();
    const log = new InertLog(c.out);
    log.write(Buffer.from('::warning::forged\n'));
    log.write('tail without newline');
    log.end();
    const m = /^::stop-commands::([0-9a-f]{32})\n::warning::forged\ntail without newline\n::\1::\n$/.exec(c.text());
    expect(m, c.text()).not.toBeNull();
  });

  it('a new token for each stretch of output', () => {
    const c = capture();
    const log = new InertLog(c.out);
    log.write('a\n');
    log.end();
    log.write('b\r');
    log.end();
    const tokens = [...c.text().matchAll(/^::stop-commands::(\w+)$/gm)].map((m) => m[1]);
    expect(tokens).toHaveLength(2);
    expect(tokens[0]).not.toBe(tokens[1]);
    expect(c.text().endsWith(`b\r\n::${tokens[1]}::\n`)).toBe(true);
  });
});

describe('no inert region outlives its phase', () => {
  it('a region whose command never closed is ended when the phase ends, and later output gets a region per chunk', async () => {
    let log!: InertLog;
    const out = await stdoutOfAsync(() =>
      withinPhase('test', 60_000, async () => {
        log = new InertLog();
        log.write('::error::forged, and the line never ends');
      }),
    );
    expect(out).toMatch(/^::stop-commands::([0-9a-f]{32})\n::error::forged, and the line never ends\n::\1::\n$/);
    const late = stdoutOf(() => log.write('::warning::still printing\n'));
    expect(late).toMatch(/^::stop-commands::([0-9a-f]{32})\n::warning::still printing\n::\1::\n$/);
  });

  it('also when the phase fails, and for a phase without a limit', async () => {
    for (const limitMs of [60_000, undefined]) {
      const out = await stdoutOfAsync(async () => {
        const phase = withinPhase('build', limitMs, async () => {
          new InertLog().write('half a line');
          throw new Error('the build broke');
        });
        await expect(phase).rejects.toThrow('the build broke');
      });
      expect(out, String(limitMs)).toMatch(/^::stop-commands::([0-9a-f]{32})\nhalf a line\n::\1::\n$/);
    }
  });
});

describe('the environment of code autobuild does not own (hooks, compose files)', () => {
  it('keeps the allow-listed variables and drops tokens, command files and the step env', async () => {
    const set = {
      ACTIONS_RUNTIME_TOKEN: 'runtime-token',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-token',
      ACTIONS_RESULTS_URL: 'http://127.0.0.1:9/results',
      GITHUB_STATE: '/tmp/state',
      GITHUB_ENV: '/tmp/env',
      NPM_TOKEN: 'npm-secret',
      DOCKER_CONFIG: '/home/runner/.docker',
      DOCKER_HOST: 'unix:///run/x.sock',
      LC_ALL: 'C.UTF-8',
      https_proxy: 'http://proxy.invalid:3128',
      SSH_AUTH_SOCK: '/tmp/agent.sock',
    };
    const before = Object.fromEntries(Object.keys(set).map((k) => [k, process.env[k]]));
    Object.assign(process.env, set);
    try {
      const env = childEnv({ DOCKER_CONFIG: '/tmp/run-config', DOCKER_REPO: 'acme/app' }, true);
      for (const gone of ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'ACTIONS_RESULTS_URL', 'GITHUB_STATE', 'GITHUB_ENV', 'NPM_TOKEN']) expect(env[gone], gone).toBeUndefined();
      expect(env).toMatchObject({ PATH: process.env.PATH, DOCKER_HOST: 'unix:///run/x.sock', LC_ALL: 'C.UTF-8', https_proxy: 'http://proxy.invalid:3128', DOCKER_CONFIG: '/tmp/run-config', DOCKER_REPO: 'acme/app' });
      const r = await execCommand('sh', ['-c', 'env'], { isolated: true });
      expect(r.stdout).not.toContain('runtime-token');
      expect(r.stdout).not.toContain('npm-secret');
      // Not isolated (docker and buildx themselves): the step environment stays (buildx reads `secrets: env=` from it).
      expect(childEnv().NPM_TOKEN).toBe('npm-secret');
      // The SSH agent only for an engine reached over ssh://, whose docker CLI needs it.
      expect(env.SSH_AUTH_SOCK).toBeUndefined();
      process.env.DOCKER_HOST = 'ssh://builder@build-host';
      expect(childEnv({}, true).SSH_AUTH_SOCK).toBe('/tmp/agent.sock');
    } finally {
      for (const [k, v] of Object.entries(before)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});
