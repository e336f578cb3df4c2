/** The drift chart (src/training/drift-svg.ts): self-contained SVG, log drift axis, both losses, escaped text. */
import { driftChartSvg } from '../../src/training/drift-svg';

const input = {
  title: 'a <model> & more',
  subtitle: 'adam (keras form)',
  drift: [6e-8, 1.2e-7, 2e-7, 2.4e-7],
  tolerance: [2e-6, 4e-6, 6e-6, 8e-6],
  loss: { hand: [1, 0.9, 0.8, 0.75, 0.7], layer: [1, 0.9, 0.8, 0.75, 0.7] },
};

test('one svg element with both panels and escaped text', () => {
  const svg = driftChartSvg(input);
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="760" height="560"')).toBe(true);
  expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  expect(svg).toContain('a &lt;model&gt; &amp; more');
  expect(svg).not.toContain('<model>');
  // drift, tolerance, hand loss, layer loss
  expect(svg.match(/<polyline /g)).toHaveLength(4);
  // decades of the log axis around the values (1e-8 .. 1e-5)
  for (const d of ['1e-8', '1e-7', '1e-6', '1e-5']) expect(svg).toContain(`>${d}</text>`);
  expect(svg).not.toMatch(/NaN|Infinity/);
});

test('zeros, NaN and a single step still draw (clamped to the axis)', () => {
  const svg = driftChartSvg({ ...input, drift: [0], tolerance: [1e-6], loss: { hand: [2, Number.NaN], layer: [2, 2] } });
  expect(svg).not.toMatch(/NaN|Infinity/);
  expect(svg.match(/<polyline /g)).toHaveLength(4);
});
