/**
 * The compiled CLI under file-system faults and signals (issue 14 item 17): one clear line, an exit
 * code per failure class (3 refused, 4 file-system error, 128 + n signal), nothing half-written,
 * no temporary folder left behind. Permission cases need a user the permission bits apply to: as
 * root (who bypasses them) the CLI is spawned as uid/gid 65534 (nobody), or — when that user
 * cannot read the checkout — as root without CAP_DAC_OVERRIDE (setpriv); otherwise as ourselves.
 * Then the fault test: SIGKILL at seeded random moments of `reproduce --tiny` never damages the
 * report on disk, leaves at most one temporary folder, and the next run cleans it.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDist, ROOT } from '../helpers/build-dist.js';
import { createRng } from '../../src/linalg/random.js';

const asRoot = process.getuid?.() === 0;
const OTHER = 65534;
const CLI = join(ROOT, 'dist', 'cli.js');
const NO_DAC = '-dac_override,-dac_read_search,-fowner';
/**
 * How "another user" is simulated: ourselves when not root; as root, uid 65534 when it can read
 * the checkout, else root without the capabilities that bypass permission bits (setpriv).
 */
let other: 'self' | 'uid' | 'setpriv' = 'self';
beforeAll(() => {
  ensureDist();
  if (!asRoot) return;
  other = spawnSync(process.execPath, [CLI, '--version'], { uid: OTHER, gid: OTHER }).status === 0 ? 'uid' : 'setpriv';
}, 120_000);
const CHEAP = ['reproduce', '--tiny', '--only', 'no-order'];

interface Done {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  ms: number;
}

/** Spawns the compiled CLI (as `nobody` when `other` and we are root); `kill` may signal it. */
interface SpawnOptions {
  other?: boolean;
  cwd?: string;
  kill?: (child: ReturnType<typeof spawn>, err: string) => void;
}
function spawnCli(args: string[], o: SpawnOptions = {}): Promise<Done> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const as = o.other === true ? other : 'self';
    const ids = as === 'uid' ? { uid: OTHER, gid: OTHER } : {};
    const [cmd, argv] =
      as === 'setpriv'
        ? ['setpriv', ['--bounding-set', NO_DAC, '--inh-caps', NO_DAC, process.execPath, CLI, ...args]]
        : [process.execPath, [CLI, ...args]];
    const child = spawn(cmd, argv, { cwd: o.cwd ?? ROOT, stdio: ['ignore', 'ignore', 'pipe'], ...ids });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
      o.kill?.(child, stderr);
    });
    o.kill?.(child, '');
    child.on('close', (code, signal) => resolve({ code, signal, stderr, ms: performance.now() - t0 }));
  });
}

/** Every path under `dir` with file contents (directories end in '/'). */
function snapshot(dir: string): Record<string, string> {
  const acc: Record<string, string> = {};
  const walk = (d: string, rel: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const r = `${rel}${e.name}`;
      if (e.isDirectory()) {
        acc[`${r}/`] = '';
        walk(join(d, e.name), `${r}/`);
        continue;
      }
      acc[r] = readFileSync(join(d, e.name), 'utf8');
    }
  };
  walk(dir, '');
  return acc;
}

/** The `seqrate:` lines of stderr (progress lines start with '['). */
const seqrateLines = (err: string): string[] => err.split('\n').filter((l) => l.startsWith('seqrate:'));

const made: string[] = [];
/** A fresh folder every user can enter (mkdtemp makes 0700). */
function fresh(): string {
  const d = mkdtempSync(join(tmpdir(), 'seqrate-fault-'));
  chmodSync(d, 0o755);
  made.push(d);
  return d;
}
afterEach(() => {
  for (const d of made.splice(0)) {
    chmodTree(d);
    rmSync(d, { recursive: true, force: true });
  }
});
/** Makes every folder under `d` writable again so that the clean-up can delete it. */
function chmodTree(d: string): void {
  if (!existsSync(d)) return;
  chmodSync(d, 0o755);
  for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) chmodTree(join(d, e.name));
}

