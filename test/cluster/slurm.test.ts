/**
 * Against a real Slurm (one-node cluster of .ci/setup-slurm.sh; .ci/run starts it and exports
 * SLURM_CONF, otherwise this file starts and stops its own): plan the tiny preset, submit the job
 * array with sbatch, cancel one array task mid-run (scancel JOB_INDEX), show that it left no
 * partial file and that resubmitting with --resume completes the sweep, merge, and compare with a
 * local `seqrate reproduce --tiny`: identical results.json numbers.
 *
 * Skipped, with a message, only where Slurm cannot be installed (no sbatch and no apt-get, or no
 * root/sudo to run the daemons).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDist, ROOT } from '../helpers/build-dist.js';
import { readPlan } from '../../src/cluster/plan.js';
import { decodeJson } from '../../src/cluster/points.js';
import { cli, numbersOf, tempDirs, waitFor } from './helpers.js';

const temps = tempDirs();
const tempDir = temps.make;
afterAll(temps.removeAll);

const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const privileged = process.getuid?.() === 0 || spawnSync('sudo', ['-n', 'true']).status === 0;
const installable = (has('sbatch') || has('apt-get')) && privileged;
if (!installable) {
  console.warn(
    'test/cluster/slurm.test.ts SKIPPED: Slurm cannot be installed here ' +
      `(sbatch ${has('sbatch') ? 'present' : 'missing'}, apt-get ${has('apt-get') ? 'present' : 'missing'}, ` +
      `root/sudo ${privileged ? 'yes' : 'no'})`,
  );
}

let env: NodeJS.ProcessEnv = process.env;
let ownCluster: string | undefined;

/** Runs a Slurm client command with the cluster's SLURM_CONF. */
function slurm(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { env, encoding: 'utf8' });
}

/** Array tasks of `job` still in the queue. */
/** The point files of a points folder: `NAME.json`, not a killed writer's hidden temp file. */
const pointFiles = (pts: string): string[] => readdirSync(pts).filter((f) => !f.startsWith('.') && f.endsWith('.json'));

const queued = (job: string): string[] =>
  slurm('squeue', ['-h', '-r', '-j', job, '-o', '%i %T'])
    .split('\n')
    .filter((l) => l.trim() !== '');

describe.skipIf(!installable)('Slurm job array (real sbatch)', () => {
  beforeAll(() => {
    ensureDist();
    const conf = process.env.SLURM_CONF;
    if (conf === undefined || !existsSync(conf) || spawnSync('sinfo', ['-h'], { env: process.env }).status !== 0) {
      ownCluster = tempDir('seqrate-slurm-');
      execFileSync(join(ROOT, '.ci', 'setup-slurm.sh'), ['start', ownCluster], { stdio: 'inherit' });
      env = { ...process.env, SLURM_CONF: join(ownCluster, 'slurm.conf') };
    }
  }, 300_000);
  afterAll(() => {
    if (ownCluster !== undefined)
      execFileSync(join(ROOT, '.ci', 'setup-slurm.sh'), ['stop', ownCluster], { stdio: 'inherit' });
  });

  it('runs the tiny preset as a job array; a cancelled task resumes; merge equals reproduce --tiny', async () => {
    const t0 = performance.now();
    const d = tempDir('seqrate-sbatch-');
    const dir = join(d, 'plan');
    expect(
      (await cli(['plan', '--preset', 'tiny', '--task-seconds', '2', '--array-throttle', '4', '--out', dir])).code,
    ).toBe(0);
    const plan = readPlan(dir);
    const victim = plan.tasks.reduce((a, b) => (b.points.length > a.points.length ? b : a)); // the longest task
    expect(victim.points.length).toBeGreaterThan(3);
    const job = slurm('sbatch', ['--parsable', join(dir, 'job.sbatch')])
      .trim()
      .split(';')[0]!;
    const pts = join(dir, 'points');
    const victimFiles = new Set(victim.points.map((i) => `${plan.points[i]!.file}.json`));
    const victimDone = (): number => pointFiles(pts).filter((f) => victimFiles.has(f)).length;
    // cancel the victim once it is running and has finished its first point
    await waitFor(() => victimDone() > 0, 120_000, `task ${victim.index} to finish a point`);
    slurm('scancel', [`${job}_${victim.index}`]);
    await waitFor(() => queued(job).length === 0, 180_000, `job ${job} to leave the queue`);
    const doneBefore = victimDone();
    expect(doneBefore, 'the cancelled task must have been killed half way').toBeLessThan(victim.points.length);
    expect(readFileSync(join(dir, 'logs', `${job}_${victim.index}.out`), 'utf8')).toMatch(
      /CANCELLED|Terminated|signal/i,
    );
    // no partial file: every point file is complete and of this plan
    for (const f of pointFiles(pts)) {
      expect((decodeJson(readFileSync(join(pts, f), 'utf8')) as { planHash: string }).planHash).toBe(plan.hash);
    }
    const st = await cli(['plan', '--status', dir]);
    expect(st.code).toBe(1);
    expect(st.out).toContain(`incomplete tasks: ${victim.index}\n`);
    expect((await cli(['merge', dir, '--out', join(d, 'refused')])).code).toBe(1);
    // resume exactly as --status suggests
    const job2 = slurm('sbatch', ['--parsable', `--array=${victim.index}`, join(dir, 'job.sbatch'), '--resume'])
      .trim()
      .split(';')[0]!;
    await waitFor(() => queued(job2).length === 0, 180_000, `job ${job2} to leave the queue`);
    const log2 = readFileSync(join(dir, 'logs', `${job2}_${victim.index}.out`), 'utf8');
    expect(log2).toContain(`${victim.points.length - doneBefore} point(s) to run, ${doneBefore} already done`);
    expect((await cli(['plan', '--status', dir])).code).toBe(0);
    // a killed writer may leave its hidden temp file (.NAME.tmp-PID-N, listed by --status); only
    // the point files count
    const slurmIds = new Set(
      pointFiles(pts).map(
        (f) => (decodeJson(readFileSync(join(pts, f), 'utf8')) as { slurm: { jobId: string } }).slurm.jobId,
      ),
    );
    expect([...slurmIds].sort()).toEqual([job, job2].sort());
    expect((await cli(['merge', dir, '--out', join(d, 'merged')])).code).toBe(0);
    expect((await cli(['reproduce', '--tiny', '--out', join(d, 'local')])).code).toBe(0);
    expect(numbersOf(join(d, 'merged', 'results.json'))).toEqual(numbersOf(join(d, 'local', 'results.json')));
    console.log(
      `slurm.test: job ${job} (array 0-${plan.tasks.length - 1}, ${plan.points.length} points), ` +
        `cancelled task ${victim.index} ` +
        `after ${doneBefore}/${victim.points.length} points, resumed as job ${job2}; merge equals reproduce --tiny; ` +
        `${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  }, 600_000);
});
