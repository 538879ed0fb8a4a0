/**
 * vitest setup: every fast-check property that does not pass its own `seed` runs from one seed,
 * `SEQRATE_FC_SEED` (an integer; default DEFAULT_FC_SEED), so a run is reproducible and CI cannot
 * flake on a rare counterexample. A failing test prints the seed with the command that replays it;
 * other seeds explore other inputs (`SEQRATE_FC_SEED=2 npx vitest run test/linalg`).
 */
import fc from 'fast-check';
import { beforeEach } from 'vitest';

/** The seed of an ordinary run (any fixed integer: only its being fixed matters). */
export const DEFAULT_FC_SEED = 20261130;

/** The seed from `SEQRATE_FC_SEED` (unset or empty: the default); throws on anything but a 32-bit integer. */
export function fcSeedFromEnv(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return DEFAULT_FC_SEED;
  const seed = Number(raw);
  if (!Number.isInteger(seed) || seed < -(2 ** 31) || seed >= 2 ** 31)
    throw new Error(`SEQRATE_FC_SEED must be an integer in [-2^31, 2^31), got '${raw}'`);
  return seed;
}

const seed = fcSeedFromEnv(process.env.SEQRATE_FC_SEED);
fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });

beforeEach(({ task, onTestFailed }) => {
  onTestFailed(() => {
    const file = task.file?.name ?? '<this file>';
    console.error(
      `fast-check seed of this run: ${seed} (used by every property without its own seed); ` +
        `replay "${task.name}" with: SEQRATE_FC_SEED=${seed} npx vitest run ${file}`,
    );
  });
});
