/**
 * The playground (site/), built by `npm run site`'s builder into a temporary folder, served
 * statically and driven in headless Chromium: it loads, its numbers are the library's, the
 * controls change the plots, a finite rank gives zero constructive error once m_h ≥ rank, and
 * training in the Web Worker runs with a falling loss. Saves a screenshot to
 * test/.artifacts/playground.png for a person to look at.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSite } from '../../site/build.mjs';
import { MHS, boundCurves, constructiveL1, spectrumOf, type TargetChoice } from '../../site/src/model.js';
import { serveStatic, withChromium } from './chromium.js';

const ROOT = join(import.meta.dirname, '..', '..');
const out = mkdtempSync(join(tmpdir(), 'seqrate-site-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

interface State {
  target: TargetChoice;
  renders: number;
  spectrum: { prescribed: number[]; numeric: number[] } | null;
  bounds: Record<string, number[]> | null;
  l1: { mean: number[]; lo: number[]; hi: number[] } | null;
  losses: number[];
  training: string;
  liveDraws: number;
  message: string;
}
const read = (page: Page): Promise<State> =>
  page.evaluate(() => (globalThis as unknown as { playground: State }).playground);
const relClose = (a: number[], b: number[], rtol: number): boolean =>
  a.length === b.length && a.every((v, i) => Math.abs(v - b[i]!) <= rtol * Math.max(Math.abs(b[i]!), 1e-300));

async function setControl(page: Page, id: string, value: string): Promise<void> {
  const before = (await read(page)).renders;
  await page.$eval(
    `#${id}`,
    (el, v) => {
      (el as unknown as { value: string }).value = v;
      (el as unknown as { dispatchEvent(e: Event): void }).dispatchEvent(new Event('input', { bubbles: true }));
    },
    value,
  );
  await page.waitForFunction((n) => (globalThis as unknown as { playground: State }).playground.renders > n, before);
}

describe('playground in headless Chromium', () => {
  it('loads, the controls change the plots, training runs and the loss falls', async () => {
    await buildSite(out);
    const { url, server } = await serveStatic(out);
    try {
      await withChromium(async (ctx) => {
        const page = await ctx.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(url);
        await page.waitForFunction(() => (globalThis as unknown as { playground?: State }).playground?.renders === 1);
        const s0 = await read(page);
        // the page's numbers are the library's (same code in Node; last-bit differences of Math.pow allowed)
        expect(relClose(s0.bounds!.proof!, boundCurves(s0.target).proof!, 1e-12)).toBe(true);
        expect(relClose(s0.bounds!.printed!, boundCurves(s0.target).printed!, 1e-12)).toBe(true);
        expect(relClose(s0.bounds!.corrected!, boundCurves(s0.target).corrected!, 1e-12)).toBe(true);
        expect(relClose(s0.l1!.mean, constructiveL1(s0.target).mean, 1e-9)).toBe(true);
        // what the plot shows: the corrected bound lies above the measured error's upper 95% limit
        s0.bounds!.corrected!.forEach((b, i) => expect(b).toBeGreaterThanOrEqual(s0.l1!.hi[i]!));
        const svg0 = await page.$eval('#spectrum-plot', (e) => e.innerHTML);
        expect(svg0).toMatch(/<svg/);

        await setControl(page, 'alpha', '2.5');
        const s1 = await read(page);
        expect(s1.target.alpha).toBe(2.5);
        expect(relClose(s1.spectrum!.prescribed, Array.from(spectrumOf(s1.target).subarray(0, 16)), 1e-12)).toBe(true);
        expect(relClose(s1.spectrum!.numeric.slice(0, 4), s1.spectrum!.prescribed.slice(0, 4), 1e-6)).toBe(true);
        expect(await page.$eval('#spectrum-plot', (e) => e.innerHTML)).not.toBe(svg0);
        expect(s1.bounds!.proof![0]!).toBeLessThan(s0.bounds!.proof![0]!); // faster decay, smaller tail

        const boundSvg = await page.$eval('#bound-plot', (e) => e.innerHTML);
        await setControl(page, 'rank', '2');
        const s2 = await read(page);
        expect(await page.$eval('#bound-plot', (e) => e.innerHTML)).not.toBe(boundSvg);
        const at = (mh: number): number => MHS.indexOf(mh);
        expect(s2.l1!.mean[at(1)]!).toBeGreaterThan(1e-3);
        expect(s2.l1!.mean[at(2)]!).toBeLessThan(1e-12 * s2.l1!.mean[at(1)]!); // exact once m_h ≥ rank
        expect(s2.bounds!.proof![at(2)]).toBe(0);
        await setControl(page, 'rank', '0');

        await page.fill('#train-steps', '200');
        await page.click('#train');
        await page.waitForFunction(
          () => (globalThis as unknown as { playground: State }).playground.training !== 'running',
          null,
          { timeout: 90_000 },
        );
        const s3 = await read(page);
        expect(s3.liveDraws).toBeGreaterThanOrEqual(3); // the loss curve was redrawn while the worker trained
        expect(s3.training).toBe('done');
        expect(s3.losses).toHaveLength(200);
        const mean = (a: number[]): number => a.reduce((p, q) => p + q, 0) / a.length;
        expect(mean(s3.losses.slice(-20))).toBeLessThan(0.5 * mean(s3.losses.slice(0, 20)));
        expect(await page.$eval('#loss-plot', (e) => e.innerHTML)).toMatch(/<path/);
        expect(errors).toEqual([]);
        mkdirSync(join(ROOT, 'test', '.artifacts'), { recursive: true });
        await page.screenshot({ path: join(ROOT, 'test', '.artifacts', 'playground.png'), fullPage: true });
      });
    } finally {
      server.close();
    }
  }, 180_000);
});
