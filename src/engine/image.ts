import type { Docker } from './docker.js';

/** The engine's id of a local image reference, or undefined when there is none. */
export async function imageId(docker: Docker, ref: string): Promise<string | undefined> {
  const r = await docker.run(['image', 'inspect', '--format', '{{.Id}}', ref]);
  return r.code === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
}

/** Removes a name from the engine (the image stays while other names use it). Missing names are fine. */
export async function untagImage(docker: Docker, ref: string): Promise<void> {
  if (await imageId(docker, ref)) await docker.run(['image', 'rm', '--no-prune', ref]);
}

/** Gives a local image another name. */
export async function tagImage(docker: Docker, image: string, ref: string): Promise<void> {
  await docker.ok(['tag', image, ref], `docker tag ${ref}`);
}
