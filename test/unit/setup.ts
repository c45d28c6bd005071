// The main step loads the yaml library only when the inputs or autotest files need it (see
// src/yaml.ts); unit tests call the readers directly, so it is loaded for all of them.
import { loadYaml } from '../../src/yaml.js';

await loadYaml();
