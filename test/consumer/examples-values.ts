/**
 * Value comments of doc-comment examples, checked when the examples run. A line
 * `expr; // → literal` (or `const x = expr; // → literal`) becomes `__check(line, (expr), (literal))`:
 * the example fails when the value differs. `→` means equal (numbers exactly, arrays and typed
 * arrays and tensors entry by entry, plain objects key by key); `≈` means every number of the
 * literal is the value rounded to the digits printed (within half a unit of its last digit).
 * Only a comment that starts with a plain literal (numbers, strings, booleans, null, arrays,
 * objects, `Infinity`, `NaN`; an optional `Float64Array`/`Int32Array` prefix) is checked, up to
 * a `:`, `;`, ` (`, ` =` or ` —` that follows it; prose, elided strings (`…`) and
 * expressions (`1/3`, `√45`) are not. A checked comment that is never reached (in a `catch` that
 * did not run) fails too.
 */
import ts from 'typescript';

const VALUE_LINE = /^(\s*)(?:(const|let)\s+([A-Za-z_$][\w$]*)\s*=\s*)?(.+?);\s*\/\/\s*(→|≈)\s*(.+)$/;
const TYPED_PREFIX = /^(?:Float64Array|Float32Array|Int32Array|Uint8Array)\s+(?=\[)/;

const parse = (text: string): ts.SourceFile | undefined => {
  const sf = ts.createSourceFile('value.ts', `(${text});`, ts.ScriptTarget.ES2023, true);
  const diags = (sf as unknown as { parseDiagnostics: readonly unknown[] }).parseDiagnostics;
  return diags.length === 0 && sf.statements.length === 1 ? sf : undefined;
};

/** True for a node that is a plain literal value (see the file comment). */
function isLiteral(n: ts.Node): boolean {
  if (ts.isParenthesizedExpression(n)) return isLiteral(n.expression);
  if (ts.isNumericLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) return true;
  if (ts.isStringLiteral(n)) return !n.text.includes('…');
  if (ts.isIdentifier(n)) return ['Infinity', 'NaN', 'undefined'].includes(n.text);
  if (ts.isPrefixUnaryExpression(n)) {
    const sign = n.operator === ts.SyntaxKind.MinusToken || n.operator === ts.SyntaxKind.PlusToken;
    return sign && (ts.isNumericLiteral(n.operand) || (ts.isIdentifier(n.operand) && n.operand.text === 'Infinity'));
  }
  if (ts.isArrayLiteralExpression(n)) return n.elements.every(isLiteral);
  if (ts.isObjectLiteralExpression(n)) {
    return n.properties.every(
      (p) => ts.isPropertyAssignment(p) && !ts.isComputedPropertyName(p.name) && isLiteral(p.initializer),
    );
  }
  const k = n.kind;
  return k === ts.SyntaxKind.TrueKeyword || k === ts.SyntaxKind.FalseKeyword || k === ts.SyntaxKind.NullKeyword;
}

/** The literal a value comment starts with, as JS source, or undefined when it is prose. */
export function literalOf(comment: string, approx: boolean): string | undefined {
  const text = comment.replace(TYPED_PREFIX, '').trimEnd();
  const cuts = [text.length];
  for (let i = text.length - 1; i > 0; i--) {
    const c = text[i]!;
    if (c === ':' || c === ';' || (c === ' ' && /^[(=—]/.test(text.slice(i + 1)))) cuts.push(i);
  }
  for (const cut of cuts) {
    const candidate = text.slice(0, cut).trim();
    const sf = candidate === '' ? undefined : parse(candidate);
    const expr = sf && (sf.statements[0] as ts.ExpressionStatement).expression;
    if (expr && isLiteral(expr)) return approx ? withTolerances(sf!, candidate) : candidate;
  }
  return undefined;
}

/** `≈` literals: each number `x` printed with its last digit in place 10^e becomes `__approx(x, 10^e / 2)`. */
function withTolerances(sf: ts.SourceFile, text: string): string {
  const edits: { start: number; end: number; text: string }[] = [];
  const visit = (n: ts.Node): void => {
    const signed = ts.isPrefixUnaryExpression(n) && ts.isNumericLiteral(n.operand);
    if (signed || (ts.isNumericLiteral(n) && !ts.isPrefixUnaryExpression(n.parent))) {
      const number = (signed ? n.operand : n) as ts.NumericLiteral;
      const [mantissa, exp = '0'] = number.getText(sf).toLowerCase().split('e');
      const decimals = mantissa!.split('.')[1]?.length ?? 0;
      const half = `5e${Number(exp) - decimals - 1}`;
      const value = n.getText(sf);
      // positions in `text`: the parsed source is `(${text});`
      edits.push({ start: n.getStart(sf) - 1, end: n.end - 1, text: `__approx(${value}, ${half})` });
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  let out = text;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** The example with its value comments turned into `__check` calls (same line numbers), and their lines. */
export function instrument(code: string): { code: string; checks: number[] } {
  const checks: number[] = [];
  const lines = code.split('\n').map((line, i) => {
    const m = VALUE_LINE.exec(line);
    if (!m) return line;
    const [, indent, decl, name, expr, arrow, comment] = m;
    if (/^(if|for|while|return|throw|import|export|}|else)\b/.test(expr!) || !parse(expr!)) return line;
    const literal = literalOf(comment!, arrow === '≈');
    if (literal === undefined) return line;
    checks.push(i + 1);
    return decl
      ? `${indent}${decl} ${name} = ${expr}; __check(${i + 1}, ${name}, (${literal}));`
      : `${indent}__check(${i + 1}, (${expr}), (${literal}));`;
  });
  return { code: lines.join('\n'), checks };
}

/** The child's side: `__approx`, `__check` and the comparison (JavaScript source for the runner). */
export const CHECK_RUNTIME = `
const APPROX = Symbol('approx');
globalThis.__approx = (value, half) => ({ [APPROX]: true, value, half });
const plain = (v) => {
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v);
  if (v && typeof v === 'object' && v.data instanceof Float64Array && Array.isArray(v.shape)) {
    let k = 0;
    const build = (d) => Array.from({ length: v.shape[d] }, () => (d === v.shape.length - 1 ? v.data[k++] : build(d + 1)));
    return v.shape.length === 0 ? v.data[0] : build(0);
  }
  return v;
};
const same = (actual, expected) => {
  const a = plain(actual);
  if (expected && expected[APPROX]) return typeof a === 'number' && Math.abs(a - expected.value) <= expected.half * (1 + 1e-9);
  if (typeof expected === 'number') return a === expected || (Number.isNaN(a) && Number.isNaN(expected));
  if (Array.isArray(expected)) return Array.isArray(a) && a.length === expected.length && expected.every((e, i) => same(a[i], e));
  if (expected && typeof expected === 'object') {
    if (!a || typeof a !== 'object') return false;
    const keys = Object.keys(expected);
    return Object.keys(a).length === keys.length && keys.every((k) => same(a[k], expected[k]));
  }
  return a === expected;
};
const show = (v) => {
  const s = JSON.stringify(plain(v), (k, x) => {
    if (x && x[APPROX]) return '≈' + x.value;
    if (typeof x === 'number' && !Number.isFinite(x)) return String(x);
    return ArrayBuffer.isView(x) ? Array.from(x) : plain(x);
  });
  return s === undefined ? String(v) : s.length > 300 ? s.slice(0, 300) + '…' : s;
};
globalThis.__check = (line, actual, expected) => {
  globalThis.__reached.add(line);
  if (!same(actual, expected)) throw new Error('line ' + line + ': the value is ' + show(actual) + ', the comment says ' + show(expected));
};
`;
