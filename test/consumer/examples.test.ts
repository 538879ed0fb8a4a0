/**
 * Every code example in the doc comments of the public API (```ts fences, with or without an
 * @example tag, on anything exported from the public entries) is type-checked as a consumer would
 * write it: examples without import lines get the public names of their own subpath (then of the
 * others) imported from `seqrate/<subpath>`. Many examples are fragments that use a variable of
 * their context (`model`, `x`); such free names are declared `any` in a second pass, so for those
 * the calls, option names and result fields of the API are checked, not the context. Anything
 * else — an outdated name, a wrong option, pseudo-code — fails this test.
 *
 * Every exported function and class must carry at least one example (coverage), and the examples
 * without context names are run: transpiled, their `seqrate/<subpath>` imports pointed at the built
 * dist/, each one a module of its own, all in one child `node` process (helpers in ./examples-run.ts),
 * and their value comments (`expr; // → [3, 4]`, `// ≈ 0.7071`) are checked (./examples-values.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDist } from '../helpers/build-dist.js';
import { DEPENDENCIES, type Job, type RunLimits, runExamples } from './examples-run.js';
import { instrument, literalOf } from './examples-values.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SUBPATHS = ['linalg', 'models', 'theory', 'node', 'experiments'] as const;
const entry = (sub: string): string => join(ROOT, 'src', sub, 'index.ts');
const ENTRIES: Record<string, string> = Object.fromEntries(SUBPATHS.map((s) => [s, entry(s)]));

interface Example {
  subpath: string;
  name: string;
  code: string;
}

const BASE_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2023,
  lib: ['lib.es2023.d.ts'],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  types: ['node'],
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  esModuleInterop: true,
};

/** A compiler host that parses each library file once for all the programs of this test. */
function cachingHost(options: ts.CompilerOptions): ts.CompilerHost {
  const host = ts.createCompilerHost(options);
  const cache = new Map<string, ts.SourceFile | undefined>();
  const parse = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, lang, onError, fresh) => {
    if (!fileName.startsWith(ROOT)) return parse(fileName, lang, onError, fresh); // the examples
    const key = `${fileName}\0${typeof lang === 'object' ? lang.languageVersion : lang}`;
    if (!cache.has(key)) cache.set(key, parse(fileName, lang, onError, fresh));
    return cache.get(key);
  };
  return host;
}
let host: ts.CompilerHost | undefined;
const createProgram = (files: string[], options: ts.CompilerOptions): ts.Program =>
  ts.createProgram(files, options, (host ??= cachingHost(options)));

/** Code fences of a doc comment text. */
function fencesOf(comment: string): string[] {
  const text = comment
    .replace(/^\s*\/\*\*|\*\/\s*$/g, '')
    .split('\n')
    .map((l) => l.replace(/^\s*\* ?/, ''))
    .join('\n');
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

/** The fences of the doc comments leading a declaration (of the statement, for a variable). */
function fencesOfDecl(decl: ts.Declaration): string[] {
  const file = decl.getSourceFile().text;
  const node = ts.isVariableDeclaration(decl) ? decl.parent.parent : decl;
  return (ts.getLeadingCommentRanges(file, node.getFullStart()) ?? []).flatMap((r) =>
    fencesOf(file.slice(r.pos, r.end)),
  );
}

/** Each export of each entry with its target symbol, a declaration exported twice only under its first entry. */
function* exportsOf(
  program: ts.Program,
  entries: Record<string, string>,
): Generator<{ sub: string; name: string; sym: ts.Symbol; first: boolean }> {
  const checker = program.getTypeChecker();
  const seen = new Set<ts.Node>();
  for (const [sub, file] of Object.entries(entries)) {
    const mod = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
    for (const exp of checker.getExportsOfModule(mod)) {
      const sym = exp.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exp) : exp;
      const decls = sym.declarations ?? [];
      const first = !decls.some((d) => seen.has(d));
      decls.forEach((d) => seen.add(d));
      yield { sub, name: exp.name, sym, first };
    }
  }
}

/** The public names of each subpath and the examples on their declarations. */
function collect(program: ts.Program): { names: Record<string, string[]>; examples: Example[] } {
  const names: Record<string, string[]> = Object.fromEntries(SUBPATHS.map((s) => [s, []]));
  const examples: Example[] = [];
  for (const { sub, name, sym, first } of exportsOf(program, ENTRIES)) {
    names[sub]!.push(name);
    if (!first) continue;
    for (const decl of sym.declarations ?? []) {
      fencesOfDecl(decl).forEach((code) => examples.push({ subpath: sub, name, code }));
    }
  }
  return { names, examples };
}

