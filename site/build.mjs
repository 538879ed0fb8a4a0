/**
 * `npm run site`: bundles the playground (site/src/main.ts and its Web Worker) with esbuild for
 * the browser and copies the static files into an output folder (default site/dist). Serve that
 * folder with any static file server. `buildSite(outdir)` is also used by the browser test.
 */
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

/** Builds the site into `outdir`; returns the output files with their sizes in bytes. */
export async function buildSite(outdir = join(HERE, 'dist')) {
  mkdirSync(outdir, { recursive: true });
  const r = await build({
    entryPoints: { main: join(HERE, 'src', 'main.ts'), worker: join(HERE, 'src', 'worker.ts') },
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    metafile: true,
    logLevel: 'warning',
  });
  for (const f of ['index.html', 'style.css']) copyFileSync(join(HERE, f), join(outdir, f));
  return Object.fromEntries(Object.entries(r.metafile.outputs).map(([k, v]) => [k, v.bytes]));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ? resolve(process.argv[2]) : undefined;
  const sizes = await buildSite(out);
  for (const [f, b] of Object.entries(sizes)) console.log(`${f}  ${(b / 1024).toFixed(1)} kB`);
}
