/**
 * `--out` and `--force` never destroy what is not an earlier seqrate report (issue 14 item 1):
 * a project folder, a regular file, the current folder, its ancestors, the home folder and `/` are
 * refused with one clear line and exit code 3, and nothing is touched (no temp folder either).
 * An empty folder or an earlier report (results.json with the schema name) may be replaced.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli.js';

/** Every file under `dir` with its content (a snapshot to compare before/after). */
function snapshot(dir: string): Record<string, string> {
  const acc: Record<string, string> = {};
  const walk = (d: string, rel: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const r = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) {
        acc[`${r}/`] = '';
        walk(join(d, e.name), r);
        continue;
      }
      acc[r] = e.isSymbolicLink() ? '<link>' : readFileSync(join(d, e.name), 'utf8');
    }
  };
  walk(dir, '');
  return acc;
}

const CHEAP = ['reproduce', '--tiny', '--only', 'no-order', '--force'];
let root = '';
const cwd0 = process.cwd();
const home0 = process.env.HOME;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'seqrate-cli-'));
});
afterEach(() => {
  process.chdir(cwd0);
  if (home0 === undefined) delete process.env.HOME;
  else process.env.HOME = home0;
  rmSync(root, { recursive: true, force: true });
});

/** A small project: files and a sub-folder. */
function project(dir: string): void {
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'main.c'), 'int main(void) { return 0; }\n');
  writeFileSync(join(dir, 'src', 'util.c'), '/* util */\n');
}

describe('--force replaces only an earlier seqrate report or an empty folder', () => {
  it('refuses a project folder (exit 3, one line, nothing touched, no temp folder)', async () => {
    const p = join(root, 'proj');
    project(p);
    const before = snapshot(root);
    const r = await cli(...CHEAP, '--out', p);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/refusing to replace .*proj.*not a seqrate report/);
    expect(
      r.err
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('seqrate:')),
    ).toHaveLength(1);
    expect(snapshot(root)).toEqual(before);
  });
  it("refuses `--out .` inside a project, and the folder's ancestors", async () => {
    const p = join(root, 'proj');
    project(p);
    mkdirSync(join(p, 'sub'));
    const before = snapshot(root);
    process.chdir(join(p, 'sub'));
    for (const out of ['.', '..', join(p, 'sub'), p]) {
      const r = await cli(...CHEAP, '--out', out);
      expect(r.code, out).toBe(3);
      expect(r.err, out).toMatch(/refusing/);
    }
    expect(snapshot(root)).toEqual(before);
  });
  it('refuses an empty current folder, the home folder and / even when empty or absent of files', async () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    process.chdir(empty);
    const r = await cli(...CHEAP, '--out', '.');
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/current folder/);
    const home = join(root, 'home');
    mkdirSync(home);
    process.env.HOME = home;
    const h = await cli(...CHEAP, '--out', home);
    expect(h.code).toBe(3);
    expect(h.err).toMatch(/home folder/);
    const s = await cli(...CHEAP, '--out', '/');
    expect(s.code).toBe(3);
    expect(readdirSync(root).sort()).toEqual(['empty', 'home']);
    expect(readdirSync(empty)).toEqual([]);
  });
  it('refuses a regular file and a symbolic link (the file is not replaced by a folder)', async () => {
    const f = join(root, 'notes.txt');
    writeFileSync(f, 'my notes\n');
    mkdirSync(join(root, 'real'));
    symlinkSync(join(root, 'real'), join(root, 'link'));
    const before = snapshot(root);
    const r = await cli(...CHEAP, '--out', f);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/not a folder/);
    const l = await cli(...CHEAP, '--out', join(root, 'link'));
    expect(l.code).toBe(3);
    expect(l.err).toMatch(/symbolic link/);
    expect(snapshot(root)).toEqual(before);
    expect(readFileSync(f, 'utf8')).toBe('my notes\n');
  });
  it('refuses a folder whose results.json is not a seqrate report', async () => {
    const d = join(root, 'other');
    mkdirSync(d);
    writeFileSync(join(d, 'results.json'), JSON.stringify({ schema: 'something-else', data: [1, 2] }));
    const before = snapshot(root);
    const r = await cli(...CHEAP, '--out', d);
    expect(r.code).toBe(3);
    expect(snapshot(root)).toEqual(before);
    writeFileSync(join(d, 'results.json'), '{ not json');
    expect((await cli(...CHEAP, '--out', d)).code).toBe(3);
  });
  it('without --force an existing folder is refused with exit 3', async () => {
    const d = join(root, 'rep');
    mkdirSync(d);
    const r = await cli('reproduce', '--tiny', '--only', 'no-order', '--out', d);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/already exists; pass --force/);
  });
  it('replaces an empty folder and an earlier report, and nothing else in the parent', async () => {
    const d = join(root, 'rep');
    mkdirSync(d);
    writeFileSync(join(root, 'beside.txt'), 'beside');
    expect((await cli(...CHEAP, '--out', d)).code).toBe(0);
    expect(readdirSync(d).sort()).toEqual(['figures', 'report.md', 'results.json']);
    writeFileSync(join(d, 'my-annotation.md'), 'x');
    const again = await cli(...CHEAP, '--out', d, '--seed', '5');
    expect(again.code).toBe(0);
    expect((JSON.parse(readFileSync(join(d, 'results.json'), 'utf8')) as { seed: number }).seed).toBe(5);
    expect(readdirSync(root).sort()).toEqual(['beside.txt', 'rep']);
  });
  it('with the current folder being a report, `--out .` replaces it', async () => {
    const d = join(root, 'rep');
    expect((await cli(...CHEAP, '--out', d)).code).toBe(0);
    process.chdir(d);
    const r = await cli(...CHEAP, '--out', '.', '--seed', '7');
    process.chdir(root);
    expect(r.code).toBe(0);
    expect((JSON.parse(readFileSync(join(d, 'results.json'), 'utf8')) as { seed: number }).seed).toBe(7);
    expect(readdirSync(root)).toEqual(['rep']);
  });
});
