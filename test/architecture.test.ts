/**
 * The layering of DESIGN.md, enforced on the import lines of src/.
 *
 * Between folders: cli → experiments → {models, theory} → linalg; report is used by
 * experiments/cli only; models and theory never import each other.
 * Inside linalg: errors → validate → shape → random → tensor → kernels → decomp → autodiff → ops
 * (ndarray interop sits beside ops); kernels and decompositions never import the tape.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const src = join(root, 'src');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Relative imports of a file, resolved to paths under src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  const re = /(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;
  for (const m of text.matchAll(re)) {
    const spec = m[1] ?? m[2]!;
    out.push(relative(src, resolve(dirname(file), spec)).replace(/\.js$/, '.ts'));
  }
  return out;
}

/** The unit a src path belongs to: 'linalg/<sub>' inside linalg, else the top folder or file. */
function unitOf(rel: string): string {
  const parts = rel.split('/');
  if (parts[0] === 'linalg') {
    if (parts.length === 2) return `linalg/${parts[1]!.replace(/\.ts$/, '')}`;
    return `linalg/${parts[1]}`;
  }
  return parts.length === 1 ? parts[0]!.replace(/\.ts$/, '') : parts[0]!;
}

/**
 * Value imports of a file (type-only imports and re-exports excluded: they vanish at run time),
 * resolved to paths under src/.
 */
function valueImportsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, ''); // comments may quote imports
  const out: string[] = [];
  const re = /(import|export)\s+(type\s+)?([^'";]*?)\s*from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;
  for (const m of text.matchAll(re)) {
    const spec = m[4] ?? m[5]!;
    if (m[2] !== undefined) continue; // import type / export type
    const names = /\{([^}]*)\}/.exec(m[3] ?? '');
    const onlyBraces = names !== null && (m[3] ?? '').trim().startsWith('{');
    if (
      onlyBraces &&
      names[1]!
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x !== '')
        .every((x) => x.startsWith('type '))
    )
      continue;
    out.push(relative(src, resolve(dirname(file), spec)).replace(/\.js$/, '.ts'));
  }
  return out;
}

/** Every cycle of a directed graph (as node paths, each cycle once, from its smallest node). */
function cycles(graph: Map<string, string[]>): string[][] {
  const found = new Map<string, string[]>();
  const visit = (start: string, node: string, path: string[], seen: Set<string>): void => {
    for (const next of graph.get(node) ?? []) {
      if (next === start) {
        found.set([...path].sort().join('|'), [...path, start]);
        continue;
      }
      if (next < start || seen.has(next)) continue; // each cycle is found from its smallest node
      seen.add(next);
      visit(start, next, [...path, next], seen);
    }
  };
  for (const n of [...graph.keys()].sort()) visit(n, n, [n], new Set([n]));
  return [...found.values()];
}

const linalgRank: Record<string, number> = {
  'linalg/errors': 0,
  'linalg/validate': 0.5,
  'linalg/shape': 1,
  'linalg/random': 2,
  'linalg/tensor': 3,
  'linalg/kernels': 4,
  'linalg/decomp': 5,
  'linalg/autodiff': 6,
  'linalg/ops': 7,
  'linalg/ndarray': 7,
  'linalg/index': 8,
};

const allowed: Record<string, string[]> = {
  index: ['linalg', 'models', 'theory', 'experiments'],
  cli: ['experiments', 'report', 'linalg', 'models', 'theory', 'cluster'],
  cluster: ['experiments', 'report', 'linalg'],
  experiments: ['models', 'theory', 'linalg', 'report', 'node'],
  node: ['models', 'linalg'],
  report: ['linalg'],
  models: ['linalg'],
  theory: ['linalg'],
  linalg: [],
};

/** Every forbidden edge among `edges` (pairs of src-relative paths), as readable strings. */
function violations(edges: Array<[string, string]>): string[] {
  const bad: string[] = [];
  for (const [fromRel, imp] of edges) {
    const from = unitOf(fromRel),
      to = unitOf(imp);
    const [ff, tf] = [from.split('/')[0]!, to.split('/')[0]!];
    if (ff !== tf) {
      if (!(allowed[ff] ?? []).includes(tf)) bad.push(`${fromRel} imports ${imp}`);
      continue;
    }
    if (ff !== 'linalg' || to === from) continue;
    const rf = linalgRank[from],
      rt = linalgRank[to];
    if (rf === undefined || rt === undefined)
      bad.push(`${fromRel}: unknown linalg unit ${rf === undefined ? from : to}`);
    else if (rt >= rf) bad.push(`${fromRel} (${from}) imports ${imp} (${to})`);
  }
  return bad;
}

describe('architecture', () => {
  const files = walk(src);
  const edges: Array<[string, string]> = files.flatMap((f) =>
    importsOf(f).map((imp): [string, string] => [relative(src, f), imp]),
  );

  it('finds the source tree and its imports', () => {
    expect(files.length).toBeGreaterThan(5);
    expect(edges.length).toBeGreaterThan(5);
  });

  it('every import points down the layers (folders, and inside linalg)', () => {
    expect(violations(edges)).toEqual([]);
  });

  it('the rules reject upward and sideways imports', () => {
    expect(violations([['linalg/kernels/matmul.ts', 'linalg/autodiff/tape.ts']])).toHaveLength(1);
    expect(violations([['linalg/decomp/svd.ts', 'linalg/ops/index.ts']])).toHaveLength(1);
    expect(violations([['models/transformer.ts', 'theory/targets.ts']])).toHaveLength(1);
    expect(violations([['theory/targets.ts', 'models/mlp.ts']])).toHaveLength(1);
    expect(violations([['linalg/tensor.ts', 'models/mlp.ts']])).toHaveLength(1);
    expect(
      violations([
        ['models/mlp.ts', 'linalg/index.ts'],
        ['linalg/ops/add.ts', 'linalg/kernels/elementwise.ts'],
      ]),
    ).toEqual([]);
  });

  it('no import cycle among value imports (a cycle works only by hoisting, and breaks on reordering)', () => {
    const graph = new Map(files.map((f) => [relative(src, f), valueImportsOf(f)]));
    expect(cycles(graph).map((c) => c.join(' → '))).toEqual([]);
  });

  it('the cycle finder finds a cycle, ignores type-only imports and acyclic graphs', () => {
    expect(
      cycles(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', ['a']],
        ]),
      ),
    ).toEqual([['a', 'b', 'c', 'a']]);
    expect(
      cycles(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', []],
        ]),
      ),
    ).toEqual([]);
    expect(cycles(new Map([['a', ['a']]]))).toEqual([['a', 'a']]);
    // the synthetic-rate files before the split: experiment ↔ report ↔ fitted
    const old = new Map([
      ['s.ts', ['r.ts', 'f.ts']],
      ['r.ts', ['s.ts', 'f.ts']],
      ['f.ts', ['s.ts']],
    ]);
    expect(cycles(old).length).toBeGreaterThan(0);
  });

  it('nothing calls Math.random, eval or new Function', () => {
    const bad = files.filter((f) => /Math\.random\(|\beval\(|new Function\(/.test(readFileSync(f, 'utf8')));
    expect(bad.map((f) => relative(root, f))).toEqual([]);
  });
});
