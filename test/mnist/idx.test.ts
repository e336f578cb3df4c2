/** IDX parsing: good files built here byte by byte, and every malformation a FileFormatError naming it. */
import { FileFormatError } from '../../src/errors';
import { encodeIdx, parseIdx, parseIdxImages, parseIdxLabels } from '../../apps/mnist/idx';

/** Two 2x3 "images", pixel k = 10*k, as LeCun's format lays them out. */
function imageFile(): Uint8Array {
  return Uint8Array.from([
    0x00,
    0x00,
    0x08,
    0x03, // magic 0x00000803: unsigned bytes, 3 dimensions
    0x00,
    0x00,
    0x00,
    0x02, // 2 images
    0x00,
    0x00,
    0x00,
    0x02, // 2 rows
    0x00,
    0x00,
    0x00,
    0x03, // 3 columns
    0,
    10,
    20,
    30,
    40,
    50,
    60,
    70,
    80,
    90,
    100,
    110,
  ]);
}

function labelFile(labels: number[]): Uint8Array {
  return Uint8Array.from([0x00, 0x00, 0x08, 0x01, 0x00, 0x00, 0x00, labels.length, ...labels]);
}

function expectFormatError(action: () => unknown, message: string): void {
  expect(action).toThrow(FileFormatError);
  expect(action).toThrow(message);
}

test('an image file parses to its dimensions and pixels, big-endian sizes included', () => {
  const images = parseIdxImages(imageFile(), 'tiny-images');
  expect([images.count, images.rows, images.cols]).toEqual([2, 2, 3]);
  expect(Array.from(images.pixels)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110]);
  const big = parseIdx(encodeIdx([1, 256, 2], new Uint8Array(512)), 'big');
  expect(big.shape).toEqual([1, 256, 2]); // 256 = bytes 00 00 01 00: big-endian, not little
});

test('a label file parses to its labels', () => {
  expect(Array.from(parseIdxLabels(labelFile([7, 2, 1, 0, 9]), 'tiny-labels'))).toEqual([7, 2, 1, 0, 9]);
});

test('encodeIdx is parseIdx inverted', () => {
  expect(Buffer.from(encodeIdx([2, 2, 3], parseIdx(imageFile(), 'x').data))).toEqual(Buffer.from(imageFile()));
});

test('malformed files are FileFormatErrors that name the file and what was wrong', () => {
  expectFormatError(() => parseIdx(new Uint8Array([0, 0, 8]), 'short'), 'short: expected an IDX header of at least 4 bytes, got 3 bytes');
  const gzip = imageFile();
  gzip.set([0x1f, 0x8b], 0); // a .gz file handed over unpacked
  expectFormatError(() => parseIdx(gzip, 'train.gz'), 'train.gz: expected an IDX magic number starting with two zero bytes, got 0x1f8b0803');
  const floats = imageFile();
  floats[2] = 0x0d;
  expectFormatError(() => parseIdx(floats, 'floats'), 'floats: expected IDX element type 0x08 (unsigned byte), got 0x0d (magic 0x00000d03)');
  expectFormatError(() => parseIdx(new Uint8Array([0, 0, 8, 0]), 'rank0'), 'rank0: expected at least 1 IDX dimension, got 0');
  expectFormatError(() => parseIdx(imageFile().subarray(0, 10), 'cut-header'), 'cut-header: expected a 16-byte IDX header for 3 dimensions, got 10 bytes');
  expectFormatError(() => parseIdx(imageFile().subarray(0, 27), 'truncated'), 'truncated: expected 28 bytes (16-byte header + [2,2,3] elements), got 27');
  const long = new Uint8Array(29);
  long.set(imageFile());
  expectFormatError(() => parseIdx(long, 'trailing'), 'trailing: expected 28 bytes (16-byte header + [2,2,3] elements), got 29');
});

test('an image file where labels are expected, and the reverse, are refused by dimension count', () => {
  expectFormatError(
    () => parseIdxLabels(imageFile(), 'images-as-labels'),
    'images-as-labels: expected an IDX label file (magic 0x00000801, 1 dimension), got 3 dimensions [2,2,3]',
  );
  expectFormatError(
    () => parseIdxImages(labelFile([1]), 'labels-as-images'),
    'labels-as-images: expected an IDX image file (magic 0x00000803, 3 dimensions), got 1 dimensions [1]',
  );
});

test('a label outside 0-9 is refused with its index', () => {
  expectFormatError(() => parseIdxLabels(labelFile([3, 10, 4]), 'labels'), 'labels: expected labels 0 to 9, got 10 at index 1');
});
