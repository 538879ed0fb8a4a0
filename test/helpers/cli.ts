/**
 * The `seqrate` command run in-process (`main` from src/cli.ts) with its output captured: stdout and
 * stderr as strings (stderr is not a terminal, so progress prints plain lines) and the exit code.
 */
import { main } from '../../src/cli.js';

/** Runs `seqrate ...argv` in this process; never throws for a failing command (see `code`). */
export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [],
    err: string[] = [];
  const code = await main(argv, {
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s), isTTY: false },
  });
  return { code, out: out.join(''), err: err.join('') };
}
