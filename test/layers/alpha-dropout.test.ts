import { alphaDropout } from '../../src/layers/alpha-dropout';
import { describeInferenceIdentity } from './inference-identity-cases';

describeInferenceIdentity({
  kind: alphaDropout,
  // models/keras-models/inference-identities/model.keras, config.json (Keras 3.15.1)
  kerasConfig: {
    name: 'alpha_dropout',
    trainable: true,
    dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null, shared_object_id: 140471122035856 },
    rate: 0.1,
    seed: null,
    noise_shape: null,
  },
  expected: { rate: 0.1, noiseShape: null, seed: null },
  fractionKey: 'rate',
  shape: [null, 12],
});
