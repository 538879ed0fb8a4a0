/**
 * `npm run bench`: runs every bench module that exists (matmul, decomp, autodiff, models), one
 * after the other, each writing its own section of bench/RESULTS.md. A module that is absent is
 * skipped with a note; one that throws is reported and the others still run (exit code 1).
 *
 * Each module exports `main()` (see harness.ts for the convention). BENCH_ONLY=matmul,decomp
 * restricts the set; BENCH_QUICK=1 shortens every run.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const modules = ['matmul', 'decomp', 'autodiff', 'models'] as const;

async function runAll(): Promise<number> {
  const only = process.env.BENCH_ONLY?.split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  let failures = 0;
  for (const name of modules) {
    if (only !== undefined && !only.includes(name)) continue;
    const url = new URL(`./${name}.js`, import.meta.url);
    if (!existsSync(fileURLToPath(url))) {
      console.log(`bench/${name}: not present, skipped`);
      continue;
    }
    console.log(`\n=== bench/${name} ===`);
    const t0 = performance.now();
    try {
      const mod = (await import(url.href)) as { main?: () => Promise<void> };
      if (typeof mod.main !== 'function') {
        console.log(`bench/${name}: exports no main(), skipped`);
        continue;
      }
      await mod.main();
      console.log(`bench/${name}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    } catch (e) {
      failures++;
      console.error(`bench/${name}: FAILED: ${(e as Error).stack ?? String(e)}`);
    }
  }
  return failures;
}

const failures = await runAll();
process.exitCode = failures > 0 ? 1 : 0;
