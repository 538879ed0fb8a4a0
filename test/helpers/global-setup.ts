/**
 * vitest globalSetup: compile dist/ once before the tests that spawn the compiled CLI (register
 * in vitest.config.ts as `globalSetup: ['test/helpers/global-setup.ts']`).
 */
import { ensureDist } from './build-dist.js';

export default function setup(): void {
  ensureDist();
}
