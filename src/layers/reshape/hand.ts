/** Reshape on the hand path: the same values, a new shape. Plain TypeScript. */
import { ShapeError } from '../../errors';
import type { HandTensor } from '../kind';
import type { ReshapeConfig } from '.';

function formatShape(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => d ?? 'None').join(', ')}]`;
}

/**
 * The per-sample shape with the -1 resolved for `count` values per sample (null: unknown, the -1 stays null).
 * @throws ShapeError when the counts cannot match
 */
export function resolveTargetShape(targetShape: readonly number[], count: number | null): (number | null)[] {
  const unknown = targetShape.indexOf(-1);
  const known = targetShape.reduce((a, d) => (d === -1 ? a : a * d), 1);
  if (count === null) return targetShape.map((d) => (d === -1 ? null : d));
  if (unknown < 0) {
    if (known !== count) throw new ShapeError(`Reshape: expected ${known} values per sample for target_shape ${formatShape(targetShape)}, got ${count}`);
    return [...targetShape];
  }
  if (count % known !== 0) {
    throw new ShapeError(`Reshape: expected a multiple of ${known} values per sample for target_shape ${formatShape(targetShape)}, got ${count}`);
  }
  return targetShape.map((d) => (d === -1 ? count / known : d));
}

/**
 * @param input [batch, ...]
 * @returns [batch, ...targetShape] (the -1 resolved), sharing the input's data (never written to)
 * @throws ShapeError when the input's values per sample do not fit target_shape
 */
export function reshapeForward(config: ReshapeConfig, input: HandTensor): HandTensor {
  const batch = input.shape[0];
  const count = input.shape.slice(1).reduce((a, b) => a * b, 1);
  return { shape: [batch, ...(resolveTargetShape(config.targetShape, count) as number[])], data: input.data };
}
