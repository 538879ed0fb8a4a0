/**
 * The browser claim, checked in a real browser: test/browser/compute.ts (linalg + models +
 * theory) bundled by esbuild for the browser platform, run in headless Chromium, and compared
 * with the same computation in Node bit for bit. The bundle build itself fails if anything in the
 * graph needs a Node module.
 */
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHROMIUM, withChromium } from './chromium.js';
import { bits, compute, mathProbe } from './compute.js';

const unbits = (hex: string): number => {
  const view = new DataView(new ArrayBuffer(8));
  for (let k = 0; k < 8; k++) view.setUint8(k, parseInt(hex.slice(2 * k, 2 * k + 2), 16));
  return view.getFloat64(0, true);
};

/** Names whose bit strings differ between two results. */
const differing = (a: Record<string, string[]>, b: Record<string, string[]>): string[] =>
  Object.keys(a).filter((k) => (b[k] ?? []).join() !== a[k]!.join());

const HERE = import.meta.dirname;

async function bundle(): Promise<string> {
  const r = await build({
    entryPoints: [join(HERE, 'compute.ts')],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    globalName: 'seqrateCompute',
    write: false,
    target: 'es2022',
    logLevel: 'silent',
  });
  return r.outputFiles[0]!.text;
}

/** Largest relative difference between two results, over the names that differ. */
function maxRelDiff(a: Record<string, string[]>, b: Record<string, string[]>): number {
  let rel = 0;
  for (const k of differing(a, b)) {
    const x = a[k]!.map(unbits),
      y = b[k]!.map(unbits);
    for (let i = 0; i < x.length; i++) rel = Math.max(rel, Math.abs(x[i]! - y[i]!) / Math.max(Math.abs(x[i]!), 1e-300));
  }
  return rel;
}

/** Results that use only IEEE-754 basic operations and sqrt (correctly rounded everywhere). */
const ALWAYS_EXACT = /^(svd\.|roundtrip\.)/;

describe('seqrate in headless Chromium', () => {
  it('Chromium is installed (.ci/setup-chromium.sh)', () => {
    expect(existsSync(CHROMIUM)).toBe(true);
  });

  it('SVD, bounds, a trained Transformer and a weights round trip agree with Node', async () => {
    const code = await bundle();
    const browser = await withChromium(async (ctx) => {
      const page = await ctx.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.setContent('<!doctype html><title>seqrate</title>');
      await page.addScriptTag({ content: code });
      const out = await page.evaluate(() => {
        type G = { seqrateCompute: { compute(): Record<string, string[]>; mathProbe(): Record<string, string[]> } };
        const g = globalThis as unknown as G & { process?: unknown; Buffer?: unknown };
        return {
          result: g.seqrateCompute.compute(),
          math: g.seqrateCompute.mathProbe(),
          hasNode: typeof g.process !== 'undefined' || typeof g.Buffer !== 'undefined',
          ua: (globalThis as unknown as { navigator: { userAgent: string } }).navigator.userAgent,
        };
      });
      expect(errors).toEqual([]);
      return out;
    });
    expect(browser.ua).toMatch(/Chrome\//);
    expect(browser.hasNode).toBe(false);
    const node = compute();
    expect(Object.keys(browser.result).sort()).toEqual(Object.keys(node).sort());
    expect(Object.keys(node).filter((k) => k.startsWith('param.')).length).toBeGreaterThan(5);
    expect(node['roundtrip.equal']).toEqual(['true']);
    expect(new Set(node['train.history']).size).toBeGreaterThan(1); // the training moved
    // Basic arithmetic and sqrt are correctly rounded in every engine: these match to the last bit.
    expect(differing(node, browser.result).filter((k) => ALWAYS_EXACT.test(k))).toEqual([]);
    // Math.exp/log/pow/sin/… are not: V8 versions differ in the last bit on some arguments. Where
    // the two engines' Math agree, everything must match to the last bit; where they do not, the
    // results that go through those functions differ by rounding only.
    const mathDiffers = differing(mathProbe(), browser.math);
    const rel = maxRelDiff(node, browser.result);
    console.info(
      `browser vs Node: Math functions differing in the last bit: [${mathDiffers.join(', ')}]; ` +
        `results differing: [${differing(node, browser.result).join(', ')}]; max relative difference ${rel.toExponential(2)}`,
    );
    if (mathDiffers.length === 0) expect(differing(node, browser.result)).toEqual([]);
    else expect(rel).toBeLessThan(1e-12);
  }, 120_000);

  it('the comparison is sharp: one ulp in one parameter is reported', () => {
    const node = compute();
    const key = Object.keys(node).find((k) => k.startsWith('param.'))!;
    const v = unbits(node[key]![0]!);
    const bumped = { ...node, [key]: [bits([v + Math.abs(v) * Number.EPSILON])[0]!, ...node[key]!.slice(1)] };
    expect(differing(node, bumped)).toEqual([key]);
    expect(maxRelDiff(node, bumped)).toBeGreaterThan(0);
    expect(differing(node, compute())).toEqual([]);
  });
});
