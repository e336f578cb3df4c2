/**
 * `--report FILE.html`: the page is self-contained (nothing fetched), holds the comparisons, the per-layer and
 * per-step plots, the tolerance's reason and the tfjs-vs-Keras notes, and renders in a real browser: Debian's
 * chromium driven by playwright-core, which loads it from disk, finds the plots and takes a screenshot.
 * Without chromium the browser test is skipped, unless RNN_PARITY_REQUIRE_BROWSER=1 (.ci/run sets it and
 * installs chromium), where a missing browser fails.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/run-cli';

const MODELS = path.join(__dirname, '..', '..', 'models', 'keras-models');
const CHROMIUM = process.env.RNN_PARITY_CHROMIUM ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
const REQUIRED = process.env.RNN_PARITY_REQUIRE_BROWSER === '1';

let dir: string;
let page: string;
let html: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-parity-report-'));
  page = path.join(dir, 'report.html');
  const case_ = path.join(MODELS, 'text-masked-bidirectional');
  const run = await runCli([
    '--model',
    path.join(case_, 'model.keras'),
    '--input',
    path.join(case_, 'input.npy'),
    '--expect',
    path.join(case_, 'expected.npy'),
    '--backend',
    'cpu',
    '--report',
    page,
  ]);
  expect(run.exitCode).toBe(0);
  expect(run.stderr).toContain(`rnn-parity: wrote the report to ${page}\n`);
  html = fs.readFileSync(page, 'utf8');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the page holds the comparisons, both plots, the tolerance reason and the notes, and fetches nothing', () => {
  expect(html).toMatch(/^<!DOCTYPE html>/);
  expect(html).toContain('<span class="PASS">PASS</span>');
  for (const name of ['layer vs hand', 'hand vs Keras', 'layer vs Keras']) expect(html).toContain(`<td>${name}</td>`);
  expect(html.match(/<svg class="plot per-layer"/g)).toHaveLength(1);
  expect(html.match(/<svg class="plot per-step"/g)).toHaveLength(1);
  expect(html).toContain('the default for K = ');
  // The masked Bidirectional's known difference (Keras zeros padded steps; tfjs repeats the last output).
  expect(html).toMatch(/zero_output_for_mask|ZeroMaskedSteps|padded steps/);
  // Self-contained: no script, no stylesheet or image from elsewhere (the SVG namespace is not a fetch).
  expect(html).not.toMatch(/<script|<link|<img|src=|url\(/i);
  expect(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '')).not.toMatch(/https?:\/\//);
});

(CHROMIUM || REQUIRED ? test : test.skip)('chromium renders it from disk: the plots are there and drawn, a screenshot is taken', async () => {
  if (!CHROMIUM) throw new Error('chromium not found (apt-get install chromium, or set RNN_PARITY_CHROMIUM), and RNN_PARITY_REQUIRE_BROWSER=1');
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const tab = await browser.newPage({ viewport: { width: 1024, height: 900 } });
    const requests: string[] = [];
    tab.on('request', (request) => requests.push(request.url()));
    await tab.goto(`file://${page}`);
    expect(await tab.title()).toMatch(/^rnn-parity PASS: /);
    const plots = await tab.locator('svg.plot').all();
    expect(plots).toHaveLength(2);
    for (const plot of plots) {
      const box = await plot.boundingBox();
      expect(box?.width).toBeGreaterThan(600);
      expect(box?.height).toBeGreaterThan(200);
    }
    // One bar per layer, drawn with a height; the per-step plot has its lines.
    expect(await tab.locator('svg.per-layer rect').count()).toBeGreaterThanOrEqual(3);
    expect(await tab.locator('svg.per-step polyline').count()).toBeGreaterThanOrEqual(1);
    const shot = path.join(dir, 'report.png');
    await tab.screenshot({ path: shot, fullPage: true });
    expect(fs.readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
    expect(fs.statSync(shot).size).toBeGreaterThan(20000);
    expect(requests.every((url) => url.startsWith('file://'))).toBe(true);
  } finally {
    await browser.close();
  }
});
