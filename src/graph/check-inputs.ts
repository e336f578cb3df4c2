/**
 * The inputs a check reads: the given arrays or sources, or NumPy's seeded draws, each checked as both paths read
 * it (float32 values, exact integer ids, no NaN or Inf). checkModel reads them a chunk at a time; the gradient
 * check and training take them whole (checkInputs).
 */
import { ConfigError, ShapeError } from '../errors';
import type { NdArray } from '../tensor';
import type { ModelCheckOptions } from './check';
import { checkInputShape } from './hand-forward';
import type { GraphInput, GraphModel } from './model';
import { arraySource, checkedSource, seededSource, type SampleSource } from './samples';

/**
 * The ids a seeded integer input may hold: [0, V) with V the smallest vocabulary (Embedding input_dim)
 * among the layers that read it.
 * @throws ConfigError when no Embedding reads it (no range to draw from).
 */
export function tokenRange(model: GraphModel, inputName: string): number {
  const sizes = model.layers.filter((l) => l.kind === 'embedding' && l.inbound.includes(inputName)).map((l) => (l.config as { inputDim: number }).inputDim);
  if (sizes.length === 0) {
    throw new ConfigError(`input "${inputName}": expected an Embedding reading this integer input (to know the id range to draw), got none; give --input`);
  }
  return Math.min(...sizes);
}

/** The shape of a seeded input: --batch samples (default 1), the model's sizes, --timesteps where it accepts any. */
function seededShape(input: GraphInput, options: Pick<ModelCheckOptions, 'batch' | 'timeSteps'>): number[] {
  return input.shape.map((d, axis) => {
    if (axis === 0) return options.batch ?? 1;
    if (d !== null) {
      if (axis === 1 && options.timeSteps !== undefined && options.timeSteps !== d) {
        throw new ConfigError(`--timesteps: expected ${d} (the model's saved input shape), got ${options.timeSteps}`);
      }
      return d;
    }
    if (axis === 1 && options.timeSteps !== undefined) return options.timeSteps;
    throw new ConfigError(`input "${input.name}" axis ${axis}: expected a size (the model accepts any), got none; give --input or --timesteps`);
  });
}

/**
 * The model inputs as checked sources: the given arrays or sources, else NumPy's seeded draws
 * (np.random.seed(S + i); randn, or randint(0, V) for token ids).
 * @throws ShapeError, ConfigError for inputs that do not fit the model or --batch
 */
export function inputSources(model: GraphModel, options: Pick<ModelCheckOptions, 'inputs' | 'inputSources' | 'seed' | 'batch' | 'timeSteps'>): SampleSource[] {
  const given = options.inputSources ?? options.inputs?.map(arraySource);
  if (given) {
    if (given.length !== model.inputs.length) {
      throw new ShapeError(`inputs: expected ${model.inputs.length} (${model.inputs.map((i) => i.name).join(', ')}), got ${given.length}`);
    }
    const batches = new Set(given.map((x) => x.shape[0]));
    if (options.batch !== undefined && !batches.has(options.batch)) {
      throw new ConfigError(`--batch: expected ${[...batches].join(' or ')} (the input's first dimension), got ${options.batch}`);
    }
    return given.map((source, i) => {
      const input = model.inputs[i];
      checkInputShape(input.name, source.shape, input.shape);
      // Integer ids stay exact (Float64Array); float inputs are rounded once to float32, as Keras's predict casts them.
      return checkedSource(source, `input "${input.name}" (as float32, as both paths read it)`, input.dtype === 'int32' ? 'ids' : 'float32');
    });
  }
  return model.inputs.map((input, i) => {
    const shape = seededShape(input, options);
    if (input.dtype === 'int32') {
      return checkedSource(seededSource(options.seed + i, shape, { low: 0, high: tokenRange(model, input.name) }), `input "${input.name}"`, 'ids');
    }
    return checkedSource(seededSource(options.seed + i, shape), `input "${input.name}"`, 'float32');
  });
}

/** The inputs both paths read, whole: the given ones, or seeded draws; float32 values (or integer ids) either way. */
export function checkInputs(model: GraphModel, options: Pick<ModelCheckOptions, 'inputs' | 'seed' | 'batch' | 'timeSteps'>): NdArray[] {
  return inputSources(model, options).map((source) => source.read(0, source.shape[0]));
}
