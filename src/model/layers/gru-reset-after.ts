/**
 * Keras's default GRU (reset_after=True) as a tfjs layer. tfjs 4.22's tf.layers.gru implements only
 * reset_after=False (its GRUCell throws on resetAfter), so this is a custom RNN cell built from tfjs ops
 * and an RNN layer around it; the RNN base class supplies returnSequences, goBackwards and the time loop,
 * exactly as for the built-in layers.
 *
 * Weights (Keras 3's layout, gate columns [z|r|h]):
 *   kernel:          [inputDim, 3*units]
 *   recurrentKernel: [units, 3*units]
 *   bias:            [2, 3*units]     row 0 the input bias, row 1 the recurrent bias
 *
 * One step, ra = recurrentActivation, act = activation:
 *   mx = x·W + bias[0];  mi = h_{t-1}·U + bias[1]
 *   z = ra(mx_z + mi_z);  r = ra(mx_r + mi_r);  hh = act(mx_h + r * mi_h)
 *   h = z * h_{t-1} + (1 - z) * hh
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError, ShapeError } from '../../errors';
import { activationNamed, initializerFrom, serializeInitializer, type Initializer, type InitializerIdentifier, type TensorActivation } from './registry';

type Kwargs = Parameters<tf.layers.Layer['call']>[1];

/** Everything the cell needs, all explicit: no tfjs default (hardSigmoid, orthogonal) can slip in. */
export interface GRUResetAfterCellArgs {
  readonly units: number;
  /** A registered activation name: 'tanh', 'relu', 'sigmoid', 'linear'. */
  readonly activation: string;
  /** A registered activation name: 'sigmoid', 'hardSigmoid' (tfjs), 'hardSigmoidKeras3'. */
  readonly recurrentActivation: string;
  readonly kernelInitializer: InitializerIdentifier;
  readonly recurrentInitializer: InitializerIdentifier;
  readonly biasInitializer: InitializerIdentifier;
}

/** The layer: the cell's arguments plus the RNN options and the usual layer options. */
export interface GRUResetAfterArgs extends GRUResetAfterCellArgs {
  readonly returnSequences: boolean;
  readonly goBackwards: boolean;
  /** Also output the final state h (the RNN base class handles it). */
  readonly returnState?: boolean;
  readonly inputShape?: (number | null)[];
  readonly batchInputShape?: (number | null)[];
  readonly name?: string;
  readonly trainable?: boolean;
}

/**
 * One GRU step with the reset gate applied after the recurrent matmul.
 * Inputs [x: [batch, inputDim], hTMinus1: [batch, units]] -> [h, h], both [batch, units].
 */
export class GRUResetAfterCell extends tf.layers.RNNCell {
  /** @nocollapse */
  static readonly className = 'GRUResetAfterCell';

  readonly units: number;
  readonly stateSize: number;
  readonly activation: TensorActivation;
  readonly recurrentActivation: TensorActivation;
  readonly kernelInitializer: Initializer;
  readonly recurrentInitializer: Initializer;
  readonly biasInitializer: Initializer;
  private kernel: tf.LayerVariable | null = null;
  private recurrentKernel: tf.LayerVariable | null = null;
  private bias: tf.LayerVariable | null = null;

  /** @throws ConfigError for units that are not a positive integer or an unregistered activation/initializer. */
  constructor(args: GRUResetAfterCellArgs) {
    super({});
    if (!Number.isInteger(args.units) || args.units < 1) {
      throw new ConfigError(`GRUResetAfterCell units: expected a positive integer, got ${args.units}`);
    }
    this.units = args.units;
    this.stateSize = args.units;
    this.activation = activationNamed(args.activation);
    this.recurrentActivation = activationNamed(args.recurrentActivation);
    this.kernelInitializer = initializerFrom(args.kernelInitializer);
    this.recurrentInitializer = initializerFrom(args.recurrentInitializer);
    this.biasInitializer = initializerFrom(args.biasInitializer);
  }

