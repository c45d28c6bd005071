import * as core from '@actions/core';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatBytes } from '../phases/summary.js';
import { formatDuration } from './deadline.js';

/** Seconds between two progress lines of a push (the default is PROGRESS_SECONDS). */
export const PROGRESS_SECONDS_ENV = 'AUTOBUILD_PROGRESS_SECONDS';
const PROGRESS_SECONDS = 10;

/** One message of the engine's push stream, the parts read here. */
export interface PushMessage {
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
}

interface Layer {
  current: number;
  total?: number;
  done: boolean;
  /** The registry had it (or mounted it from another repository): nothing went up. */
  skipped: boolean;
}

/** The rate a progress line gives is that of this last stretch of the push. */
const RATE_WINDOW_MS = 20_000;

/** "about 1m20s", rounded to whole seconds. */
function about(seconds: number): string {
  return `about ${formatDuration(Math.max(1, Math.round(seconds)) * 1000)}`;
}

/**
 * What a push has done so far, from the engine's push stream (per layer: `Preparing`, `Waiting`,
 * `Pushing` with bytes current/total, `Pushed`, `Layer already exists`, `Mounted from ...`), and
 * the log line that says it. Pure: the caller gives the clock.
 */
export class PushProgress {
  private readonly layers = new Map<string, Layer>();
  /** Bytes sent by each moment a line was made: the rate is that of the last RATE_WINDOW_MS. */
  private readonly samples: { at: number; bytes: number }[];

  constructor(
    readonly ref: string,
    private readonly started: number,
  ) {
    this.samples = [{ at: started, bytes: 0 }];
  }

  message(m: PushMessage): void {
    if (!m.id || !m.status) return;
    const layer = this.layers.get(m.id) ?? { current: 0, done: false, skipped: false };
    this.layers.set(m.id, layer);
    const { current, total } = m.progressDetail ?? {};
    if (m.status === 'Pushing') {
      if (typeof total === 'number' && total > 0) layer.total = total;
      if (typeof current === 'number') layer.current = Math.max(layer.current, layer.total ? Math.min(current, layer.total) : current);
    } else if (m.status === 'Pushed') {
      layer.done = true;
      if (layer.total) layer.current = layer.total;
    } else if (m.status === 'Layer already exists' || m.status.startsWith('Mounted from')) {
      layer.done = true;
      layer.skipped = true;
    }
  }

  /** Bytes gone up so far. */
  get bytes(): number {
    let sum = 0;
    for (const l of this.layers.values()) sum += l.current;
    return sum;
  }

  /**
   * "Pushing localhost:5000/acme/app:1: 412 MB of 1.10 GB (37%), 34.2 MB/s, about 20s left; 2 of 5
   * layers done". Undefined before the engine named any layer.
   */
  line(now: number): string | undefined {
    const layers = [...this.layers.values()];
    if (!layers.length) return undefined;
    const seconds = Math.max(0.001, (now - this.started) / 1000);
    const moved = this.bytes;
    const toSend = layers.filter((l) => !l.skipped);
    const unknown = toSend.filter((l) => !l.done && !l.total).length;
    const total = toSend.reduce((sum, l) => sum + (l.total ?? (l.done ? l.current : 0)), 0);
    const done = layers.filter((l) => l.done).length;
    while (this.samples.length > 1 && this.samples[1]!.at <= now - RATE_WINDOW_MS) this.samples.shift();
    const since = this.samples[0]!;
    const rate = now > since.at ? ((moved - since.bytes) * 1000) / (now - since.at) : 0;
    this.samples.push({ at: now, bytes: moved });
    const parts: string[] = [];
    if (!total && !moved) parts.push('nothing sent yet');
    else if (!unknown && moved >= total) parts.push(`${formatBytes(moved)} sent, waiting for the registry to confirm`);
    else {
      const of = total ? ` of ${formatBytes(total)}${unknown ? '' : ` (${Math.floor((moved / total) * 100)}%)`}` : '';
      parts.push(`${formatBytes(moved)}${of}${unknown ? ` and ${unknown} more layer${unknown === 1 ? '' : 's'} of a size not known yet` : ''}`);
      parts.push(`${formatBytes(Math.round(rate))}/s`);
      if (!unknown && rate > 0 && total > moved) parts.push(`${about((total - moved) / rate)} left`);
    }
    return `Pushing ${this.ref}: ${parts.join(', ')}; ${done} of ${layers.length} layers done (${formatDuration(Math.round(seconds) * 1000)} so far)`;
  }
}

