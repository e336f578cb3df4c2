/**
 * jest matchers for users' own tests: a tfjs LayersModel against the hand path (the same model read from its own
 * serialization and computed in plain TypeScript, float64), or against Keras's output for the same input.
 *
 *   import { parityMatchers } from 'rnn-parity/jest';
 *   expect.extend(parityMatchers);
 *   await expect(model).toMatchHandPath({ input: x });
 *   await expect(model).toMatchKeras('keras-output.npy', { input: x });
 *
 * The model's own predict is the layer path (not a rebuilt copy), so the check is of the model under test. The
 * tolerance is rnn-parity's default for the model (README "Tolerances"), or the one given. A failure names the
 * worst element: its output, sample, time step and unit, both values and the difference.
 */
import type * as tf from '@tensorflow/tfjs';
import { compareOutputs, formatIndex, type ParityReport, type Tolerance } from '../compare/compare';
import { ConfigError, ShapeError } from '../errors';
import { graphFromTfjsModel } from '../formats/tfjs-model';
import { forwardGraph } from '../graph/hand-forward';
import type { GraphModel } from '../graph/model';
import { predictGraph } from '../graph/tfjs-model';
import { graphTolerance } from '../graph/tolerance';
import { readNpyFile } from '../io/npy';
import { formatShape, type NdArray } from '../tensor';

/** An input: host arrays ({shape, data}) or tfjs tensors; one per model input (a single one for one input). */
type InputValue = NdArray | tf.Tensor;

export interface ParityMatcherOptions {
  readonly input: InputValue | readonly InputValue[];
  /** Missing fields take the model's default (graphTolerance). */
  readonly tolerance?: Partial<Tolerance>;
}

interface MatcherResult {
  pass: boolean;
  message: () => string;
}

function isTensor(value: InputValue): value is tf.Tensor {
  return typeof (value as tf.Tensor).dataSync === 'function';
}

function hostArrays(input: ParityMatcherOptions['input']): NdArray[] {
  const list = Array.isArray(input) ? (input as readonly InputValue[]) : [input as InputValue];
  return list.map((value) => (isTensor(value) ? { shape: value.shape.slice(), data: Float32Array.from(value.dataSync()) } : value));
}

function isLayersModel(value: unknown): value is tf.LayersModel {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as tf.LayersModel).predict === 'function' &&
    typeof (value as tf.LayersModel).toJSON === 'function'
  );
}

/** The model under test read as a GraphModel, its predict on `inputs`, and the tolerance to judge by. */
function setUp(
  received: unknown,
  options: ParityMatcherOptions,
  matcher: string,
): { graph: GraphModel; inputs: NdArray[]; layer: NdArray[]; tolerance: Tolerance } {
  if (!isLayersModel(received)) throw new ConfigError(`${matcher}: expected a tfjs LayersModel, got ${received === null ? 'null' : typeof received}`);
  if (options === undefined || options.input === undefined) throw new ConfigError(`${matcher}: expected { input }, got no input`);
  const graph = graphFromTfjsModel(received, 'the model under test');
  const inputs = hostArrays(options.input);
  const layer = predictGraph(received, inputs, graph.inputs);
  return { graph, inputs, layer, tolerance: { ...graphTolerance(graph), ...options.tolerance } };
}

/** "output "dense" (sample 3, step 5, unit 1): tfjs 0.1234567, hand path 0.1234501, |diff| 6.6e-6" */
function describeWorst(output: string, report: ParityReport, actualName: string, expectedName: string): string {
  if (!report.shapeMatch)
    return `output "${output}": shape ${formatShape(report.actualShape)} (${actualName}) vs ${formatShape(report.expectedShape)} (${expectedName})`;
  if (report.worstIndex === null) return `output "${output}": nothing compared`;
  const diff = Math.abs(report.worstActual - report.worstExpected);
  return (
    `output "${output}" ${formatIndex(report.worstIndex)}: ${actualName} ${report.worstActual}, ${expectedName} ${report.worstExpected}, ` +
    `|diff| ${diff.toExponential(2)}; ${report.overTolerance} of ${report.elements} over atol ${report.tolerance.atol.toExponential(2)} + rtol ${report.tolerance.rtol.toExponential(2)}*|ref|`
  );
}

function verdict(
  matcher: string,
  graph: GraphModel,
  reports: readonly { output: string; report: ParityReport; actualName: string; expectedName: string }[],
): MatcherResult {
  const failed = reports.filter((r) => !r.report.pass);
  const pass = failed.length === 0;
  const shown = pass ? reports : failed;
  const worst = shown.map((r) => `  ${describeWorst(r.output, r.report, r.actualName, r.expectedName)}`).join('\n');
  return {
    pass,
    message: () =>
      pass
        ? `expect(model).not.${matcher}: every output agrees within tolerance, the worst elements:\n${worst}`
        : `expect(model).${matcher}: ${failed.length} of ${reports.length} comparisons over tolerance (${graph.layers.length} layers):\n${worst}`,
  };
}

/**
 * The model's predict against the hand path (float64) on `input`.
 * @throws ConfigError for a received value that is not a LayersModel, or no input; UnsupportedModelError for a
 *   model outside the registry (every blocker named)
 */
async function toMatchHandPath(received: unknown, options: ParityMatcherOptions): Promise<MatcherResult> {
  const { graph, inputs, layer, tolerance } = setUp(received, options, 'toMatchHandPath');
  const hand = forwardGraph(graph, inputs, 'float64');
  return verdict(
    'toMatchHandPath',
    graph,
    graph.outputs.map((output, i) => ({ output, report: compareOutputs(layer[i], hand[i], tolerance), actualName: 'tfjs', expectedName: 'hand path' })),
  );
}

/**
 * The model's predict, and the hand path, against Keras's output for `input` (a .npy path or an array; one per
 * model output).
 * @throws ConfigError, ShapeError for expected outputs that do not fit (count); fs errors for a missing .npy
 */
async function toMatchKeras(
  received: unknown,
  expected: string | NdArray | readonly (string | NdArray)[],
  options: ParityMatcherOptions,
): Promise<MatcherResult> {
  const { graph, inputs, layer, tolerance } = setUp(received, options, 'toMatchKeras');
  const list = (Array.isArray(expected) ? expected : [expected]) as readonly (string | NdArray)[];
  const keras = list.map((e) => (typeof e === 'string' ? readNpyFile(e) : e));
  if (keras.length !== graph.outputs.length) {
    throw new ShapeError(`toMatchKeras: expected ${graph.outputs.length} Keras outputs (${graph.outputs.join(', ')}), got ${keras.length}`);
  }
  const hand = forwardGraph(graph, inputs, 'float64');
  return verdict(
    'toMatchKeras',
    graph,
    graph.outputs.flatMap((output, i) => [
      { output, report: compareOutputs(layer[i], keras[i], tolerance), actualName: 'tfjs', expectedName: 'Keras' },
      { output, report: compareOutputs(hand[i], keras[i], tolerance), actualName: 'hand path', expectedName: 'Keras' },
    ]),
  );
}

/** The matchers, for `expect.extend(parityMatchers)`. */
export const parityMatchers = { toMatchHandPath, toMatchKeras };

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      /** The tfjs model's predict agrees with rnn-parity's hand path (float64) on options.input. */
      toMatchHandPath(options: ParityMatcherOptions): Promise<R>;
      /** The tfjs model's predict and the hand path agree with Keras's output(s) for options.input. */
      toMatchKeras(expected: string | NdArray | readonly (string | NdArray)[], options: ParityMatcherOptions): Promise<R>;
    }
  }
}
