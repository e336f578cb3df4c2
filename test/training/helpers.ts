/**
 * Shared pieces of the training tests: the Keras fixtures with their loss (from the gradient goldens' manifest),
 * the Keras training trajectories (scripts/keras-models/make_training_steps.py), and random small models.
 */
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { readModelFile } from '../../src/formats/read-model';
import { checkInputs } from '../../src/graph/check-inputs';
import type { GraphModel } from '../../src/graph/model';
import { lossName, type LossName } from '../../src/gradients/losses';
import { readNpyFile } from '../../src/io/npy';
import type { NdArray } from '../../src/tensor';
import { KERAS_MODELS_DIR, loadGoldenCase } from '../helpers/keras-models';
import { buildRandomGraph, graphChoiceArb } from '../helpers/random-graph';

/** A Keras fixture as the training runs read it: the model, its input, its gradient goldens' loss and seed. */
export interface TrainingFixture {
  readonly name: string;
  readonly model: GraphModel;
  readonly inputs: NdArray[];
  readonly loss: LossName;
  readonly seed: number;
}

/** The fixture `name` (its first model file), with the loss and seed of its gradients/manifest.json. */
export function loadTrainingFixture(name: string): TrainingFixture {
  const golden = loadGoldenCase(name);
  const manifest = JSON.parse(fs.readFileSync(path.join(golden.dir, 'gradients', 'manifest.json'), 'utf8')) as { loss: string; seed: number };
  return { name, model: readModelFile(golden.modelPaths[0]).model, inputs: golden.inputs, loss: lossName(manifest.loss), seed: manifest.seed };
}

/** One optimizer's Keras trajectory: the trainable weights after each step, float32 and float64 runs. */
interface KerasTrajectory {
  readonly optimizer: string;
  readonly className: string;
  readonly arguments: Record<string, unknown>;
  /** [step][weight]: the weight's values after step + 1. */
  readonly float32: Float32Array[][];
  readonly float64: Float64Array[][];
  readonly loss: { readonly float32: number[]; readonly float64: number[] };
  readonly lossAfter: { readonly float32: number; readonly float64: number };
}

export interface KerasTrainingGoldens {
  readonly case: string;
  readonly loss: LossName;
  readonly seed: number;
  readonly steps: number;
  /** Trainable weights, in the graph's order: `layer/name` is filled in from the model by the caller. */
  readonly weights: readonly { layer: string; index: number; path: string; shape: number[]; offset: number; size: number }[];
  readonly nonTrainable: readonly string[];
  readonly trajectories: ReadonlyMap<string, KerasTrajectory>;
}

interface Manifest {
  case: string;
  loss: string;
  seed: number;
  steps: number;
  weights: KerasTrainingGoldens['weights'];
  nonTrainable: string[];
  optimizers: Record<
    string,
    {
      class: string;
      arguments: Record<string, unknown>;
      files: { float32: string; float64: string };
      loss: { float32: number[]; float64: number[] };
      lossAfter: { float32: number; float64: number };
    }
  >;
}

function splitRows<T extends Float32Array | Float64Array>(array: NdArray, weights: Manifest['weights'], make: (a: ArrayLike<number>) => T): T[][] {
  const [steps, width] = array.shape;
  return Array.from({ length: steps }, (_, s) => weights.map((w) => make(array.data.subarray(s * width + w.offset, s * width + w.offset + w.size))));
}

/** The fixture's training/ folder (make_training_steps.py). */
export function loadKerasTraining(name: string): KerasTrainingGoldens {
  const dir = path.join(KERAS_MODELS_DIR, name, 'training');
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Manifest;
  const trajectories = new Map<string, KerasTrajectory>();
  for (const [optimizer, o] of Object.entries(manifest.optimizers)) {
    const f32 = readNpyFile(path.join(dir, o.files.float32));
    const f64 = readNpyFile(path.join(dir, o.files.float64));
    trajectories.set(optimizer, {
      optimizer,
      className: o.class,
      arguments: o.arguments,
      float32: splitRows(f32, manifest.weights, (a) => Float32Array.from(a)),
      float64: splitRows(f64, manifest.weights, (a) => Float64Array.from(a)),
      loss: o.loss,
      lossAfter: o.lossAfter,
    });
  }
  return {
    case: manifest.case,
    loss: lossName(manifest.loss),
    seed: manifest.seed,
    steps: manifest.steps,
    weights: manifest.weights,
    nonTrainable: manifest.nonTrainable,
    trajectories,
  };
}

/** A random small model with its seeded batch (test/helpers/random-graph.ts). */
interface RandomTrainingModel {
  readonly model: GraphModel;
  readonly inputs: NdArray[];
  readonly describe: () => string;
}

/** `count` random small models from a fixed fast-check seed, each with its seeded batch. */
export function randomTrainingModels(count: number, seed: number): RandomTrainingModel[] {
  return fc.sample(graphChoiceArb, { numRuns: count, seed }).map((choice) => {
    const graph = buildRandomGraph(choice);
    return { model: graph.model, inputs: checkInputs(graph.model, { seed: graph.inputSeed, batch: graph.batch }), describe: () => graph.describe() };
  });
}
