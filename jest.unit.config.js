/**
 * `npm run test:unit`: the tests that load no tfjs backend (pure TypeScript: the hand path, the readers,
 * the comparison, NumPy's random stream, ...), each file a second or two. Membership is this list, decided
 * by what a file loads, not where it sits; every @tensorflow/* import is mapped to test/helpers/no-tfjs.ts,
 * which throws, so a listed test that starts loading tfjs fails loudly instead of slowing the tier down.
 * `npm test` (jest.config.js) still runs everything, these included.
 * @type {import('jest').Config}
 */
const base = require('./jest.config');

const UNIT_TESTS = [
  'test/compare/compare.property.test.ts',
  'test/compare/compare.test.ts',
  'test/compare/merge.test.ts',
  'test/compare/expect-close.test.ts',
  'test/compare/summary.test.ts',
  'test/data/correctly-rounded-log.test.ts',
  'test/data/numpy-randint.test.ts',
  'test/data/numpy-random.test.ts',
  'test/demo/helpers.test.ts',
  'test/hand/forward-faults.test.ts',
  'test/faults/transforms.test.ts',
  'test/formats/legacy-h5.test.ts',
  'test/formats/read-model.test.ts',
  'test/gradients/finite-differences.test.ts',
  'test/gradients/losses.test.ts',
  'test/graph/hand-forward.test.ts',
  'test/io/atomic-write.test.ts',
  'test/io/npy.test.ts',
  'test/io/npy-stream.test.ts',
  'test/layers/activations.test.ts',
  'test/layers/bidirectional-gradients.test.ts',
  'test/layers/conv-pool-gradients.test.ts',
  'test/layers/dense-gradients.test.ts',
  'test/layers/masks.test.ts',
  'test/layers/merge-gradients.test.ts',
  'test/layers/no-tfjs-import.test.ts',
  'test/layers/normalization-gradients.test.ts',
  'test/layers/recurrent-gradients.test.ts',
  'test/layers/simple-kinds-gradients.test.ts',
  'test/layers/time-distributed-gradients.test.ts',
  'test/hand/activation-derivatives.test.ts',
  'test/hand/activations.test.ts',
  'test/hand/forward.test.ts',
  'test/hand/gru.test.ts',
  'test/hand/linalg.test.ts',
  'test/hand/lstm.test.ts',
  'test/hand/no-tfjs-import.test.ts',
  'test/hand/precision.test.ts',
  'test/hand/seeds.test.ts',
  'test/hand/simple-rnn.test.ts',
  'test/hand/validate.test.ts',
  'test/hand/wasm-kernel.test.ts',
  'test/mnist/batches.test.ts',
  'test/mnist/dataset.test.ts',
  'test/mnist/idx.test.ts',
  'test/mnist/init.test.ts',
  'test/mnist/progress-svg.test.ts',
  'test/optimizers/form-gaps.test.ts',
  'test/optimizers/keras-form.test.ts',
  'test/optimizers/no-tfjs-import.test.ts',
  'test/optimizers/options.test.ts',
  // Left to `npm test` though they load no tfjs: test/hand/parallel.test.ts (worker threads, each
  // transpiling the hand path, on a model big enough to split: ~10 s, a third of the tier). Loading tfjs:
  // test/faults/caught.test.ts and random-spec.test.ts (src/io/model-artifacts.ts), random-token-models (cpu backend).
];

module.exports = {
  ...base,
  displayName: 'unit',
  testMatch: UNIT_TESTS.map((file) => `<rootDir>/${file}`),
  moduleNameMapper: { '^@tensorflow/.*$': '<rootDir>/test/helpers/no-tfjs.ts' },
  setupFilesAfterEnv: ['<rootDir>/test/helpers/no-tfjs-setup.ts'],
  // No libtensorflow to load: a file takes a second or two, and the tier stays well under 30 s.
  testTimeout: 30000,
};
