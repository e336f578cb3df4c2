/**
 * Training-step parity: K optimizer steps on the layer path (tfjs) and the hand path (plain TypeScript), compared
 * after every step (docs/training-parity.md). Nothing here imports tfjs; trainStepParity loads the layer path's
 * half (./layer-trainer.ts) lazily.
 */
export { trainStepParity, MAX_TRAINING_STEPS, type TrainStepParityResult } from './train-step-parity';
export { createHandTrainer } from './hand-trainer';
export type { PathTrainer } from './path-trainer';
export { trainableWeights, type TrainableWeight } from './trainable';
export { compareWeights, WeightScales, worstWeight } from './compare-weights';
