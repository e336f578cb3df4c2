/** Small helpers for reading the JSON of Keras and tfjs model configs. */

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** 'float32' from "float32" or a DTypePolicy {"class_name": "DTypePolicy", "config": {"name": "float32"}}. */
export function dtypeName(dtype: unknown): string | undefined {
  if (typeof dtype === 'string') return dtype;
  if (isObject(dtype) && isObject(dtype.config) && typeof dtype.config.name === 'string') return dtype.config.name;
  return undefined;
}