describe('file-system faults: one line, exit code per class, nothing left', () => {
  it('--out FILE/sub: exit 4 naming the file, nothing created', async () => {
    const d = fresh();
    writeFileSync(join(d, 'file'), 'x');
    const r = await spawnCli([...CHEAP, '--out', join(d, 'file', 'sub')]);
    expect(r.code).toBe(4);
    const [sub, file] = [join(d, 'file', 'sub'), join(d, 'file')];
    expect(seqrateLines(r.stderr)).toEqual([
      `seqrate: output: cannot create '${sub}': '${file}' is a file, not a folder`,
    ]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(d)).toEqual(['file']);
  });
  it('an unwritable folder: exit 4 (permission denied), nothing created', async () => {
    const d = fresh();
    mkdirSync(join(d, 'ro'), { mode: 0o555 });
    chmodSync(join(d, 'ro'), 0o555);
    const r = await spawnCli([...CHEAP, '--out', join(d, 'ro', 'rep')], { other: true });
    expect(r.code).toBe(4);
    expect(seqrateLines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/cannot write in the folder .*ro': permission denied \(EACCES\)/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(join(d, 'ro'))).toEqual([]);
  });
  it('a report in a read-only folder with --force: exit 4, the report intact', async () => {
    const d = fresh();
    const ro = join(d, 'ro');
    mkdirSync(ro);
    expect((await spawnCli([...CHEAP, '--out', join(ro, 'rep')])).code).toBe(0);
    if (asRoot) chownTree(ro, OTHER);
    const before = snapshot(ro);
    chmodSync(ro, 0o555);
    const r = await spawnCli([...CHEAP, '--out', join(ro, 'rep'), '--force'], { other: true });
    expect(r.code).toBe(4);
    expect(seqrateLines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/permission denied/);
    expect(snapshot(ro)).toEqual(before);
  });
  it(
    'a root-owned 0555 report replaced by another user (non-root: our own 0555 report): refused before running, ' +
      'exit 4, no .old/.tmp left',
    async () => {
      const d = fresh();
      chmodSync(d, 0o777);
      const rep = join(d, 'rep');
      expect((await spawnCli([...CHEAP, '--out', rep])).code).toBe(0);
      chmodSync(join(rep, 'figures'), 0o555);
      chmodSync(rep, 0o555);
      const before = snapshot(d);
      const r = await spawnCli([...CHEAP, '--out', rep, '--force'], { other: true });
      expect(r.code).toBe(4);
      const refusal = /cannot replace .*rep'.*cannot be emptied by this user: permission denied/;
      expect(seqrateLines(r.stderr)).toEqual([expect.stringMatching(refusal)]);
      expect(r.stderr).not.toMatch(/\[\d+\/\d+\]/); // refused before any point ran
      expect(snapshot(d)).toEqual(before);
    },
  );
});

/** chown -R (root only). */
function chownTree(d: string, uid: number): void {
  chownSync(d, uid, uid);
  for (const e of readdirSync(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    if (e.isDirectory()) chownTree(p, uid);
    else chownSync(p, uid, uid);
  }
}

describe('SIGKILL at random moments (fault test)', () => {
  it('the report on disk is always complete, at most one temp folder is left, the next run cleans it', async () => {
    const d = fresh();
    const rep = join(d, 'report');
    const first = await spawnCli([...CHEAP, '--out', rep, '--seed', '1']);
    expect(first.code).toBe(0);
    let expected = snapshot(rep);
    const rng = createRng(20261130);
    const kills = 10;
    let killedMidRun = 0;
    let estimate = first.ms; // the shortest whole run seen: the machine's load changes during the test
    for (let i = 0; i < kills; i++) {
      const delay = rng.uniform() * estimate;
      const r = await spawnCli([...CHEAP, '--out', rep, '--force', '--seed', String(i + 2)], {
        kill: (child, err) => {
          if (err === '') setTimeout(() => child.kill('SIGKILL'), delay);
        },
      });
      const hidden = readdirSync(d).filter((e) => e.startsWith('.'));
      if (r.signal === 'SIGKILL') killedMidRun++;
      else estimate = Math.min(estimate, r.ms);
      if (existsSync(rep)) {
        const now = snapshot(rep);
        const seed = (JSON.parse(now['results.json']!) as { seed: number }).seed;
        if (seed === i + 2) expected = now; // the kill came after the new report was renamed in
        expect(now, `kill ${i} after ${delay.toFixed(0)} ms`).toEqual(expected);
        expect(hidden.length, hidden.join(' ')).toBeLessThanOrEqual(1);
      } else {
        // killed between the two renames of the commit: the old report waits beside the target
        const old = hidden.filter((h) => h.startsWith('.report.old-'));
        expect(old).toHaveLength(1);
        expect(snapshot(join(d, old[0]!))).toEqual(expected);
      }
    }
    expect(killedMidRun).toBeGreaterThan(kills / 2);
    const last = await spawnCli([...CHEAP, '--out', rep, '--force', '--seed', '99']);
    expect(last.code).toBe(0);
    expect(readdirSync(d)).toEqual(['report']);
    expect((JSON.parse(readFileSync(join(rep, 'results.json'), 'utf8')) as { seed: number }).seed).toBe(99);
  }, 120_000);
});
