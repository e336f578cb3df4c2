import { dropout } from '../../src/layers/dropout';
import { describeInferenceIdentity, readWith } from './inference-identity-cases';

// models/keras-models/hidden-dense-dropout/model.keras, config.json (Keras 3.15.1)
const KERAS_CONFIG = {
  name: 'dropout',
  trainable: true,
  dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null, shared_object_id: 140471068677712 },
  rate: 0.5,
  seed: null,
  noise_shape: null,
};

describeInferenceIdentity({
  kind: dropout,
  kerasConfig: KERAS_CONFIG,
  expected: { rate: 0.5, noiseShape: null, seed: null },
  fractionKey: 'rate',
  shape: [null, 3, 4],
});

describe('Dropout options', () => {
  test('noise_shape: a list of positive integers and nulls; anything else is a blocker', () => {
    expect(readWith(dropout, { ...KERAS_CONFIG, noise_shape: [null, 1, 4], seed: 7 }).config).toEqual({ rate: 0.5, noiseShape: [null, 1, 4], seed: 7 });
    expect(readWith(dropout, { ...KERAS_CONFIG, noise_shape: [0, 1] }).blockers.map((b) => b.option)).toEqual(['noise_shape']);
  });
});
