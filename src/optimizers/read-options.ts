/**
 * Spec checking for createOptimizer: every field is read once, checked, and given its form's default. Each failure
 * is a one-line ConfigError "<where>: <field>: expected X, got Y" naming the value received.
 */
import { ConfigError } from '../errors';
import { defaultsFor, OPTION_NAMES } from './defaults';
import {
  OPTIMIZER_FORMS,
  OPTIMIZER_NAMES,
  OPTIMIZER_PRECISIONS,
  type OptimizerForm,
  type OptimizerName,
  type OptimizerPrecision,
  type ResolvedOptimizerConfig,
} from './types';

/** A spec that passed the checks: name, form, precision and every hyperparameter known. */
interface ResolvedSpec {
  readonly form: OptimizerForm;
  readonly precision: OptimizerPrecision;
  readonly config: ResolvedOptimizerConfig;
}

const COMMON_FIELDS = ['name', 'form', 'precision'];

/**
 * Checks a spec (from code or from a CLI: any object) and fills in the form's defaults.
 * @throws ConfigError naming the field and the value received, for an unknown name, form, precision or option, a
 *   missing learning rate the form has no default for, or a value out of range
 */
export function resolveOptimizerSpec(spec: unknown): ResolvedSpec {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw new ConfigError(`optimizer: expected an object { name, form, ...options }, got ${describeValue(spec)}`);
  }
  const fields = spec as Record<string, unknown>;
  const name = oneOf('optimizer: name', fields.name, OPTIMIZER_NAMES);
  const form = oneOf(`${name}: form`, fields.form, OPTIMIZER_FORMS);
  const precision = fields.precision === undefined ? 'float64' : oneOf(`${name}: precision`, fields.precision, OPTIMIZER_PRECISIONS);
  const where = `${name} (${form} form)`;
  const allowed = [...COMMON_FIELDS, ...OPTION_NAMES[name], ...(name === 'adam' ? ['amsgrad'] : [])];
  for (const key of Object.keys(fields)) {
    if (!allowed.includes(key)) throw new ConfigError(`${where}: expected options among ${allowed.join(', ')}, got unknown option "${key}"`);
  }
  const read = new FieldReader(where, fields, name, defaultsFor(form)[name]);
  return { form, precision, config: readConfig(name, read) };
}

function readConfig(name: OptimizerName, read: FieldReader): ResolvedOptimizerConfig {
  switch (name) {
    case 'adam':
      // AMSGrad (Keras's amsgrad=True; tfjs has none) is not implemented: accepted only as false.
      if (read.fields.amsgrad !== undefined && read.fields.amsgrad !== false) {
        throw new ConfigError(`${read.where}: amsgrad: expected false (AMSGrad is not implemented), got ${describeValue(read.fields.amsgrad)}`);
      }
      return {
        name,
        learningRate: read.learningRate(),
        beta1: read.number('beta1', 'a number in [0, 1)', (x) => x >= 0 && x < 1),
        beta2: read.number('beta2', 'a number in [0, 1)', (x) => x >= 0 && x < 1),
        epsilon: read.number('epsilon', 'a finite number >= 0', (x) => x >= 0),
      };
    case 'sgd':
      return {
        name,
        learningRate: read.learningRate(),
        // Keras's own check: "`momentum` must be a float between [0, 1]".
        momentum: read.number('momentum', 'a number in [0, 1]', (x) => x >= 0 && x <= 1),
        nesterov: read.boolean('nesterov'),
      };
    case 'rmsprop':
      return {
        name,
        learningRate: read.learningRate(),
        rho: read.number('rho', 'a number in [0, 1)', (x) => x >= 0 && x < 1),
        momentum: read.number('momentum', 'a number in [0, 1]', (x) => x >= 0 && x <= 1),
        epsilon: read.number('epsilon', 'a finite number >= 0', (x) => x >= 0),
        centered: read.boolean('centered'),
      };
  }
}

/** Reads one optimizer's fields, each falling back to its form's default. */
class FieldReader {
  constructor(
    readonly where: string,
    readonly fields: Readonly<Record<string, unknown>>,
    private readonly name: OptimizerName,
    private readonly defaults: Readonly<Record<string, number | boolean | undefined>>,
  ) {}

  learningRate(): number {
    if (this.fields.learningRate === undefined && this.defaults.learningRate === undefined) {
      const noDefault = this.name === 'rmsprop' ? 'tf.train.rmsprop has no default' : 'tf.train.sgd and tf.train.momentum have no default';
      throw new ConfigError(`${this.where}: learningRate: expected a finite number > 0 (${noDefault}), got undefined`);
    }
    return this.number('learningRate', 'a finite number > 0', (x) => x > 0);
  }

  number(key: string, expected: string, inRange: (x: number) => boolean): number {
    const value = this.fields[key] === undefined ? this.defaults[key] : this.fields[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || !inRange(value)) {
      throw new ConfigError(`${this.where}: ${key}: expected ${expected}, got ${describeValue(value)}`);
    }
    return value;
  }

  boolean(key: string): boolean {
    const value = this.fields[key] === undefined ? this.defaults[key] : this.fields[key];
    if (typeof value !== 'boolean') throw new ConfigError(`${this.where}: ${key}: expected true or false, got ${describeValue(value)}`);
    return value;
  }
}

function oneOf<T extends string>(what: string, value: unknown, choices: readonly T[]): T {
  if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(`${what}: expected one of ${choices.join(', ')}, got ${describeValue(value)}`);
}

/** A value as a message shows it: JSON where it can (strings quoted), else its String form (NaN, Infinity, undefined). */
function describeValue(value: unknown): string {
  if (typeof value === 'number' || value === undefined || typeof value === 'bigint' || typeof value === 'function') return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
