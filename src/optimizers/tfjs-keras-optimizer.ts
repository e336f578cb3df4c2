/**
 * The shared machinery of the Keras-form optimizers for tfjs (tfjs-keras-adam.ts, tfjs-keras-rmsprop.ts,
 * tfjs-keras-sgd.ts): a tf.Optimizer whose per-variable state ("slots", Keras's optimizer variables) is keyed by the
 * model variable's name, built on the first step, saved and restored by getWeights/setWeights, and freed by dispose.
 *
 * This file and the other tfjs-*.ts files import tfjs; the plain-TypeScript optimizers in this folder never import
 * them (test/optimizers/no-tfjs-import.test.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors';

/** A tensor with a name: what tfjs optimizers take and save (tfjs-core's NamedTensor, not re-exported by tfjs). */
interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

/** One model variable's optimizer state: its slot variables in slotNames order, and the name they are saved under. */
interface VariableSlots {
  readonly originalName: string;
  readonly slots: tf.Variable[];
}

/**
 * Base of a Keras-form tfjs optimizer. A subclass names its slots, computes the per-step scalars once per step
 * (`prepareStep`, Keras's update_step preamble), and updates one variable from its gradient and slots.
 *
 * Slots are matched to variables by position in the list applyGradients is given, as tfjs's own optimizers do (Keras
 * matches by variable): a model saved with includeOptimizer and loaded back gets variables with new unique names,
 * and finds its moments all the same.
 * @typeParam S what prepareStep hands every updateVariable call of that step (tensors it holds are freed by the step)
 */
export abstract class KerasFormTfjsOptimizer<S> extends tf.Optimizer {
  /** Per position in applyGradients' list: that variable's slots. */
  private state: VariableSlots[] = [];

  /** The resolved hyperparameters: what getConfig saves and fromConfig builds from. */
  abstract readonly config: object;

  override getConfig(): tf.serialization.ConfigDict {
    return { ...this.config } as tf.serialization.ConfigDict;
  }

  /** The optimizer a getConfig() describes (tf.serialization's contract). */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(config);
  }

  /** The slot names this optimizer keeps per variable, e.g. ['momentum', 'velocity'] (Keras's variable names). */
  protected abstract get slotNames(): readonly string[];

  /** Scalars every variable's update of step `step` (1-based, Keras's iterations + 1) shares. Runs inside tf.tidy. */
  protected abstract prepareStep(step: number): S;

  /** Assigns the new value of `variable` and of its slots. Runs inside tf.tidy. */
  protected abstract updateVariable(variable: tf.Variable, gradient: tf.Tensor, slots: readonly tf.Variable[], prepared: S): void;

  /** One step: every variable named in `variableGradients` updated from its gradient (a null gradient is skipped). */
  applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const pairs: [string, tf.Tensor | null | undefined][] = Array.isArray(variableGradients)
      ? variableGradients.map(({ name, tensor }) => [name, tensor])
      : Object.entries(variableGradients);
    const step = this.iterations + 1;
    tf.tidy(() => {
      const prepared = this.prepareStep(step);
      pairs.forEach(([name, gradient], i) => {
        const variable = tf.engine().registeredVariables[name];
        if (variable === undefined) throw new ConfigError(`${this.getClassName()}: expected a registered variable named "${name}", got none`);
        const slots = this.slotsAt(i, name, variable);
        if (gradient != null) this.updateVariable(variable, gradient, slots, prepared);
      });
    });
    this.incrementIterations();
  }

  private slotsAt(index: number, name: string, variable: tf.Variable): tf.Variable[] {
    this.state[index] ??= {
      originalName: name,
      slots: this.slotNames.map(() => tf.tidy(() => tf.variable(tf.zerosLike(variable), false, undefined, variable.dtype))),
    };
    return this.state[index].slots;
  }

  override dispose(): void {
    this.disposeState();
    super.dispose();
  }

  private disposeState(): void {
    for (const { slots } of this.state) tf.dispose(slots);
    this.state = [];
  }

  /** [iterations, then slot by slot, variable by variable: "<variable name>/<slot name>"], tfjs's layout. */
  override async getWeights(): Promise<NamedTensor[]> {
    const named: NamedTensor[] = [];
    this.slotNames.forEach((slot, k) => {
      for (const { originalName, slots } of this.state) named.push({ name: `${originalName}/${slot}`, tensor: slots[k] });
    });
    return [await this.saveIterations(), ...named];
  }

  /**
   * Restores what getWeights saved (from this or an equal optimizer): the iteration count and every slot, by position.
   * @throws ConfigError when the weights are not "<variable>/<slot>" in getWeights' order for this optimizer's slots
   */
  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const values = await this.extractIterations(weightValues);
    const slotCount = this.slotNames.length;
    const variableCount = slotCount === 0 ? 0 : values.length / slotCount;
    if (!Number.isInteger(variableCount) || (slotCount === 0 && values.length > 0)) {
      throw new ConfigError(`${this.getClassName()}.setWeights: expected a multiple of ${slotCount} slot weights after iter, got ${values.length}`);
    }
    const restored: VariableSlots[] = [];
    for (let i = 0; i < variableCount; i++) {
      const slots = this.slotNames.map((slot, k) => {
        const { name, tensor } = values[k * variableCount + i];
        if (!name.endsWith(`/${slot}`))
          throw new ConfigError(`${this.getClassName()}.setWeights: expected weight ${1 + k * variableCount + i} to be a "<variable>/${slot}", got "${name}"`);
        return tensor;
      });
      const first = values[i].name;
      restored.push({ originalName: first.slice(0, first.lastIndexOf('/')), slots: slots.map((t) => tf.variable(t, false)) });
    }
    this.disposeState();
    this.state = restored;
  }
}
