import { gaussianNoise } from '../../src/layers/gaussian-noise';
import { describeInferenceIdentity } from './inference-identity-cases';

describeInferenceIdentity({
  kind: gaussianNoise,
  // models/keras-models/inference-identities/model.keras, config.json (Keras 3.15.1)
  kerasConfig: {
    name: 'gaussian_noise',
    trainable: true,
    dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null, shared_object_id: 140471122035856 },
    stddev: 0.1,
    seed: null,
  },
  expected: { stddev: 0.1, seed: null },
  fractionKey: 'stddev',
  shape: [null, 16, 12],
});
