/**
 * The custom tfjs layer-path pieces. Importing this module registers them with tf.serialization,
 * which tf.loadLayersModel needs before it can rebuild a saved model that uses them.
 */
export { GRUResetAfter, GRUResetAfterCell, type GRUResetAfterArgs, type GRUResetAfterCellArgs } from './gru-reset-after';
export { HARD_SIGMOID_KERAS3, HardSigmoidKeras3 } from './hard-sigmoid-keras3';
export { ZeroMaskedSteps } from './zero-masked-steps';
