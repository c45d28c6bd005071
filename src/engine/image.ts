import type { Docker } from './docker.js';

/** What the engine knows about a built image. */
export interface ImageFacts {
  /** The engine's id of the image. */
  id: string;
  /** Size in bytes, as the engine reports it (`docker image inspect` .Size). */
  size?: number;
  labels: Record<string, string>;
}

/** The id, size and labels of a local image (one inspect); undefined when the engine does not know it. */
export async function imageFacts(docker: Docker, image: string): Promise<ImageFacts | undefined> {
  const found = await docker.inspectImage(image);
  const id = found?.Id?.trim();
  if (!id) return undefined;
  const size = Number(found!.Size);
  return { id, size: Number.isFinite(size) && size > 0 ? size : undefined, labels: found!.Config?.Labels ?? {} };
}

/** The engine's id of a local image reference, or undefined when there is none. */
export async function imageId(docker: Docker, ref: string): Promise<string | undefined> {
  return (await docker.inspectImage(ref))?.Id?.trim() || undefined;
}
