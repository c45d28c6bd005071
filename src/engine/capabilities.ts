import * as core from '@actions/core';
import type { Docker } from './docker.js';

/** What the engine and builder on this runner can do; asked, never assumed. */
export interface Capabilities {
  engineVersion: string;
  /** buildx version, or undefined when the plugin is missing. */
  buildx?: string;
  /** Driver of the selected builder: docker, docker-container, remote, kubernetes. */
  driver?: string;
  builder?: string;
  /** The engine stores images in containerd (so the docker driver can export cache). */
  containerdStore: boolean;
  /** The builder can export cache to a registry or directory (not only inline). */
  cacheExport: boolean;
}

export async function detectCapabilities(docker: Docker, engineVersion: string): Promise<Capabilities> {
  const [bx, info, inspect] = await Promise.all([
    docker.run(['buildx', 'version']),
    docker.run(['info', '--format', '{{json .DriverStatus}}']),
    docker.run(['buildx', 'inspect']),
  ]);
  const buildx = bx.code === 0 ? (/v?(\d+\.\d+\.\d+)/.exec(bx.stdout)?.[1] ?? 'unknown') : undefined;
  const containerdStore = info.code === 0 && info.stdout.includes('io.containerd.snapshotter');
  const driver = inspect.code === 0 ? /^Driver:\s*(\S+)/m.exec(inspect.stdout)?.[1] : undefined;
  const builder = inspect.code === 0 ? /^Name:\s*(\S+)/m.exec(inspect.stdout)?.[1] : undefined;
  const cacheExport = buildx !== undefined && (driver !== 'docker' || containerdStore);
  const caps: Capabilities = { engineVersion, buildx, driver, builder, containerdStore, cacheExport };
  core.debug(`capabilities: ${JSON.stringify(caps)}`);
  return caps;
}

export function describeCapabilities(c: Capabilities): string {
  if (!c.buildx) return `engine ${c.engineVersion}, no buildx (classic docker build)`;
  return `engine ${c.engineVersion}, buildx ${c.buildx}, builder ${c.builder ?? '?'} (driver ${c.driver ?? '?'}), ${
    c.containerdStore ? 'containerd image store' : 'classic image store'
  }, cache export ${c.cacheExport ? 'available' : 'inline only'}`;
}
