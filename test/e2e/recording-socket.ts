import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_SOCKET, localEngineSocket } from '../../src/engine/api.js';
import { userConfigDir } from '../../src/engine/docker.js';

/** The engine's socket as the docker CLI and the action find it here. */
function engineSocket(): string {
  return localEngineSocket(process.env, userConfigDir()) ?? DEFAULT_SOCKET;
}

export interface RecordingSocket {
  /** Give the action this DOCKER_HOST. */
  host: string;
  /** The request lines seen so far ("GET /info HTTP/1.1"), from the CLI and the action alike. */
  requests: () => string[];
  close: () => Promise<void>;
}

/**
 * A unix socket in front of the engine's that passes every connection through and notes the
 * first line of each HTTP request on it: what reached the engine, whoever sent it.
 */
export async function recordingSocket(temps: string[]): Promise<RecordingSocket> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'autobuild-e2e-socket-'));
  temps.push(dir);
  const socket = path.join(dir, 'engine.sock');
  const seen: string[] = [];
  const server = net.createServer((client) => {
    const upstream = net.createConnection(engineSocket());
    let head = '';
    client.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1');
      for (let nl = head.indexOf('\r\n\r\n'); nl >= 0; nl = head.indexOf('\r\n\r\n')) {
        const line = head.slice(0, head.indexOf('\r\n'));
        if (/^[A-Z]+ \//.test(line)) seen.push(line);
        head = head.slice(nl + 4);
      }
      if (head.length > 65536) head = '';
    });
    client.pipe(upstream).pipe(client);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  return { host: `unix://${socket}`, requests: () => [...seen], close: () => new Promise((resolve) => server.close(() => resolve())) };
}
