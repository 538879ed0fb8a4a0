/**
 * Deterministic number formatting for reports and figures.
 *
 * Everything the report prints goes through these functions so that the same numbers always give
 * byte-identical markdown and SVG (no locale, no `toLocaleString`, `-0` printed as `0`).
 */

/**
 * Formats a number with `digits` significant digits: plain notation for magnitudes in
 * [1e-3, 1e5), otherwise `1.23e-7`. Non-finite values print as `NaN`, `inf`, `-inf`.
 * @example fmtNum(0.000123456) === '1.23e-4'; fmtNum(12.5) === '12.5'
 */
export function fmtNum(x: number, digits = 3): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e5) {
    const p = x.toPrecision(digits);
    if (!p.includes('e')) return stripZeros(p); // rounding can carry into exponent form (99999.5 → 1.00e+5)
  }
  return fmtSci(x, digits);
}

/**
 * Scientific notation with `digits` significant digits and no `+` or leading zeros in the
 * exponent: `fmtSci(3.57e-2) === '3.57e-2'`.
 */
export function fmtSci(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return fmtNum(x);
  if (x === 0) return '0';
  const s = x.toExponential(Math.max(0, digits - 1));
  const [mant, exp] = s.split('e') as [string, string];
  const e = Number(exp);
  return `${stripZeros(mant)}e${e}`;
}

/**
 * Fixed-point coordinate for SVG output: at most `decimals` decimals, trailing zeros removed,
 * never `-0`. @example fmtCoord(12.3456) === '12.35'
 */
export function fmtCoord(x: number, decimals = 2): string {
  if (!Number.isFinite(x)) throw new RangeError(`fmtCoord: non-finite coordinate ${x}`);
  const s = stripZeros(x.toFixed(decimals));
  return s === '-0' ? '0' : s;
}

/**
 * Seconds as `3.2 s` (below 10 s), `42 s`, `2 min 05 s`, `1 h 02 min 05 s`: rounded once, to a
 * tenth below 10 s and to the second above, so a carry never prints `60 s` or `1 min 60 s`
 * (`fmtSeconds(59.6) === '1 min 00 s'`). For human-readable timing lines only.
 */
export function fmtSeconds(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '?';
  const tenths = Math.round(s * 10);
  if (tenths < 100) return `${(tenths / 10).toFixed(1)} s`;
  const r = Math.round(s);
  if (r < 60) return `${r} s`;
  const sec = (r % 60).toString().padStart(2, '0');
  if (r < 3600) return `${Math.floor(r / 60)} min ${sec} s`;
  return `${Math.floor(r / 3600)} h ${(Math.floor(r / 60) % 60).toString().padStart(2, '0')} min ${sec} s`;
}

/**
 * A spread `lo – hi` through fmtNum, or one value when both print the same (one seed, or every
 * seed equal): `fmtRange(0.00156, 0.00156) === '0.00156'`.
 */
export function fmtRange(lo: number, hi: number, digits = 3): string {
  const a = fmtNum(lo, digits),
    b = fmtNum(hi, digits);
  return a === b ? a : `${a} – ${b}`;
}

/** `a ± b` with the same number of significant digits as fmtNum. */
export function fmtPm(value: number, halfWidth: number, digits = 3): string {
  return `${fmtNum(value, digits)} ± ${fmtNum(halfWidth, 2)}`;
}

/** Removes trailing zeros of a decimal mantissa: '1.500' → '1.5', '2.000' → '2'. */
function stripZeros(s: string): string {
  if (!s.includes('.')) return s;
  const m = /^(-?\d+)\.(\d*?)0*$/.exec(s);
  if (m === null) return s;
  const [, int, frac] = m as unknown as [string, string, string];
  return frac.length > 0 ? `${int}.${frac}` : int;
}

/** Escapes text for XML/SVG/HTML content and attributes. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Escapes a markdown table cell (pipes and newlines). */
export function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