/** Where a push message begins in the bytes the engine sends (HTTP framing and all). */
const START = '{"status"';

/** The end of the JSON object that begins at `from` (its index + 1), or -1 when it is not all here. */
function objectEnd(text: string, from: number): number {
  let depth = 0;
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
  }
  return -1;
}

/** Reads push messages out of an answer that comes in pieces: each message once, whole. */
export class MessageScanner {
  private rest = '';

  constructor(private readonly onMessage: (m: PushMessage) => void) {}

  write(chunk: Buffer | string): void {
    const text = this.rest + chunk.toString();
    this.rest = '';
    let at = text.indexOf(START);
    while (at !== -1) {
      const end = objectEnd(text, at);
      if (end === -1) {
        // Cut by the piece's end: the rest comes with the next one (never more than 64 KiB kept).
        if (text.length - at <= 65_536) this.rest = text.slice(at);
        return;
      }
      try {
        this.onMessage(JSON.parse(text.slice(at, end)) as PushMessage);
      } catch {
        // something else that began like a message
      }
      at = text.indexOf(START, end);
    }
    // A message's first bytes may end this piece.
    for (let keep = START.length - 1; keep > 0; keep--) {
      if (text.endsWith(START.slice(0, keep))) {
        this.rest = START.slice(0, keep);
        return;
      }
    }
  }
}

/** The interval between progress lines: AUTOBUILD_PROGRESS_SECONDS, else 10 s. */
export function progressInterval(env: Record<string, string | undefined> = process.env): number {
  const given = Number(env[PROGRESS_SECONDS_ENV]);
  return (Number.isFinite(given) && given > 0 ? given : PROGRESS_SECONDS) * 1000;
}

/** Whether the engine's socket takes a connection (within 2 s). */
function answers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.connect(socketPath);
    const done = (ok: boolean): void => {
      probe.destroy();
      resolve(ok);
    };
    probe.setTimeout(2_000, () => done(false));
    probe.once('connect', () => done(true)).once('error', () => done(false));
  });
}

export interface PushWatch {
  /** For the `docker push` that is watched: its engine is the watch's socket. */
  env: Record<string, string | undefined>;
  progress: PushProgress;
  close(): Promise<void>;
}

/**
 * Watches one `docker push`: the docker CLI talks to the engine through a socket of this process
 * (in a folder only this user can open), which passes every byte through unchanged both ways and
 * reads the engine's push stream on the way back; every `interval` a line says how far the push
 * is. The CLI does the push as always (its login, its errors, its output); what goes to the
 * engine (the request, with the registry credentials in its X-Registry-Auth header) is passed on
 * and never read. Undefined when the socket cannot be made: the push then runs unwatched.
 */
export async function watchPush(engineSocket: string, ref: string, interval = progressInterval()): Promise<PushWatch | undefined> {
  let dir: string;
  try {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-push-'));
  } catch {
    return undefined;
  }
  const socket = path.join(dir, 'engine.sock');
  // A Unix socket's path has room for about 100 bytes (a longer one is cut without an error), and
  // an engine that does not answer should fail the push in the CLI's own words: unwatched, then.
  if (Buffer.byteLength(socket) > 100 || !(await answers(engineSocket))) {
    fs.rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  const progress = new PushProgress(ref, Date.now());
  const connections = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const engine = net.connect(engineSocket);
    connections.add(client).add(engine);
    const scanner = new MessageScanner((m) => progress.message(m));
    const end = (): void => {
      client.destroy();
      engine.destroy();
      connections.delete(client);
      connections.delete(engine);
    };
    client.on('error', end).on('close', end);
    engine.on('error', end).on('close', end);
    engine.on('data', (chunk: Buffer) => scanner.write(chunk));
    client.pipe(engine);
    engine.pipe(client);
  });
  const listening = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(socket, () => resolve(true));
  });
  const remove = (): void => fs.rmSync(dir, { recursive: true, force: true });
  if (!listening) {
    remove();
    return undefined;
  }
  const timer = setInterval(() => {
    const line = progress.line(Date.now());
    if (line) core.info(line);
  }, interval);
  timer.unref();
  return {
    env: { DOCKER_HOST: `unix://${socket}`, DOCKER_CONTEXT: undefined },
    progress,
    close: async () => {
      clearInterval(timer);
      for (const c of connections) c.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      try {
        remove();
      } catch {
        // a folder left in the temp folder never fails the push
      }
    },
  };
}
