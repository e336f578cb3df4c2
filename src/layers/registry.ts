/**
 * Every layer kind, one line each. Readers find a kind by its Keras or tfjs class name; the drivers
 * (src/graph/) loop over what they find. Adding a kind: its folder, then one line here.
 */
import { ConfigError } from '../errors';
import type { AnyLayerKind } from './kind';
import { activation } from './activation';
import { add } from './add';
import { alphaDropout } from './alpha-dropout';
import { average } from './average';
import { averagePooling1d } from './average-pooling-1d';
import { batchNormalization } from './batch-normalization';
import { bidirectional } from './bidirectional';
import { concatenate } from './concatenate';
import { conv1d } from './conv1d';
import { dense } from './dense';
import { dropout } from './dropout';
import { embedding } from './embedding';
import { flatten } from './flatten';
import { gaussianDropout } from './gaussian-dropout';
import { gaussianNoise } from './gaussian-noise';
import { globalAveragePooling1d } from './global-average-pooling-1d';
import { globalMaxPooling1d } from './global-max-pooling-1d';
import { gru } from './gru';
import { layerNormalization } from './layer-normalization';
import { lstm } from './lstm';
import { masking } from './masking';
import { maxPooling1d } from './max-pooling-1d';
import { maximum } from './maximum';
import { minimum } from './minimum';
import { multiply } from './multiply';
import { repeatVector } from './repeat-vector';
import { reshape } from './reshape';
import { simpleRnn } from './simple-rnn';
import { spatialDropout1d } from './spatial-dropout-1d';
import { subtract } from './subtract';
import { timeDistributed } from './time-distributed';

export const LAYER_KINDS: readonly AnyLayerKind[] = [
  simpleRnn,
  lstm,
  gru,
  dense,
  activation,
  dropout,
  spatialDropout1d,
  gaussianNoise,
  gaussianDropout,
  alphaDropout,
  flatten,
  reshape,
  conv1d,
  maxPooling1d,
  averagePooling1d,
  globalMaxPooling1d,
  globalAveragePooling1d,
  layerNormalization,
  batchNormalization,
  repeatVector,
  concatenate,
  add,
  subtract,
  multiply,
  average,
  maximum,
  minimum,
  embedding,
  masking,
  bidirectional,
  timeDistributed,
];

const byKind = new Map(LAYER_KINDS.map((k) => [k.kind, k]));
const byKerasClass = new Map(LAYER_KINDS.map((k) => [k.kerasClass, k]));
const byTfjsClass = new Map(LAYER_KINDS.flatMap((k) => k.tfjsClasses.map((c) => [c, k] as const)));

/** The kind for a class name in a Keras file (source 'keras') or a tfjs model.json ('tfjs'); undefined if none. */
export function kindForClass(className: string, source: 'keras' | 'tfjs'): AnyLayerKind | undefined {
  return (source === 'keras' ? byKerasClass : byTfjsClass).get(className);
}

/** @throws ConfigError for a kind name no folder defines. */
export function layerKind(kind: string): AnyLayerKind {
  const found = byKind.get(kind);
  if (found === undefined) throw new ConfigError(`layer kind: expected one of ${[...byKind.keys()].join(', ')}, got ${JSON.stringify(kind)}`);
  return found;
}

/** Keras class names of every supported kind, for messages. */
export function supportedKerasClasses(): string[] {
  return LAYER_KINDS.map((k) => k.kerasClass);
}
