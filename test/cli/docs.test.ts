/**
 * One measured time of the quick preset, with its conditions, in README, docs/REPRODUCE.md and
 * `seqrate reproduce --help` (issue 11: they gave three different times); the exit-code table of
 * the README matches EXIT and `seqrate --help`.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { EXIT, main, QUICK_TIME } from '../../src/cli.js';

/** A repository file with runs of white space (line breaks) folded to one space. */
const read = (rel: string): string =>
  readFileSync(new URL(`../../${rel}`, import.meta.url), 'utf8').replace(/\s+/g, ' ');

async function help(...argv: string[]): Promise<string> {
  const out: string[] = [];
  await main(argv, { stdout: { write: (s: string) => out.push(s) }, stderr: { write: () => true } });
  return out.join('');
}

describe('documented times and exit codes', () => {
  it('README, docs/REPRODUCE.md and reproduce --help quote one measured quick time with its conditions', async () => {
    expect(QUICK_TIME).toMatch(/\d+ min \d{2} s wall time measured on 2 cores .*load average/);
    expect(read('README.md')).toContain(QUICK_TIME);
    expect(read('docs/REPRODUCE.md')).toContain(QUICK_TIME);
    expect((await help('reproduce', '--help')).replace(/\s+/g, ' ')).toContain(QUICK_TIME);
    for (const doc of ['README.md', 'docs/REPRODUCE.md']) {
      expect(read(doc), doc).not.toMatch(/about (1|3) minutes?|one to two minutes/);
    }
  });
  it('every exit code is in the README table and in seqrate --help', async () => {
    const readme = read('README.md');
    const text = await help('--help');
    for (const [, code] of Object.entries(EXIT)) {
      expect(readme).toMatch(new RegExp(`\\| (\x60\\d+\x60, )*\x60${code}\x60(, \x60\\d+\x60)* \\|`));
      expect(text).toMatch(new RegExp(`\\b${code}\\b`));
    }
  });
});
