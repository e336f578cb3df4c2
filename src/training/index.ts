/**
 * Training-step parity: K optimizer steps on the layer path (tfjs) and the hand path (plain TypeScript), compared
 * after every step (docs/training-parity.md). Nothing here imports tfjs; trainStepParity loads the layer path's
 * half (./layer-trainer.ts) lazily.
 */
export { trainStepParity, MAX_TRAINING_STEPS, type TrainStepParityOptions, type TrainStepParityResult, type TrainingStepRow } from './train-step-parity';
export { createHandTrainer } from './hand-trainer';
export type { PathTrainer, PathTrainerOptions } from './path-trainer';
export { trainableWeights, nonTrainableWeightNames, isTrainableWeight, type TrainableWeight } from './trainable';
export { compareWeights, WeightScales, worstWeight, type WeightDifference, type WorstWeight } from './compare-weights';
export { trainingTolerance, type TrainingTolerance } from './tolerance';
