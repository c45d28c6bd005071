/** The test world's state folder. */
export const WORLD_DIR: string;
/** The registry's port: 5000 unless the world had to pass over a port held by something else. */
export function registryPort(): string;