/**
 * Exported functions and classes with no ```ts example on any of their declarations (overloads
 * count as one), by entry; a declaration exported from two entries is listed under the first.
 */
function missingExamples(program: ts.Program, entries: Record<string, string>): Record<string, string[]> {
  const missing: Record<string, string[]> = Object.fromEntries(Object.keys(entries).map((s) => [s, []]));
  for (const { sub, name, sym, first } of exportsOf(program, entries)) {
    if (!first || !(sym.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Class))) continue;
    if (!(sym.declarations ?? []).some((d) => fencesOfDecl(d).length > 0)) missing[sub]!.push(name);
  }
  for (const names of Object.values(missing)) names.sort();
  return missing;
}

/** Names an example uses from its context (declared `any`) and names it declares itself. */
interface Context {
  free: Set<string>;
  local: Set<string>;
}

/** Example source with imports of the public names it does not import or declare itself. */
function withImports(ex: Example, names: Record<string, string[]>, ctx: Context): string {
  const free = [...ctx.free].map((n) => `declare let ${n}: any;`).join('\n');
  if (/^\s*import\s/m.test(ex.code)) return `${ex.code}\n${free}`;
  const taken = new Set<string>(ctx.local);
  const lines: string[] = [];
  for (const sub of [ex.subpath, ...SUBPATHS.filter((s) => s !== ex.subpath)]) {
    const mine = names[sub]!.filter((n) => !taken.has(n) && new RegExp(`\\b${n}\\b`).test(ex.code));
    mine.forEach((n) => taken.add(n));
    if (mine.length > 0) lines.push(`import { ${mine.join(', ')} } from 'seqrate/${sub}';`);
  }
  return `${lines.join('\n')}\n${free}\n${ex.code}`;
}

const label = (ex: Example, i: number): string => `ex${i}-${ex.name}`;

function diagnostics(
  examples: Example[],
  names: Record<string, string[]>,
  dir: string,
  ctx: Context[],
): { file: number; code: number; text: string }[] {
  const files = examples.map((ex, i) => {
    const f = join(dir, `${label(ex, i)}.ts`);
    writeFileSync(f, `export {};\n${withImports(ex, names, ctx[i]!)}\n`);
    return f;
  });
  const modules = (d: string): string[] => [join(ROOT, 'node_modules', '@types', d), join(ROOT, 'node_modules', d)];
  const paths = {
    ...Object.fromEntries(SUBPATHS.map((s) => [`seqrate/${s}`, [entry(s)]])),
    ...Object.fromEntries(DEPENDENCIES.map((d) => [d, modules(d)])),
  };
  const program = createProgram(files, { ...BASE_OPTIONS, paths, typeRoots: [join(ROOT, 'node_modules', '@types')] });
  // only the examples are checked (the library has its own typecheck): much faster than the whole program
  return files.flatMap((f, file) => {
    const sf = program.getSourceFile(f)!;
    return [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].map((d) => ({
      file,
      code: d.code,
      text: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    }));
  });
}

/**
 * Type-checks the examples (a second pass with context names declared): `file: diagnostic` lines,
 * and the context of each example (fragments are those with free names).
 */
function typeCheck(
  examples: Example[],
  names: Record<string, string[]>,
  dir: string,
): { errors: string[]; ctx: Context[] } {
  const ctx: Context[] = examples.map(() => ({ free: new Set(), local: new Set() }));
  for (const d of diagnostics(examples, names, dir, ctx)) {
    const name = /'([A-Za-z_$][\w$]*)'/.exec(d.text)?.[1];
    if (name === undefined) continue;
    if (d.code === 2304 || d.code === 18004) ctx[d.file]!.free.add(name); // cannot find name / shorthand without value
    if (d.code === 2440) ctx[d.file]!.local.add(name); // import conflicts with a local declaration
  }
  const errors = diagnostics(examples, names, dir, ctx).map((d) => `${label(examples[d.file]!, d.file)}.ts: ${d.text}`);
  return { errors, ctx };
}

/** The runnable examples (no context names) as labelled sources with imports and value checks. */
function runnable(examples: Example[], names: Record<string, string[]>, ctx: Context[]): Job[] {
  return examples.flatMap((ex, i) => {
    if (ctx[i]!.free.size > 0) return [];
    const { code, checks } = instrument(ex.code);
    return [{ label: label(ex, i), source: withImports({ ...ex, code }, names, ctx[i]!), checks }];
  });
}

