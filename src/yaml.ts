import type * as Yaml from 'yaml';

let lib: typeof Yaml | undefined;

/**
 * Loads the yaml library. Only runs that have YAML to read load it (a `rules` input, a
 * `registry-auth` list, autotest compose files): it is a third of the code the main step would
 * otherwise parse, and ~13 ms of every start.
 */
export async function loadYaml(): Promise<typeof Yaml> {
  if (!lib) {
    // Bundled, yaml is a CommonJS module: its exports are the import's default.
    const loaded = (await import('yaml')) as typeof Yaml & { default?: typeof Yaml };
    lib = typeof loaded.parseDocument === 'function' ? loaded : loaded.default!;
  }
  return lib;
}

/** The yaml library, once loadYaml() has run (the main step loads it before reading such input). */
export function yamlLib(): typeof Yaml {
  if (!lib) throw new Error('internal error: YAML read before loadYaml()');
  return lib;
}
