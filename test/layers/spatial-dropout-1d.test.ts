import { ShapeError } from '../../src/errors';
import { spatialDropout1d } from '../../src/layers/spatial-dropout-1d';
import { describeInferenceIdentity } from './inference-identity-cases';

describeInferenceIdentity({
  kind: spatialDropout1d,
  // models/keras-models/inference-identities/model.keras, config.json (Keras 3.15.1): SpatialDropout1D writes
  // only rate, seed, name and a plain-string dtype
  kerasConfig: { rate: 0.3, seed: null, name: 'spatial_dropout1d', dtype: 'float32' },
  expected: { rate: 0.3, seed: null },
  fractionKey: 'rate',
  shape: [null, 16, 5],
});

describe('SpatialDropout1D shapes', () => {
  test('takes rank 3 only, as Keras (InputSpec(ndim=3))', () => {
    expect(() => spatialDropout1d.outputShape({ rate: 0.3, seed: null }, [[null, 5]])).toThrow(
      /SpatialDropout1D: expected one input of rank 3, got \[None, 5\]/,
    );
    expect(() => spatialDropout1d.outputShape({ rate: 0.3, seed: null }, [[null, 2, 3, 4]])).toThrow(ShapeError);
    expect(spatialDropout1d.outputShape({ rate: 0.3, seed: null }, [[null, null, 5]])).toEqual([null, null, 5]);
  });
});
