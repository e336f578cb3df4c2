/**
 * Stock layer -> its fused twin, from the stock layer's own config (so every option, name and initializer
 * carries over, and the weights keep their names, order and shapes). Wrappers (Bidirectional,
 * TimeDistributed) are rebuilt around the fused twin of the layer they wrap.
 */
import * as tf from '@tensorflow/tfjs';
import { FusedGRU } from './gru';
import { FusedGRUResetAfter } from './gru-reset-after';
import { FusedLSTM } from './lstm';
import { FusedSimpleRNN } from './simple-rnn';

type Config = tf.serialization.ConfigDict;

/** Stock class name -> the fused class built from the same config. */
const TWINS: Readonly<Record<string, (config: Config) => tf.layers.Layer>> = {
  SimpleRNN: (config) => new FusedSimpleRNN(config as never),
  LSTM: (config) => new FusedLSTM(config as never),
  GRU: (config) => new FusedGRU(config as never),
  GRUResetAfter: (config) => new FusedGRUResetAfter(config as never),
};

/** Wrapper class name -> rebuilt around a fused inner layer. */
const WRAPPERS: Readonly<Record<string, (config: Config, inner: tf.layers.Layer) => tf.layers.Layer>> = {
  Bidirectional: (config, layer) => tf.layers.bidirectional({ ...(config as object), layer: layer as tf.RNN }),
  TimeDistributed: (config, layer) => tf.layers.timeDistributed({ ...(config as object), layer }),
};

/** A layer rebuilt from its saved form {className, config}, as tfjs's own deserialize does (through the registry). */
function rebuild(saved: { className: string; config: Config }): tf.layers.Layer {
  const [cls, fromConfig] = tf.serialization.SerializationMap.getMap().classNameMap[saved.className];
  return fromConfig(cls, saved.config) as unknown as tf.layers.Layer;
}

/**
 * The fused twin of an unbuilt layer, or the layer itself when it has none (Dense, a wrapper around a
 * non-recurrent layer, ...). A config the fused layers refuse (stateful, dropout) throws ConfigError.
 */
export function fusedLayer(layer: tf.layers.Layer): tf.layers.Layer {
  const className = layer.getClassName();
  if (Object.hasOwn(TWINS, className)) return TWINS[className](layer.getConfig());
  if (Object.hasOwn(WRAPPERS, className)) {
    const { layer: innerSaved, ...config } = layer.getConfig() as { layer: { className: string; config: Config } } & Config;
    const inner = rebuild(innerSaved);
    const fused = fusedLayer(inner);
    return fused === inner ? layer : WRAPPERS[className](config, fused);
  }
  return layer;
}

/**
 * A Sequential model with every recurrent layer fused and the others rebuilt from their configs, holding
 * copies of the model's weights. The caller disposes both.
 */
export function fusedSequential(model: tf.Sequential): tf.Sequential {
  const layers = model.layers.map((layer) => {
    const fused = fusedLayer(layer);
    return fused !== layer ? fused : rebuild({ className: layer.getClassName(), config: layer.getConfig() });
  });
  const twin = tf.sequential({ name: model.name, layers });
  const weights = model.getWeights();
  twin.setWeights(weights);
  return twin;
}
