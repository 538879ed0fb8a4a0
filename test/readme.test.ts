/**
 * The README's code must run: every ```ts block is written to a temporary module with its
 * `seqrate/<sub>` imports pointed at src/, imported, and must finish without throwing. The theory
 * section must match docs/THEORY.md (whose numbers test/theory/docs-example.test.ts checks).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const tmp = join(root, 'test', '.readme-tmp');

function localise(code: string): string {
  return code.replace(
    /from 'seqrate\/(linalg|models|theory|experiments)'/g,
    (_, sub: string) => `from '${join(root, 'src', sub, 'index.js')}'`,
  );
}

describe('README', () => {
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('has code examples for linalg, autodiff/models and theory', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    for (const sub of ['linalg', 'models', 'theory'])
      expect(blocks.some((b) => b.includes(`from 'seqrate/${sub}'`))).toBe(true);
  });

  it.each(blocks.map((b, i) => [i, b] as const))('code block %i runs', async (i, code) => {
    mkdirSync(tmp, { recursive: true });
    const file = join(tmp, `block${i}.ts`);
    const logs: unknown[][] = [];
    const orig = console.log;
    console.log = (...a: unknown[]) => {
      logs.push(a);
    };
    try {
      writeFileSync(file, `${localise(code)}\nexport {};\n`);
      await import(file);
    } finally {
      console.log = orig;
    }
    for (const line of logs) for (const v of line) if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
    if (code.includes('gradcheck(')) {
      // the autodiff/models example logs [value, grad shape, check.ok, first loss, final loss, stop reason]
      const [, shape, ok, first, last] = logs.at(-1)!;
      expect(shape).toEqual([3, 2]);
      expect(ok).toBe(true);
      expect(last as number).toBeLessThan((first as number) / 2);
    }
  });

  it('shows the same theory example and table as docs/THEORY.md', () => {
    const theory = readFileSync(join(root, 'docs', 'THEORY.md'), 'utf8');
    const theoryBlock = /```ts\n([\s\S]*?)```/.exec(theory)![1]!;
    expect(blocks).toContain(theoryBlock);
    const rows = (s: string) => s.split('\n').filter((l) => /^\| \d+ \|/.test(l));
    expect(rows(readme)).toEqual(rows(theory));
    expect(rows(readme).length).toBeGreaterThan(0);
  });
});
