/**
 * The layer path's training: the tfjs model (buildTfjsModel) on the active backend, the loss with tfjs ops and
 * tfjs's own gradients (layerPathGradients, as the gradient check takes them), and a tfjs optimizer
 * (createTfjsOptimizer: tf.train.* for form 'tfjs', the Keras-form optimizers for 'keras'), applied to the graph's
 * trainable weights only: tfjs's extra weights (GRU's zero bias, BatchNormalization's constant gamma/beta) and the
 * moving statistics are never handed to the optimizer. Everything computes in float32, as tfjs does.
 *
 * This file imports tfjs; load it lazily (`await import('./layer-trainer')`) after selecting a backend.
 */
import * as tf from '@tensorflow/tfjs';
import { buildTfjsModel } from '../graph/tfjs-model';
import { graphVariables, layerPathGradients } from '../graph/tfjs-gradients';
import { createTfjsOptimizer, disposeTfjsOptimizer } from '../optimizers/tfjs-optimizers';
import type { NdArray } from '../tensor';
import type { PathTrainer, PathTrainerOptions } from './path-trainer';

/**
 * The layer path's trainer, on the backend active now. The caller disposes it.
 * @throws ConfigError for a bad optimizer spec
 */
export function createLayerTrainer(options: PathTrainerOptions): PathTrainer {
  const { model, trainable, loss, targets } = options;
  const optimizer = createTfjsOptimizer(options.optimizer);
  const tfModel = buildTfjsModel(model, { layerImpl: options.layerImpl ?? 'tfjs' });
  const variables = graphVariables(tfModel, model);
  const trained = trainable.map((t) => variables[t.layer][t.weight]);
  return {
    step(inputs: readonly NdArray[]): number {
      const result = layerPathGradients(tfModel, model, inputs, loss, targets);
      // The float32 gradients tfjs computed, back on the backend, named by the variables they update (in the same
      // order every step: tfjs's optimizers and the Keras-form ones key their state by position).
      const named = trainable.map((t, i) => ({
        name: trained[i].name,
        tensor: tf.tensor(result.gradients.weights[t.layer][t.weight] as Float32Array, t.shape.slice(), 'float32'),
      }));
      try {
        optimizer.applyGradients(named);
      } finally {
        named.forEach(({ tensor }) => tensor.dispose());
      }
      return result.loss;
    },
    loss: (inputs) => layerPathGradients(tfModel, model, inputs, loss, targets).loss,
    weights: () => trained.map((v) => Float32Array.from(v.dataSync() as Float32Array)),
    dispose(): void {
      disposeTfjsOptimizer(optimizer);
      tfModel.dispose();
    },
  };
}
