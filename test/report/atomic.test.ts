import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OutputExistsError, stageOutput } from '../../src/report/atomic.js';

const made: string[] = [];
const fresh = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'seqrate-atomic-'));
  made.push(d);
  return d;
};
afterEach(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});
/** An earlier report: the only non-empty folder `force` may replace. */
const oldReport = (dir: string): void => {
  mkdirSync(dir);
  writeFileSync(join(dir, 'old.txt'), 'old');
  writeFileSync(join(dir, 'results.json'), JSON.stringify({ schema: 'seqrate-results' }));
};

describe('atomic output folders', () => {
  it('writes into a hidden temp folder and renames it into place', () => {
    const d = fresh();
    const out = stageOutput(join(d, 'rep'), { force: false });
    out.write('sub/a.txt', 'hello');
    expect(existsSync(join(d, 'rep'))).toBe(false);
    out.commit();
    expect(readFileSync(join(d, 'rep', 'sub', 'a.txt'), 'utf8')).toBe('hello');
    expect(readdirSync(d)).toEqual(['rep']);
  });
  it('refuses an existing folder without force, replaces it with force', () => {
    const d = fresh();
    oldReport(join(d, 'rep'));
    expect(() => stageOutput(join(d, 'rep'), { force: false })).toThrow(OutputExistsError);
    const out = stageOutput(join(d, 'rep'), { force: true });
    out.write('new.txt', 'new');
    expect(readFileSync(join(d, 'rep', 'old.txt'), 'utf8')).toBe('old');
    out.commit();
    expect(readdirSync(join(d, 'rep'))).toEqual(['new.txt']);
    expect(readdirSync(d)).toEqual(['rep']);
  });
  it('abort leaves the existing target untouched and removes the temp folder', () => {
    const d = fresh();
    oldReport(join(d, 'rep'));
    const out = stageOutput(join(d, 'rep'), { force: true });
    out.write('new.txt', 'new');
    out.abort();
    out.abort();
    expect(readdirSync(d)).toEqual(['rep']);
    expect(readdirSync(join(d, 'rep')).sort()).toEqual(['old.txt', 'results.json']);
    expect(() => out.commit()).toThrow(/commit after commit\/abort/);
    expect(() => out.write('late.txt', 'x')).toThrow(/write of 'late.txt' after commit\/abort/);
    expect(readdirSync(d)).toEqual(['rep']);
  });
  it("the next run restores a report stranded between the two renames and removes dead runs' temp folders", () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const d = fresh();
    oldReport(join(d, `.rep.old-${dead}-3`));
    mkdirSync(join(d, `.rep.tmp-${dead}-4`));
    writeFileSync(join(d, `.rep.tmp-${dead}-4`, 'half.md'), 'half');
    mkdirSync(join(d, `.rep.tmp-${process.pid}-999`)); // a live process's (ours): left alone
    const notes: string[] = [];
    const out = stageOutput(join(d, 'rep'), { force: true, onNote: (n) => notes.push(n) });
    expect(notes).toHaveLength(2);
    expect(notes[0]).toMatch(/restored the report stranded/);
    expect(readFileSync(join(d, 'rep', 'old.txt'), 'utf8')).toBe('old');
    out.write('new.txt', 'new');
    out.commit();
    expect(readdirSync(join(d, 'rep'))).toEqual(['new.txt']);
    expect(readdirSync(d).sort()).toEqual([`.rep.tmp-${process.pid}-999`, 'rep']);
  });
});
