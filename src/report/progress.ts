/**
 * Progress on stderr: a redrawn bar with ETA on a TTY; off a terminal (logs, CI, pipes) at most
 * one line each time an experiment finishes plus one line every ~10 % of the points. The ETA is
 * elapsed × remaining / done, weighted by the points' cost hints when given.
 */
import { fmtSeconds } from './format.js';

/** Where progress goes (process.stderr or a test double). */
export interface ProgressSink {
  write(s: string): unknown;
  isTTY?: boolean;
}

/** One progress update; `group` names the experiment, `groupDone`/`groupTotal` count its points. */
export interface ProgressUpdate {
  done: number;
  total: number;
  label: string;
  /** `work`/`totalWork` (optional) weigh points by cost for the ETA. */
  work?: number;
  totalWork?: number;
  group?: string;
  groupDone?: number;
  groupTotal?: number;
}

/** A progress display. */
export interface ProgressDisplay {
  update(p: ProgressUpdate): void;
  /** A line of text that does not disturb the bar. */
  log(line: string): void;
  /** Clears the bar (TTY) before final output. */
  finish(): void;
  /** Clears the bar and ignores every later update and log (after an interrupt). */
  stop(): void;
}

/** Writes to the sink, ignoring a sink that has gone away (a closed terminal after SIGHUP). */
function safeWrite(sink: ProgressSink, s: string): void {
  try {
    sink.write(s);
  } catch {
    /* nothing useful to do */
  }
}

/**
 * Creates a progress display writing to `sink`; `now` (seconds) is injectable for tests.
 * @example const p = createProgress(process.stderr); p.update({ done: 1, total: 4, label: 'mh=1' })
 */
export function createProgress(
  sink: ProgressSink,
  now: () => number = () => performance.now() / 1000,
): ProgressDisplay {
  const t0 = now();
  const tty = sink.isTTY === true;
  let barShown = false,
    stopped = false,
    lastTenth = 0;
  const clear = (): void => {
    if (barShown) {
      safeWrite(sink, '\r\x1b[K');
      barShown = false;
    }
  };
  return {
    update({ done, total, label, work, totalWork, group, groupDone, groupTotal }) {
      if (stopped) return;
      const el = now() - t0;
      const [w, W] = work !== undefined && totalWork !== undefined && totalWork > 0 ? [work, totalWork] : [done, total];
      const eta = done > 0 && done < total && w > 0 ? ` ETA ${fmtSeconds((el * (W - w)) / w)}` : '';
      if (tty) {
        const width = 24,
          fill = total > 0 ? Math.round((width * done) / total) : width;
        safeWrite(sink, `\r\x1b[K[${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${done}/${total}${eta}  ${label}`);
        barShown = true;
        return;
      }
      const tenth = total > 0 ? Math.floor((10 * done) / total) : 10;
      const finished = group !== undefined && groupDone !== undefined && groupDone === groupTotal;
      if (tenth <= lastTenth && !finished) return;
      lastTenth = Math.max(lastTenth, tenth);
      const what = finished ? `${group} finished (${groupTotal} point(s))` : label;
      safeWrite(sink, `[${done}/${total}] ${what} (elapsed ${fmtSeconds(el)}${eta === '' ? '' : `,${eta}`})\n`);
    },
    log(line) {
      if (stopped) return;
      clear();
      safeWrite(sink, `${line}\n`);
    },
    finish() {
      clear();
    },
    stop() {
      clear();
      stopped = true;
    },
  };
}
