/** The progress bar's lines (in place on a TTY, periodic otherwise) and the hand-written SVG helpers. */
import { formatDuration, formatProgressLine, ProgressBar } from '../../apps/mnist/progress';
import { digitGridSvg, gapChartSvg, movingAverage, trainingChartSvg } from '../../apps/mnist/svg';
import { escapeXml, niceTicks, niceUpperBound } from '../../src/plot/svg';
import type { TrainStep } from '../../apps/mnist/train';

/** Step s of `steps` at 100 ms per step, batches of 128, loss 1/s, accuracy 0.5. */
function step(s: number, steps: number): TrainStep {
  return { step: s, steps, batchSize: 128, samplesSeen: 128 * s, totalSamples: 128 * steps, epoch: 1, loss: 1 / s, accuracy: 0.5, elapsedMs: 100 * s };
}

test('a progress line: bar, count, percent, mean loss and accuracy, samples/s, ETA', () => {
  const history = [step(1, 40), step(2, 40)];
  // 256 samples in 0.2 s = 1280 samples/s; 38 steps * 128 left / 1280 = 3.8 s -> 0:04; loss mean (1 + 0.5)/2
  // 30-character bar: round(30 * 2/40) = 2 filled
  expect(formatProgressLine(history)).toBe(`[##${'.'.repeat(28)}]  2/40   5%  loss 0.7500  acc 50.0%  1280 samples/s  ETA 0:04`);
});

test('not a TTY: a line at step 1, every 5% and at the end; a TTY: \\r redraws and a final newline', () => {
  const lines: string[] = [];
  const bar = new ProgressBar((t) => lines.push(t), false, 40);
  for (let s = 1; s <= 40; s++) bar.update(step(s, 40));
  expect(lines.map((l) => Number(/ (\d+)\/40/.exec(l)![1]))).toEqual([1, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38, 40]);
  expect(lines.every((l) => l.endsWith('\n') && !l.includes('\r'))).toBe(true);
  expect(lines[lines.length - 1]).toMatch(/ done\n$/);

  const drawn: string[] = [];
  const tty = new ProgressBar((t) => drawn.push(t), true, 3);
  for (let s = 1; s <= 3; s++) tty.update(step(s, 3));
  expect(drawn[0].startsWith('\r[')).toBe(true);
  // eslint-disable-next-line no-control-regex -- the terminal's erase-to-end-of-line escape (ESC [K) is what is tested
  expect(drawn[drawn.length - 1]).toMatch(/^\r\[#+\] 3\/3 100% .* done\x1b\[K\n$/);
  expect(drawn.slice(0, -1).every((t) => !t.endsWith('\n'))).toBe(true);
});

test('durations', () => {
  expect([formatDuration(0), formatDuration(59_600), formatDuration(754_000), formatDuration(3_725_000), formatDuration(NaN)]).toEqual([
    '0:00',
    '1:00',
    '12:34',
    '1:02:05',
    '?',
  ]);
});

test('axis helpers: round ticks, an upper bound on a tick, a moving average', () => {
  expect(niceTicks(0, 781, 8)).toEqual([0, 100, 200, 300, 400, 500, 600, 700]);
  expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  expect(niceUpperBound(2.37)).toBe(2.5);
  expect(movingAverage([1, 2, 3, 4], 2)).toEqual([1, 1.5, 2.5, 3.5]);
  expect(escapeXml('a<b & "c">')).toBe('a&lt;b &amp; &quot;c&quot;&gt;');
});

test('the training chart has both panels, its labels and the test line; the digit grid one square per inked pixel', () => {
  const svg = trainingChartSvg({
    title: 'T <1>',
    details: 'seed 7',
    loss: [2.3, 1.2, 0.4],
    accuracy: [0.1, 0.6, 0.9],
    testAccuracy: { accuracy: 0.95, label: 'test 95%' },
  });
  expect(svg).toContain('T &lt;1&gt;');
  expect(svg).toContain('>seed 7; faint: each batch; bold: mean of the last 50 steps<');
  expect(svg).toContain('loss (softmax cross-entropy)');
  expect(svg).toContain('>accuracy<');
  expect(svg).toContain('training step (batch)');
  expect(svg).toContain('test 95%');
  expect(svg.match(/<polyline/g)).toHaveLength(4);

  const pixels = new Uint8Array(28 * 28);
  pixels[0] = 255;
  pixels[29] = 128;
  const grid = digitGridSvg('wrong', [{ pixels, caption: ['true 4, predicted 9', 'test image #247'] }]);
  expect(grid.match(/<path /g)).toHaveLength(2);
  expect(grid).toContain('<path fill="#7f7f7f" d="M1 1h1v1h-1z"/>'); // 255 - 128 = 127
  expect(grid).toContain('<path fill="#000000" d="M0 0h1v1h-1z"/>');
  expect(grid).toContain('transform="scale(4)"');
  expect(grid).toContain('true 4, predicted 9');
});

test('the gap chart: one decade per grid line from the floor up, zeros on the floor, two lines per series and a legend', () => {
  const svg = gapChartSvg({
    title: 'gap <A>',
    subtitle: 'sub',
    yLabel: '|loss difference|',
    series: [
      { label: 'keras form', color: '#1f77b4', values: [0, 1e-8, 3e-7] },
      { label: 'tfjs form', color: '#d62728', values: [0, 2e-4, 5e-3] },
    ],
  });
  expect(svg).toContain('gap &lt;A&gt;');
  // floor 1e-9 (the default) to the decade above 5e-3: 1e-9 .. 1e-2
  expect(svg.match(/>≤?1e-\d</g)).toEqual(['>≤1e-9<', '>1e-8<', '>1e-7<', '>1e-6<', '>1e-5<', '>1e-4<', '>1e-3<', '>1e-2<']);
  expect(svg.match(/<polyline/g)).toHaveLength(4);
  expect(svg).toContain('>keras form<');
  expect(svg).toContain('>tfjs form<');
  // Panel: top 96, height 280, so the floor is y = 376, where step 1's zero gap sits (x = 90 + 780 * 1/3).
  expect(svg).toContain('points="350,376 ');
  expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
});
