// Statistics and number formatting for the benchmark. Pure functions only:
// nothing here times anything or touches the addon.

/** Sorted copy of `samples` (numbers). */
function sorted(samples) {
  return Float64Array.from(samples).sort();
}

/**
 * The `p`-th percentile (0..100) by the nearest-rank method: the smallest
 * sample with at least p% of the samples at or below it. With fewer than 100
 * samples p99 is the maximum, which is what a reader should expect from "p99
 * of 12 runs".
 */
export function percentile(samples, p) {
  if (samples.length === 0) return NaN;
  const s = sorted(samples);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[Math.min(rank, s.length) - 1];
}

/** The median (mean of the two middle samples for an even count). */
export function median(samples) {
  if (samples.length === 0) return NaN;
  const s = sorted(samples);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** `{ n, median, p99, min, max, mean }` of timings in ms. */
export function summarize(samples) {
  const n = samples.length;
  if (n === 0) return { n: 0, median: NaN, p99: NaN, min: NaN, max: NaN, mean: NaN };
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const x of samples) {
    sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return { n, median: median(samples), p99: percentile(samples, 99), min, max, mean: sum / n };
}

/** Milliseconds with about three significant digits ("0.412", "37.1", "36 812"). */
export function fmtMs(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  if (ms >= 10_000) return groupThousands(Math.round(ms));
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  if (ms >= 1) return ms.toFixed(2);
  return ms.toFixed(3);
}

/** A speed ratio: "1.0×", "12.3×", "4 210×". */
export function fmtRatio(ratio) {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  if (ratio >= 1000) return `${groupThousands(Math.round(ratio))}×`;
  if (ratio >= 100) return `${ratio.toFixed(0)}×`;
  if (ratio >= 10) return `${ratio.toFixed(1)}×`;
  return `${ratio.toFixed(2)}×`;
}

/** Mebibytes from bytes, one decimal. */
export function fmtMiB(bytes) {
  if (bytes === null || bytes === undefined || Number.isNaN(bytes)) return '—';
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function groupThousands(n) {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

/**
 * Renders rows (arrays of cells) as an aligned text table, or as a Markdown
 * table when `markdown` is set. The first row is the header.
 */
export function table(rows, { markdown = false, alignRightFrom = 1 } = {}) {
  if (markdown) {
    const [head, ...body] = rows;
    const sep = head.map((_, i) => (i >= alignRightFrom ? '---:' : '---'));
    return [head, sep, ...body].map((r) => `| ${r.join(' | ')} |`).join('\n');
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => {
          const text = String(cell ?? '');
          return i >= alignRightFrom ? text.padStart(widths[i]) : text.padEnd(widths[i]);
        })
        .join('  '),
    )
    .join('\n');
}
