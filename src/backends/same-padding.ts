/** TF's 'same' padding along one axis, as the tfjs gradient fixes rebuild it: [before, after]. */
export function samePadding(size: number, filter: number, stride: number): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + filter - size, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}
