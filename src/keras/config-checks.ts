/**
 * Small checks for reading Keras's config.json: each throws a typed error naming where it looked,
 * what it expected and what it got.
 */
import { ConfigError, FileFormatError } from '../errors';
import { previewJson } from '../io/json';

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** @throws FileFormatError when `value` is not a JSON object. */
export function objectAt(value: unknown, where: string): Json {
  if (!isObject(value)) throw new FileFormatError(`${where}: expected a JSON object, got ${previewJson(value)}`);
  return value;
}

/** `layer 1 "encoder" (LSTM)`: the index in config.json's layers, the user's name, the class. */
export function describeLayer(index: number, name: unknown, className: unknown): string {
  const plain = typeof className === 'string' && /^\w+$/.test(className);
  return `layer ${index} ${previewJson(name)} (${plain ? className : previewJson(className)})`;
}

/**
 * Checks a layer's options: each key in `fixed` must hold that value when present (the value is also
 * Keras's default, so an absent key is fine); any other key must be in `known`.
 * @throws ConfigError naming the key and the value found.
 */
export function optionTable(where: string, config: Json, known: readonly string[], fixed: Readonly<Record<string, unknown>>): void {
  for (const [key, value] of Object.entries(config)) {
    if (Object.hasOwn(fixed, key)) {
      const expected = fixed[key];
      const same = expected === null ? value === null : value === expected;
      if (!same) {
        throw new ConfigError(`${where} ${key}: expected ${JSON.stringify(expected)} (the only value both paths implement), got ${previewJson(value)}`);
      }
    } else if (!known.includes(key)) {
      throw new ConfigError(`${where} ${key}: expected only options rnn-parity understands, got ${key} = ${previewJson(value)}`);
    }
  }
}

/** @throws ConfigError when `value` is not an integer from 1 to `limit`. */
export function positiveInteger(where: string, value: unknown, limit: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > limit) {
    throw new ConfigError(`${where}: expected an integer from 1 to ${limit}, got ${previewJson(value)}`);
  }
  return value;
}

/** A size in a saved shape: null (any) or an integer from 1 to `limit`. */
export function numberOrNull(where: string, value: unknown, limit: number): number | null {
  return value === null ? null : positiveInteger(where, value, limit);
}

/** 'float32' from "float32" or a DTypePolicy {"class_name": "DTypePolicy", "config": {"name": "float32"}}. */
export function dtypeName(dtype: unknown): string | undefined {
  if (typeof dtype === 'string') return dtype;
  if (isObject(dtype) && isObject(dtype.config) && typeof dtype.config.name === 'string') return dtype.config.name;
  return undefined;
}

/** The key under which `value` sits: keyOf({ LSTM: 'lstm' }, 'lstm') -> 'LSTM'. */
export function keyOf<T>(table: Readonly<Record<string, T>>, value: T): string {
  return Object.keys(table).find((key) => table[key] === value) ?? String(value);
}
