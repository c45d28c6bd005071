import type { Docker } from './docker.js';

/** What the engine knows about a built image. */
export interface ImageFacts {
  /** The engine's id of the image. */
  id: string;
  /** Size in bytes, as the engine reports it (`docker image inspect` .Size). */
  size?: number;
  labels: Record<string, string>;
}

/** One `docker image inspect` for the id, size and labels of an image; undefined when the engine does not know it. */
export async function inspectImage(docker: Docker, image: string): Promise<ImageFacts | undefined> {
  const r = await docker.run(['image', 'inspect', '--format', '{{.Id}}\n{{.Size}}\n{{json .Config.Labels}}', image], { timeoutMs: 60_000 });
  if (r.code !== 0) return undefined;
  const [id = '', sizeLine = '', labelsLine = 'null'] = r.stdout.trim().split('\n');
  if (!id.trim()) return undefined;
  const size = Number(sizeLine.trim());
  let labels: Record<string, string> = {};
  try {
    labels = (JSON.parse(labelsLine) as Record<string, string> | null) ?? {};
  } catch {
    // no labels
  }
  return { id: id.trim(), size: Number.isFinite(size) && size > 0 ? size : undefined, labels };
}
