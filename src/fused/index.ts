/**
 * The fused recurrent layers: tfjs's SimpleRNN, LSTM and GRU (and this project's GRUResetAfter) with the same
 * weights, config and outputs, computed in fewer, larger ops with a hand-written backward pass (docs/fused-layers.md).
 * Importing this module registers them with tf.serialization (needed before loading a saved model that uses them).
 */
export { FusedSimpleRNN } from './simple-rnn';
export { FusedLSTM } from './lstm';
export { FusedGRU } from './gru';
export { FusedGRUResetAfter } from './gru-reset-after';
export { fusedLayer, fusedSequential } from './convert';
