/**
 * tfjs-layers' stock recurrent layer classes. tfjs exports only their factories (tf.layers.lstm, ...), but
 * registers the classes with tf.serialization, which is where tfjs itself finds them when loading a model;
 * the fused layers extend them, so they inherit the stock layer's weights (names, order, shapes), config,
 * getConfig and computeOutputShape, and override only call().
 */
import * as tf from '@tensorflow/tfjs';
import type { GRU, LSTM, SimpleRNN } from '@tensorflow/tfjs-layers/dist/layers/recurrent';

function registered(className: string): unknown {
  return tf.serialization.SerializationMap.getMap().classNameMap[className][0];
}

export const StockLSTM = registered('LSTM') as typeof LSTM;
export const StockGRU = registered('GRU') as typeof GRU;
export const StockSimpleRNN = registered('SimpleRNN') as typeof SimpleRNN;

export type { GRULayerArgs, LSTMLayerArgs, SimpleRNNLayerArgs } from '@tensorflow/tfjs-layers/dist/layers/recurrent';
export type { GRUCell, LSTMCell, SimpleRNNCell } from '@tensorflow/tfjs-layers/dist/layers/recurrent';