  /** inputShape: [batch, inputDim] (one step), as RNN.build passes it. */
  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const inputDim = shape[shape.length - 1];
    if (inputDim === null) throw new ShapeError('GRUResetAfterCell inputDim: expected a fixed size, got null');
    const width = 3 * this.units;
    this.kernel = this.addWeight('kernel', [inputDim, width], 'float32', this.kernelInitializer, undefined, true);
    this.recurrentKernel = this.addWeight('recurrent_kernel', [this.units, width], 'float32', this.recurrentInitializer, undefined, true);
    // Parity note: Keras 3's GRUCell with reset_after=True has one bias weight of shape (2, 3*units).
    this.bias = this.addWeight('bias', [2, width], 'float32', this.biasInitializer, undefined, true);
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor[] {
    return tf.tidy(() => {
      if (!Array.isArray(inputs) || inputs.length !== 2) {
        throw new ShapeError(`GRUResetAfterCell: expected 2 input tensors (x, hTMinus1), got ${Array.isArray(inputs) ? inputs.length : 1}`);
      }
      if (this.kernel === null || this.recurrentKernel === null || this.bias === null) {
        throw new ConfigError('GRUResetAfterCell: expected build() before call(), got an unbuilt cell');
      }
      const [x, hTMinus1] = inputs;
      // Parity note: Keras 3 unstacks the (2, 3*units) bias into input_bias and recurrent_bias.
      const [inputBias, recurrentBias] = tf.unstack(this.bias.read());
      // [batch, inputDim] x [inputDim, 3*units] -> [batch, 3*units], then + input bias (broadcast over batch)
      // Parity note: as tfjs's GRUCell (K.dot, then K.biasAdd) and Keras 3's (matmul, then add).
      const matrixX = tf.add(tf.matMul(x, this.kernel.read()), inputBias);
      // [batch, units] x [units, 3*units] -> [batch, 3*units], then + recurrent bias
      const matrixInner = tf.add(tf.matMul(hTMinus1, this.recurrentKernel.read()), recurrentBias);
      const [xZ, xR, xH] = tf.split(matrixX, 3, 1);
      const [recurrentZ, recurrentR, recurrentH] = tf.split(matrixInner, 3, 1);
      const z = this.recurrentActivation.apply(tf.add(xZ, recurrentZ));
      const r = this.recurrentActivation.apply(tf.add(xR, recurrentR));
      // Parity note: reset_after=True scales h·Uh + bias_h by r, after the matmul (Keras 3's GRUCell).
      const hh = this.activation.apply(tf.add(xH, tf.mul(r, recurrentH)));
      // Parity note: tfjs's GRUCell writes 1 - z as add(1, neg(z)); sub(1, z) rounds identically.
      const h = tf.add(tf.mul(z, hTMinus1), tf.mul(tf.sub(1, z), hh));
      return [h, h];
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: this.activation.getClassName(),
      recurrentActivation: this.recurrentActivation.getClassName(),
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      recurrentInitializer: serializeInitializer(this.recurrentInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      // Keras's key and value, so that a reader of model.json sees which GRU this is.
      resetAfter: true,
    };
  }
}
tf.serialization.registerClass(GRUResetAfterCell);

/**
 * GRU(reset_after=True) over a sequence: [batch, timeSteps, inputDim] -> [batch, units],
 * or [batch, timeSteps, units] with returnSequences. goBackwards reads the steps last to first and,
 * with returnSequences, returns the outputs in processing order, as tfjs's and Keras's layers do.
 */
export class GRUResetAfter extends tf.layers.RNN {
  /** @nocollapse */
  static override readonly className = 'GRUResetAfter';

  /** @throws ConfigError for bad cell arguments (see GRUResetAfterCell). */
  constructor(args: GRUResetAfterArgs) {
    const cell = new GRUResetAfterCell({
      units: args.units,
      activation: args.activation,
      recurrentActivation: args.recurrentActivation,
      kernelInitializer: args.kernelInitializer,
      recurrentInitializer: args.recurrentInitializer,
      biasInitializer: args.biasInitializer,
    });
    // Parity note: like tfjs's GRU, the layer's config is the cell's config plus the RNN options
    // (RNN.getConfig flattens it for any subclass), so fromConfig can rebuild the cell from it.
    super({ ...args, cell } as tf.RNNLayerArgs);
  }

  /**
   * Rebuilds the layer from its flattened config (RNN.fromConfig would expect a nested `cell`).
   * Parity note: tfjs's GRU.fromConfig is also `new cls(config)`.
   */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls(config);
  }
}
tf.serialization.registerClass(GRUResetAfter);