/** Per example well above the ~100 ms an example should take on a loaded machine; the whole run. */
const LIMITS: RunLimits = { perExampleMs: 10_000, runMs: 90_000 };

describe('doc-comment examples of the public API', () => {
  const dir = mkdtempSync(join(tmpdir(), 'seqrate-examples-'));
  // the examples are ES modules, as in a consumer's project ("type": "module"): top-level await is allowed
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const program = createProgram(SUBPATHS.map(entry), BASE_OPTIONS);
  const { names, examples } = collect(program);
  let checked: ReturnType<typeof typeCheck> | undefined;
  const typeChecked = () => (checked ??= typeCheck(examples, names, dir));
  beforeAll(() => ensureDist(), 120_000);

  it('finds the public API and its examples', () => {
    expect(names.linalg).toContain('svd');
    expect(names.node).toContain('loadMnist');
    expect(examples.length).toBeGreaterThan(15);
  });

  it('every exported function and class has an example', () => {
    const missing = missingExamples(program, ENTRIES);
    const counts = SUBPATHS.map((s) => `${s} ${missing[s]!.length}`).join(', ');
    console.info(`exported functions and classes without an example: ${counts}`);
    const lines = SUBPATHS.filter((s) => missing[s]!.length > 0).map((s) => `${s}: ${missing[s]!.join(', ')}`);
    expect(lines, 'exports without a ```ts example in their doc comment, by subpath').toEqual([]);
  });

  it('a declaration without example is caught', () => {
    const fixture = join(dir, 'coverage-fixture.ts');
    writeFileSync(
      fixture,
      [
        '/** Has one.\n * @example\n * ```ts\n * documented(1);\n * ```\n */',
        'export function documented(x: number): number { return x; }',
        '/** Overloads: the example may sit on any of them. */',
        'export function over(x: number): number;',
        '/** @example\n * ```ts\n * over("a");\n * ```\n */',
        'export function over(x: string): string;',
        'export function over(x: unknown): unknown { return x; }',
        '/** A doc comment, but a js fence only.\n * ```js\n * new Bare();\n * ```\n */',
        'export class Bare {}',
        'export function undocumented(): void {}',
        '/** Not a function: not required. */',
        'export const VALUE = 1;',
      ].join('\n'),
    );
    const again = join(dir, 'coverage-again.ts'); // a second entry re-exporting: each name is listed once
    writeFileSync(again, "export { undocumented, documented } from './coverage-fixture.js';\n");
    const fixtureProgram = createProgram([fixture, again], BASE_OPTIONS);
    expect(missingExamples(fixtureProgram, { fixture, again })).toEqual({
      fixture: ['Bare', 'undocumented'],
      again: [],
    });
    expect(missingExamples(fixtureProgram, { again })).toEqual({ again: ['undocumented'] });
  });

  it('every example type-checks against the public entries', () => {
    const { errors, ctx } = typeChecked();
    expect(errors).toEqual([]);
    const fragments = ctx.filter((c) => c.free.size > 0).length;
    console.info(`${examples.length} examples type-checked, ${fragments} of them fragments using context names`);
  }, 120_000);

  it('every example without context names runs against dist/', () => {
    const { ctx } = typeChecked();
    const jobs = runnable(examples, names, ctx);
    const { errors, times } = runExamples(jobs, dir, LIMITS);
    expect(errors).toEqual([]);
    const slowest = [...times.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3);
    const values = jobs.reduce((n, j) => n + j.checks!.length, 0);
    console.info(
      `${jobs.length} examples ran (${values} value comments checked), ` +
        `${examples.length - jobs.length} fragments not run; slowest: ` +
        slowest.map(([l, ms]) => `${l} ${ms.toFixed(0)} ms`).join(', '),
    );
  }, 120_000);

  it('a broken example is caught', () => {
    const bad: Example = {
      subpath: 'linalg',
      name: 'broken',
      code: "const s = svd(tensor([[1]]), { method: 'magic', x });\n",
    };
    const ok: Example = {
      subpath: 'linalg',
      name: 'fine',
      code: 'const s = svd(tensor([[1, 2], [3, 4]]));\ns.u.shape;\n',
    };
    const out = typeCheck([bad, ok], names, dir).errors;
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^ex0-broken\.ts: .*magic/s);
  }, 120_000);

  it('value comments: literals are read up to the prose that follows them, prose is not read', () => {
    expect(literalOf('[0, 0, 7]: relu(h·w + b)', false)).toBe('[0, 0, 7]');
    expect(literalOf("'add: cannot broadcast (3 vs 4)'", false)).toBe("'add: cannot broadcast (3 vs 4)'");
    expect(literalOf('Int32Array [0, 1, 3, 2]', false)).toBe('[0, 1, 3, 2]');
    expect(literalOf('21 (keepdims)', false)).toBe('21');
    expect(literalOf('0.0839 (again: the same)', true)).toBe('__approx(0.0839, 5e-5)');
    expect(literalOf('0.0839 again: the same', true)).toBeUndefined(); // a literal followed by words is prose
    expect(literalOf('[-1.5e-3, Infinity]', true)).toBe('[__approx(-1.5e-3, 5e-5), Infinity]');
    for (const prose of ['3 values', "seed 1's weights", "'…/dist/worker.js'", '√45', '[1/3, 2/3]', 'u 1×1']) {
      expect(literalOf(prose, false), prose).toBeUndefined();
    }
    const { code, checks } = instrument('const x = f(); // → [1]\nf(); // s ≈ 2\n  g(x)!; // ≈ 2.5 (note)');
    expect(code.split('\n')).toEqual([
      'const x = f(); __check(1, x, ([1]));',
      'f(); // s ≈ 2',
      '  __check(3, (g(x)!), (__approx(2.5, 5e-2)));',
    ]);
    expect(checks).toEqual([1, 3]);
  });

  it('a wrong value comment, and one never reached, are caught', () => {
    const code = [
      'toArray(add(tensor([1, 2]), 1)); // → [2, 3]\nitem(sqrt(tensor([2]))); // ≈ 1.414 (√2)',
      'toArray(add(tensor([1, 2]), 1)); // → [2, 4]',
      'item(sqrt(tensor([2]))); // ≈ 1.415',
      "svdvals(tensor([[3, 0], [0, 4]])); // → Float64Array [4, 3]\nfmtShape([2]); // → '(2, )'",
      "try {\n  tensor([1]);\n} catch (e) {\n  (e as Error).message; // → 'never'\n}",
    ];
    const examples = code.map((c, i): Example => ({ subpath: 'linalg', name: `case${i}`, code: c }));
    const ctx = examples.map(() => ({ free: new Set<string>(), local: new Set<string>() }));
    const { errors } = runExamples(runnable(examples, names, ctx), dir, LIMITS);
    expect(errors).toEqual([
      'ex1-case1: Error: line 1: the value is [2,3], the comment says [2,4]',
      'ex2-case2: Error: line 1: the value is 1.4142135623730951, the comment says "≈1.415"',
      'ex3-case3: Error: line 2: the value is "(2,)", the comment says "(2, )"',
      'ex4-case4: Error: the value comment on line 4 was never reached',
    ]);
  }, 60_000);

  it('a throwing, a hanging and a looping example are caught; the others still run', () => {
    const code = [
      'svdvals(tensor([[1, Number.NaN]]));', // throws NonFiniteError
      'const s = svdvals(tensor([[3, 0], [0, 4]]));\nif (s.data[0] !== 4) throw new Error(String(s.data[0]));',
      'await new Promise(() => setTimeout(() => {}, 60_000));', // never settles
      "import { tensor } from 'seqrate/linalg';\ntensor([[1, 2], [3, 4]]);",
      'while (true) {}', // only the time limit of the whole run stops it
      'tensor([1]);', // never starts
    ];
    const examples = code.map((c, i): Example => ({ subpath: 'linalg', name: `case${i}`, code: c }));
    const ctx = examples.map(() => ({ free: new Set<string>(), local: new Set<string>() }));
    const { errors, times } = runExamples(runnable(examples, names, ctx), dir, { perExampleMs: 300, runMs: 4000 });
    expect(errors).toEqual([
      expect.stringMatching(/^ex0-case0: NonFiniteError: svdvals: .*non-finite value NaN/),
      'ex2-case2: timed out after 300 ms',
      expect.stringMatching(/^ex4-case4: did not finish: the run was stopped after 4000 ms$/),
      'ex5-case5: not run (the run was stopped before it)',
    ]);
    expect([...times.keys()]).toEqual(['ex1-case1', 'ex3-case3']);
  }, 60_000);
});
