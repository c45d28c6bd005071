import type { Docker } from './docker.js';

/** The engine's id of a local image reference, or undefined when there is none. */
export async function imageId(docker: Docker, ref: string): Promise<string | undefined> {
  return (await docker.inspectImage(ref))?.Id?.trim() || undefined;
}

/** Removes a name from the engine (the image stays while other names use it). Missing names are fine. */
export async function untagImage(docker: Docker, ref: string): Promise<void> {
  await docker.removeImages([ref], { noPrune: true });
}

/** Gives a local image another name. */
export async function tagImage(docker: Docker, image: string, ref: string): Promise<void> {
  await docker.tag(image, ref);
}
