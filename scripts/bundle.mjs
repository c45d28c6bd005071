// Bundles the action (dist/index.js) and the CLI (dist/cli.js) as ESM with code splitting: the
// entries are small and load the code of the step they run (main or post) as chunks under
// dist/chunks/, and what only some runs need (@actions/cache for `cache: local`, @actions/github
// for pull-request comments, compose support) only when it is used. Node parses less code at
// every start: the action starts node twice per job (main and post step).
import { build } from 'esbuild';
import * as fs from 'node:fs';

const banner = {
  // Bundled CommonJS dependencies call require(); give them one in every ESM output file.
  js: "import { createRequire as __autobuildCreateRequire } from 'node:module'; const require = __autobuildCreateRequire(import.meta.url);",
};

/**
 * Replaces a module that @actions/core imports with a stand-in. Two of its parts are never used
 * here and cost every start: its OIDC client for core.getIDToken (with an HTTP client and undici,
 * ~0.8 MB) and core.platform (with @actions/exec and @actions/io).
 */
function coreStub(file, contents) {
  const name = `core-without-${file}`;
  return {
    name,
    setup(b) {
      const filter = new RegExp(`^\\./${file.replace('.', '\\.')}$`);
      b.onResolve({ filter }, (args) => (/[\\/]@actions[\\/]core[\\/]/.test(args.importer) ? { path: file, namespace: name } : undefined));
      b.onLoad({ filter: /.*/, namespace: name }, () => ({ contents, loader: 'js' }));
    },
  };
}
const unused = (what) => `throw new Error('${what} is not part of the autobuild bundle')`;
const plugins = [
  coreStub('oidc-utils.js', `export class OidcClient { static getIDToken() { ${unused('core.getIDToken')}; } }`),
  coreStub('platform.js', `export function getDetails() { ${unused('core.platform')}; }`),
];

// Old chunks would pile up: start from an empty dist/.
fs.rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: ['src/index.ts', 'src/cli.ts'],
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
  banner,
  plugins,
});
