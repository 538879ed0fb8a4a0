/**
 * Progress on stderr: a redrawn bar with ETA on a TTY, plain one-line messages otherwise (logs,
 * CI, pipes). The ETA is elapsed × remaining / done, points being roughly comparable in cost.
 */
import { fmtSeconds } from './format.js';

/** Where progress goes (process.stderr or a test double). */
export interface ProgressSink { write(s: string): unknown; isTTY?: boolean }

/** A progress display. */
export interface ProgressDisplay {
  /** `work`/`totalWork` (optional) weigh points by cost for the ETA. */
  update(p: { done: number; total: number; label: string; work?: number; totalWork?: number }): void;
  /** A line of text that does not disturb the bar. */
  log(line: string): void;
  /** Clears the bar (TTY) before final output. */
  finish(): void;
}

/**
 * Creates a progress display writing to `sink`; `now` (seconds) is injectable for tests.
 * @example const p = createProgress(process.stderr); p.update({ done: 1, total: 4, label: 'mh=1' })
 */
export function createProgress(sink: ProgressSink, now: () => number = () => performance.now() / 1000): ProgressDisplay {
  const t0 = now();
  const tty = sink.isTTY === true;
  let barShown = false;
  const clear = (): void => { if (barShown) { sink.write('\r\x1b[K'); barShown = false; } };
  return {
    update({ done, total, label, work, totalWork }) {
      const el = now() - t0;
      const [w, W] = work !== undefined && totalWork !== undefined && totalWork > 0 ? [work, totalWork] : [done, total];
      const eta = done > 0 && done < total && w > 0 ? ` ETA ${fmtSeconds((el * (W - w)) / w)}` : '';
      if (tty) {
        const w = 24, fill = total > 0 ? Math.round((w * done) / total) : w;
        sink.write(`\r\x1b[K[${'#'.repeat(fill)}${'.'.repeat(w - fill)}] ${done}/${total}${eta}  ${label}`);
        barShown = true;
      } else {
        sink.write(`[${done}/${total}] ${label} (elapsed ${fmtSeconds(el)}${eta === '' ? '' : `,${eta}`})\n`);
      }
    },
    log(line) {
      clear();
      sink.write(`${line}\n`);
    },
    finish() { clear(); },
  };
}
