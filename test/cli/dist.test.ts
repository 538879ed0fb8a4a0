/**
 * The compiled CLI as a child process: worker_threads pool gives the same numbers as in-process
 * execution; SIGTERM / SIGINT mid-run leave an existing output folder untouched and no temp dirs.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDist, ROOT } from '../helpers/build-dist.js';
import { main } from '../../src/cli.js';

beforeAll(() => ensureDist(), 120_000);

const made: string[] = [];
/** A temporary folder removed after the test. */
function temp(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}
afterEach(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

interface Done {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  stdout: string;
}

/** Spawns dist/cli.js; `onErr` sees stderr as it arrives. */
function spawnCli(args: string[], onErr?: (text: string, child: ReturnType<typeof spawn>) => void): Promise<Done> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'cli.js'), ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '',
      stdout = '';
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
    });
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
      onErr?.(stderr, child);
    });
    child.on('close', (code, signal) => resolve({ code, signal, stderr, stdout }));
  });
}

const numbersOf = (file: string): unknown => {
  const j = JSON.parse(readFileSync(file, 'utf8')) as { run: unknown; experiments: { timing: unknown }[] };
  return { ...j, run: null, experiments: j.experiments.map((e) => ({ ...e, timing: null })) };
};

describe('compiled CLI', () => {
  it('runs points on 2 worker threads with the same results.json numbers as in-process', async () => {
    const d = temp('seqrate-dist-');
    const r = await spawnCli([
      'reproduce',
      '--tiny',
      '--only',
      'synthetic-rate,no-order',
      '--workers',
      '2',
      '--seed',
      '4',
      '--out',
      join(d, 'threads'),
    ]);
    expect(r.stderr).toMatch(/2 worker thread\(s\)/);
    expect(r.code).toBe(0);
    const quiet = { stdout: { write: () => true }, stderr: { write: () => true } };
    expect(
      await main(
        ['reproduce', '--tiny', '--only', 'synthetic-rate,no-order', '--seed', '4', '--out', join(d, 'inline')],
        quiet,
      ),
    ).toBe(0);
    expect(numbersOf(join(d, 'threads', 'results.json'))).toEqual(numbersOf(join(d, 'inline', 'results.json')));
  });

  it('a closed stdout pipe (seqrate list | head -1) exits quietly with 0', async () => {
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'list'], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stdout.once('data', () => child.stdout.destroy());
      child.stderr.on('data', (b: Buffer) => {
        stderr += b.toString();
      });
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(r.stderr).not.toMatch(/EPIPE/);
    expect(r.code).toBe(0);
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
    ['SIGHUP', 129],
  ] as const)('%s mid-run leaves the existing report untouched, says one line, no stack trace', async (sig, exit) => {
    const d = temp('seqrate-sig-');
    const out = join(d, 'report');
    mkdirSync(out);
    writeFileSync(join(out, 'keep.txt'), 'precious');
    writeFileSync(join(out, 'results.json'), '{"schema": "seqrate-results"}');
    let sent = false;
    const r = await spawnCli(['reproduce', '--tiny', '--out', out, '--force', '--workers', '2'], (text, child) => {
      if (!sent && /\[\d+\/\d+\]/.test(text)) {
        sent = true;
        child.kill(sig);
      }
    });
    expect(sent).toBe(true);
    expect(r.code).toBe(exit);
    // the interrupt line is the last thing written: no progress after it, no stack trace
    expect(r.stderr).toMatch(new RegExp(`\\nseqrate: interrupted by ${sig}; output folder left untouched\\n$`));
    expect(r.stderr).not.toMatch(/Error|\n\s+at /);
    expect(readdirSync(d)).toEqual(['report']);
    expect(readdirSync(out).sort()).toEqual(['keep.txt', 'results.json']);
    expect(readFileSync(join(out, 'keep.txt'), 'utf8')).toBe('precious');
  });
});
