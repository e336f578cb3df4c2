/**
 * Looks classes up in tf.serialization's registry, the one table tfjs-layers itself reads when it turns
 * a name ('tanh') or a saved config ({className: 'VarianceScaling', config}) back into an object.
 * tfjs-layers' own getActivation/getInitializer are not exported, so the custom layers use this.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../../errors';

/** A tfjs initializer, as tf.initializers.* return it (the Initializer type itself is not exported). */
export type Initializer = ReturnType<typeof tf.initializers.ones>;

/** An initializer object, or its saved form {className, config} (what getConfig wrote). */
export type InitializerIdentifier = Initializer | tf.serialization.ConfigDict;

/** What a tfjs-layers activation offers: an elementwise op and the name it is saved under. */
export interface TensorActivation {
  apply(x: tf.Tensor): tf.Tensor;
  getClassName(): string;
}

function construct(kind: string, className: string, config: tf.serialization.ConfigDict): tf.serialization.Serializable {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[className];
  if (entry === undefined) {
    throw new ConfigError(`${kind}: expected a class registered with tf.serialization, got ${JSON.stringify(className)}`);
  }
  const [cls, fromConfig] = entry;
  return fromConfig(cls, config);
}

/**
 * The activation registered under `name` ('tanh', 'sigmoid', 'hardSigmoid', 'hardSigmoidKeras3', ...).
 * Parity note: tfjs-layers' getActivation(name) does exactly this lookup, with an empty config.
 * @throws ConfigError when no class is registered under `name` or it is not an activation.
 */
export function activationNamed(name: string): TensorActivation {
  const activation = construct('activation', name, {}) as unknown as Partial<TensorActivation>;
  if (typeof activation.apply !== 'function') {
    throw new ConfigError(`activation: expected ${JSON.stringify(name)} to name an activation, got a ${activation.getClassName?.()}`);
  }
  return activation as TensorActivation;
}

/**
 * An initializer from an object (returned as is) or from its saved {className, config} form.
 * @throws ConfigError when the saved form is malformed or names no registered class.
 */
export function initializerFrom(identifier: InitializerIdentifier): Initializer {
  if (identifier instanceof tf.serialization.Serializable) return identifier as Initializer;
  const { className, config } = identifier as { className?: unknown; config?: unknown };
  if (typeof className !== 'string' || typeof config !== 'object' || config === null) {
    throw new ConfigError(`initializer: expected {className, config}, got ${JSON.stringify(identifier)}`);
  }
  return construct('initializer', className, config as tf.serialization.ConfigDict) as Initializer;
}

/** The saved form of an initializer. Parity note: tfjs-layers' serializeInitializer writes the same. */
export function serializeInitializer(initializer: Initializer): tf.serialization.ConfigDict {
  return { className: initializer.getClassName(), config: initializer.getConfig() };
}
