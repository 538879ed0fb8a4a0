/**
 * Every code example in the doc comments of the public API (```ts fences, with or without an
 * @example tag, on anything exported from the public entries) is type-checked as a consumer would
 * write it: examples without import lines get the public names of their own subpath (then of the
 * others) imported from `seqrate/<subpath>`. Many examples are fragments that use a variable of
 * their context (`model`, `x`); such free names are declared `any` in a second pass, so for those
 * the calls, option names and result fields of the API are checked, not the context. Anything
 * else — an outdated name, a wrong option, pseudo-code — fails this test.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const SUBPATHS = ['linalg', 'models', 'theory', 'node', 'experiments'] as const;
const entry = (sub: string): string => join(ROOT, 'src', sub, 'index.ts');

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
};

/** Code fences of a doc comment text. */
function fencesOf(comment: string): string[] {
  const text = comment
    .replace(/^\s*\/\*\*|\*\/\s*$/g, '')
    .split('\n')
    .map((l) => l.replace(/^\s*\* ?/, ''))
    .join('\n');
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

/** The public names of each subpath and the examples on their declarations. */
function collect(): { names: Record<string, string[]>; examples: Example[] } {
  const program = ts.createProgram(SUBPATHS.map(entry), BASE_OPTIONS);
  const checker = program.getTypeChecker();
  const names: Record<string, string[]> = {};
  const examples: Example[] = [];
  const seen = new Set<ts.Node>();
  for (const sub of SUBPATHS) {
    const sf = program.getSourceFile(entry(sub))!;
    const mod = checker.getSymbolAtLocation(sf)!;
    names[sub] = [];
    for (const exp of checker.getExportsOfModule(mod)) {
      names[sub].push(exp.name);
      const sym = exp.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exp) : exp;
      for (const decl of sym.declarations ?? []) {
        if (seen.has(decl)) continue;
        seen.add(decl);
        const file = decl.getSourceFile().text;
        const node = ts.isVariableDeclaration(decl) ? decl.parent.parent : decl;
        for (const r of ts.getLeadingCommentRanges(file, node.getFullStart()) ?? []) {
          fencesOf(file.slice(r.pos, r.end)).forEach((code) => examples.push({ subpath: sub, name: exp.name, code }));
        }
      }
    }
  }
  return { names, examples };
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

/** Names an example uses from its context (declared `any`) and names it declares itself. */
interface Context {
  free: Set<string>;
  local: Set<string>;
}

function diagnostics(
  examples: Example[],
  names: Record<string, string[]>,
  dir: string,
  ctx: Context[],
): { file: number; code: number; text: string }[] {
  const files = examples.map((ex, i) => {
    const f = join(dir, `ex${i}-${ex.name}.ts`);
    writeFileSync(f, `export {};\n${withImports(ex, names, ctx[i]!)}\n`);
    return f;
  });
  const paths = Object.fromEntries(SUBPATHS.map((s) => [`seqrate/${s}`, [entry(s)]]));
  const program = ts.createProgram(files, {
    ...BASE_OPTIONS,
    paths,
    typeRoots: [join(ROOT, 'node_modules', '@types')],
  });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file && files.includes(d.file.fileName))
    .map((d) => ({
      file: files.indexOf(d.file!.fileName),
      code: d.code,
      text: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    }));
}

/**
 * Type-checks the examples (a second pass with context names declared): `file: diagnostic` lines,
 * and how many examples are fragments using context names.
 */
function typeCheck(
  examples: Example[],
  names: Record<string, string[]>,
  dir: string,
): { errors: string[]; fragments: number } {
  const ctx: Context[] = examples.map(() => ({ free: new Set(), local: new Set() }));
  for (const d of diagnostics(examples, names, dir, ctx)) {
    const name = /'([A-Za-z_$][\w$]*)'/.exec(d.text)?.[1];
    if (name === undefined) continue;
    if (d.code === 2304 || d.code === 18004) ctx[d.file]!.free.add(name); // cannot find name / shorthand without value
    if (d.code === 2440) ctx[d.file]!.local.add(name); // import conflicts with a local declaration
  }
  const errors = diagnostics(examples, names, dir, ctx).map(
    (d) => `ex${d.file}-${examples[d.file]!.name}.ts: ${d.text}`,
  );
  return { errors, fragments: ctx.filter((c) => c.free.size > 0).length };
}

describe('doc-comment examples of the public API', () => {
  const dir = mkdtempSync(join(tmpdir(), 'seqrate-examples-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const { names, examples } = collect();

  it('finds the public API and its examples', () => {
    expect(names.linalg).toContain('svd');
    expect(names.node).toContain('loadMnist');
    expect(examples.length).toBeGreaterThan(15);
  });

  it('every example type-checks against the public entries', () => {
    const { errors, fragments } = typeCheck(examples, names, dir);
    expect(errors).toEqual([]);
    console.info(`${examples.length} examples type-checked, ${fragments} of them fragments using context names`);
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
});
