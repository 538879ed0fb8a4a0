/**
 * The portable layers (linalg, models, theory) reach nothing of Node: no `node:` or built-in
 * module import and no Node global anywhere in their import graph, including the npm packages
 * they import. The scanner is checked on fixtures that must be caught.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeDependencies, scanText } from './portable-graph.js';

const ROOT = join(import.meta.dirname, '..', '..');
const rel = (f: string): string => relative(ROOT, f);

describe('portable layers', () => {
  it.each(['linalg', 'models', 'theory'])('src/%s/index.ts reaches no Node module or global', (layer) => {
    const { findings, files } = nodeDependencies([join(ROOT, 'src', layer, 'index.ts')]);
    expect(files.length).toBeGreaterThan(layer === 'linalg' ? 30 : 5);
    if (layer !== 'theory') expect(files.some((f) => f.includes('node_modules/ndarray/'))).toBe(true);
    expect(findings.map((f) => `${rel(f.file)}: ${f.what} (via ${f.via.map(rel).join(' → ')})`)).toEqual([]);
  });

  it('seqrate/node and the experiments do reach Node (the scan sees through the graph)', () => {
    const node = nodeDependencies([join(ROOT, 'src', 'node', 'index.ts')]).findings;
    expect(node.map((f) => f.what)).toEqual(expect.arrayContaining(["import 'node:fs'", "import 'node:module'"]));
    const exp = nodeDependencies([join(ROOT, 'src', 'experiments', 'index.ts')]).findings;
    expect(exp.some((f) => f.what === "import 'node:worker_threads'")).toBe(true);
  });
});

describe('the Node-dependency scanner', () => {
  const dir = mkdtempSync(join(tmpdir(), 'seqrate-portable-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string): string => {
    const p = join(dir, name);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, text);
    return p;
  };

  it('finds a node: import two files away, and names the chain', () => {
    const a = write('a.ts', "import { b } from './b.js';\nexport const a = b;\n");
    const b = write('b.ts', "export { c as b } from './c.js';\n");
    const c = write('c.ts', "import { readFileSync } from 'node:fs';\nexport const c = readFileSync;\n");
    const { findings } = nodeDependencies([a]);
    expect(findings).toEqual([{ file: c, what: "import 'node:fs'", via: [a, b] }]);
  });

  it('finds bare built-ins, Buffer, process and require, but not comments, strings or properties', () => {
    expect(scanText('x.ts', "import * as p from 'path';").specs).toEqual(['path']);
    const bad = scanText('x.ts', "export const f = (s: string) => Buffer.from(s) && process.env.X && require('fs');");
    expect(bad.globals.sort()).toEqual(['Buffer', 'process', 'require']);
    const ok = scanText('x.ts', "// Buffer process\nconst o = { process: 1 }; export const s = 'Buffer' + o.process;");
    expect(ok.globals).toEqual([]);
    const d = write('d.ts', "export const e = new Uint8Array(Buffer.from('x'));\n");
    expect(nodeDependencies([d]).findings.map((f) => f.what)).toEqual(['global Buffer']);
  });

  it('follows packages into node_modules (CommonJS require chains)', () => {
    write('node_modules/evil/package.json', JSON.stringify({ name: 'evil', main: 'main.js' }));
    write('node_modules/evil/main.js', "module.exports = require('./inner.js');\n");
    write('node_modules/evil/inner.js', "module.exports = require('os').cpus;\n");
    const e = write('e.ts', "import evil from 'evil';\nexport default evil;\n");
    expect(nodeDependencies([e]).findings.map((f) => f.what)).toEqual(["import 'os'"]);
  });
});
