/**
 * vitest globalSetup: compile dist/ once before the tests that spawn the compiled CLI
 * (registered in vitest.config.ts). It never fails the whole run: if the build does not produce
 * dist/cli.js, the tests that need it (test/cli/dist.test.ts) retry the build and fail there,
 * with the reason.
 */
import { ensureDist } from './build-dist.js';

export default function setup(): void {
  try {
    ensureDist();
  } catch (e) {
    console.warn(`global-setup: ${(e as Error).message}; test/cli/dist.test.ts will retry and report`);
  }
}
