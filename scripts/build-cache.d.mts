export interface CacheRecord {
  id: string;
  description?: string;
  parents: string[];
}
/** Parses `docker buildx du --verbose` (buildx 0.13's `Parent:` and 0.2x's `Parents:` list alike). */
export function parseDiskUsage(du: string): CacheRecord[];
/** Record ids whose description contains the marker, and their descendants, parents first. */
export function ownRecords(du: string, marker: string): string[];
/** Prunes those records from the engine the docker CLI talks to; throws when they stay. */
export function pruneOwnRecords(marker: string, env?: NodeJS.ProcessEnv): void;
