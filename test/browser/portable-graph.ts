/**
 * Walks the import graph of a module (relative imports of .ts sources, then bare package imports
 * resolved into node_modules and their own require/import chains) and reports everything that
 * ties it to Node: imports of Node built-in modules (`node:fs`, `fs`, …) and free uses of the
 * Node globals `Buffer`, `process`, `global`, `__dirname`, `__filename` (and `require` in ES
 * modules). Parsed with the TypeScript compiler, so comments and strings never count.
 */
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import ts from 'typescript';

const NODE_GLOBALS = new Set(['Buffer', 'process', 'global', '__dirname', '__filename']);
const BUILTINS = new Set(builtinModules);

/** One finding: the file, what it uses, and the chain of files that led to it. */
export interface Finding {
  file: string;
  what: string;
  via: string[];
}

function isNameSlot(node: ts.Identifier): boolean {
  const p = node.parent;
  if (ts.isPropertyAccessExpression(p) && p.name === node) return true;
  if (
    (ts.isPropertyAssignment(p) ||
      ts.isPropertySignature(p) ||
      ts.isPropertyDeclaration(p) ||
      ts.isMethodDeclaration(p) ||
      ts.isMethodSignature(p)) &&
    p.name === node
  )
    return true;
  return ts.isQualifiedName(p) && p.right === node;
}

/** Module specifiers and suspicious identifiers of one source text. */
export function scanText(file: string, text: string): { specs: string[]; globals: string[] } {
  const sf = ts.createSourceFile(
    file,
    text,
    ts.ScriptTarget.ES2022,
    true,
    file.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS,
  );
  const esm = file.endsWith('.ts') || file.endsWith('.mjs') || /\b(import|export)\s/.test(text);
  const specs: string[] = [],
    globals: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    )
      specs.push(node.moduleSpecifier.text);
    if (
      ts.isCallExpression(node) &&
      node.arguments.length === 1 &&
      ts.isStringLiteral(node.arguments[0]!) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require'))
    ) {
      specs.push((node.arguments[0] as ts.StringLiteral).text);
    }
    if (ts.isIdentifier(node) && !isNameSlot(node)) {
      if (NODE_GLOBALS.has(node.text) || (esm && node.text === 'require')) globals.push(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { specs, globals: [...new Set(globals)] };
}

function resolveSpec(from: string, spec: string): string | null {
  if (spec.startsWith('.')) {
    const base = resolve(dirname(from), spec);
    for (const c of [base.replace(/\.js$/, '.ts'), base, `${base}.js`, `${base}.ts`, `${base}/index.js`]) {
      if (existsSync(c) && !c.endsWith('/')) return c;
    }
    return null;
  }
  try {
    return createRequire(from).resolve(spec);
  } catch {
    return null;
  }
}

/** Every Node dependency reachable from `entries`; an unresolvable import is a finding too. */
export function nodeDependencies(entries: string[]): { findings: Finding[]; files: string[] } {
  const seen = new Map<string, string[]>();
  const findings: Finding[] = [];
  const queue: Array<[string, string[]]> = entries.map((e) => [resolve(e), []]);
  while (queue.length > 0) {
    const [file, via] = queue.shift()!;
    if (seen.has(file)) continue;
    seen.set(file, via);
    if (file.endsWith('.json') || file.endsWith('.d.ts')) continue;
    const { specs, globals } = scanText(file, readFileSync(file, 'utf8'));
    for (const g of globals) findings.push({ file, what: `global ${g}`, via });
    for (const spec of specs) {
      const bare = spec.replace(/^node:/, '');
      if (spec.startsWith('node:') || (BUILTINS.has(bare.split('/')[0]!) && !spec.startsWith('.'))) {
        findings.push({ file, what: `import '${spec}'`, via });
        continue;
      }
      const target = resolveSpec(file, spec);
      if (target === null) findings.push({ file, what: `unresolved import '${spec}'`, via });
      else queue.push([target, [...via, file]]);
    }
  }
  return { findings, files: [...seen.keys()] };
}
