/**
 * What the project's hand-written SVG pictures share (no dependency; plain text, diffable): escaping, pixel
 * rounding, round tick values. Plain TypeScript, no tfjs.
 */

/** Escapes text for SVG content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Rounds a coordinate to 0.1 px, enough for any screen and far shorter than 17 digits. */
export function px(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/**
 * About `count` evenly spaced round tick values covering [min, max] (steps of 1, 2 or 5 x 10^k).
 * @returns ascending ticks inside [min, max]
 */
export function niceTicks(min: number, max: number, count: number): number[] {
  if (!(max > min)) return [min];
  const rough = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/** The smallest multiple of niceTicks' step that is >= max, for an axis that ends on a tick. */
export function niceUpperBound(max: number, count = 5): number {
  const ticks = niceTicks(0, max, count);
  if (ticks.length < 2) return max;
  const step = ticks[1] - ticks[0];
  return Number((Math.ceil(max / step - 1e-9) * step).toPrecision(12));
}
