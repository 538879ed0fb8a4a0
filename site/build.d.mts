/** Builds the playground into `outdir` (default site/dist); resolves with output file sizes in bytes. */
export function buildSite(outdir?: string): Promise<Record<string, number>>;
