import { gaussianDropout } from '../../src/layers/gaussian-dropout';
import { describeInferenceIdentity } from './inference-identity-cases';

describeInferenceIdentity({
  kind: gaussianDropout,
  // models/keras-models/inference-identities/model.keras, config.json (Keras 3.15.1)
  kerasConfig: {
    name: 'gaussian_dropout',
    trainable: true,
    dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null, shared_object_id: 140471122035856 },
    rate: 0.2,
    seed: null,
  },
  expected: { rate: 0.2, seed: null },
  fractionKey: 'rate',
  shape: [null, 16, 12],
});
