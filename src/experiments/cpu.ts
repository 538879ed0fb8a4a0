/**
 * CPU time of the calling thread, for per-point and per-experiment CPU accounting: on Linux,
 * `/proc/thread-self/stat` (proc(5)) holds the thread's user and system time (fields 14 and 15)
 * in clock ticks of USER_HZ, which the kernel's /proc interface fixes at 100 per second. Node 20
 * has no per-thread CPU clock of its own (`process.cpuUsage()` counts every thread), so points
 * that run on a worker pool cannot be charged their CPU any other way. Elsewhere: `undefined`.
 */
import { readFileSync } from 'node:fs';

/** USER_HZ: the clock-tick unit of /proc's time fields. */
const TICKS_PER_SECOND = 100;

/**
 * CPU seconds (user + system) used so far by the calling thread, at 10 ms resolution, or
 * `undefined` where `/proc/thread-self/stat` cannot be read (not Linux).
 * @example const c0 = threadCpuSeconds(); work(); const used = (threadCpuSeconds() ?? NaN) - (c0 ?? NaN);
 */
export function threadCpuSeconds(): number | undefined {
  let stat: string;
  try {
    stat = readFileSync('/proc/thread-self/stat', 'utf8');
  } catch {
    return undefined;
  }
  // the command name (field 2) is in parentheses and may contain spaces: fields 3… follow the last ')'
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[14 - 3]),
    stime = Number(fields[15 - 3]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / TICKS_PER_SECOND : undefined;
}

/** Runs `fn` and returns its value with the CPU seconds the calling thread spent in it (if measurable). */
export function withThreadCpu<T>(fn: () => T): { value: T; cpuSeconds?: number } {
  const c0 = threadCpuSeconds();
  const value = fn();
  const c1 = threadCpuSeconds();
  return c0 === undefined || c1 === undefined ? { value } : { value, cpuSeconds: c1 - c0 };
}
