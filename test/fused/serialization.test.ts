/**
 * The fused layers are registered tfjs layers: their config round-trips (getConfig -> fromConfig), a model
 * holding them saves to memory and loads back with the same outputs, and a stock model's config and weights
 * load into the fused twin unchanged (same weight names, order and shapes).
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../src/backends';
import { fusedLayer } from '../../src/fused';
import { expectNoLeakedTensors } from '../model/helpers';
import { BASE_CASE, builtLayer, caseInputs, CELLS, makeLayer } from './helpers';

beforeAll(async () => {
  await selectBackend('cpu');
});

describe.each(CELLS)('%s', (cell) => {
  const c = { ...BASE_CASE, cell, returnSequences: true, goBackwards: true, seed: 900 };

  test('getConfig round trip and the stock weights', () => {
    const fused = builtLayer(c, true);
    const stock = builtLayer(c, false);
    try {
      expect(fused.getClassName()).toMatch(/^Fused/);
      const { name: _fusedName, ...fusedConfig } = fused.getConfig();
      const { name: _stockName, ...stockConfig } = stock.getConfig();
      expect(fusedConfig).toEqual(stockConfig);
      expect(fused.weights.map((w) => [w.name.split('/').pop(), w.shape])).toEqual(stock.weights.map((w) => [w.name.split('/').pop(), w.shape]));
      const [cls, fromConfig] = tf.serialization.SerializationMap.getMap().classNameMap[fused.getClassName()];
      const again = fromConfig(cls, fused.getConfig()) as unknown as tf.layers.Layer;
      expect(again.getClassName()).toBe(fused.getClassName());
      expect(again.getConfig()).toEqual(fused.getConfig());
    } finally {
      fused.dispose();
      stock.dispose();
    }
  });

  test('model.save to memory and load back: same outputs; fusedLayer(stock) carries the stock weights', async () => {
    const input = tf.input({ shape: [c.timeSteps, c.inputDim] });
    const stockLayer = makeLayer(c, false);
    const stockModel = tf.model({ inputs: input, outputs: stockLayer.apply(input) as tf.SymbolicTensor });
    const { x } = caseInputs(c);
    let saved: tf.io.ModelArtifacts | undefined;
    const twin = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [c.timeSteps, c.inputDim] }), fusedLayer(makeLayer(c, false))] });
    twin.setWeights(builtLayer(c, false).getWeights());
    stockModel.setWeights(twin.getWeights());
    await twin.save(
      tf.io.withSaveHandler(async (artifacts) => ((saved = artifacts), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })),
    );
    expect(JSON.stringify(saved!.modelTopology)).toContain('"Fused');
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
    try {
      await expectNoLeakedTensors(() =>
        tf.tidy(() => {
          const expected = (stockModel.predict(x) as tf.Tensor).dataSync();
          expect(Array.from((twin.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from(expected));
          expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from(expected));
        }),
      );
    } finally {
      tf.dispose(x);
      [stockModel, twin, loaded].forEach((m) => m.dispose());
    }
  });
});
