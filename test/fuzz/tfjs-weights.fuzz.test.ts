/**
 * Hostile tfjs artifacts: DIR/model.json and DIR/weights.bin through loadModelArtifacts and the CLI's
 * --weights DIR. Each must get a ConfigError or FileFormatError (exit code 2) with a one-line message
 * within a second. The valid model is saved by the tool itself (SimpleRNN(5) + Dense(2), 228 bytes of
 * weights); every hostile case is made from it here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { selectBackend } from '../../src/backends';
import { runCheck } from '../../src/check';
import { FileFormatError } from '../../src/errors';
import { MAX_JSON_DEPTH } from '../../src/io/json';
import { loadModelArtifacts, MAX_MODEL_JSON_BYTES } from '../../src/io/model-artifacts';
import { validateSpec } from '../../src/spec';
import {
  asyncRefusal,
  expectCliRefusal,
  expectTypedOneLine,
  expectWithinBudget,
  fuzzRuns,
  samplePrefixLengths,
  startTimer,
  temporaryDirectory,
} from './helpers';
import { runCli } from '../helpers/run-cli';

let root: ReturnType<typeof temporaryDirectory>;
let validJson: string;
let validBin: Buffer;
let counter = 0;

beforeAll(async () => {
  root = temporaryDirectory('tfjs-fuzz');
  const dir = path.join(root.dir, 'valid');
  await runCheck({ spec: validateSpec({}), seed: 42, backend: 'cpu', precision: 'float64', saveWeightsDir: dir });
  validJson = fs.readFileSync(path.join(dir, 'model.json'), 'utf8');
  validBin = fs.readFileSync(path.join(dir, 'weights.bin'));
  await selectBackend('cpu');
});
afterAll(() => root.remove());

/** A fresh model directory holding `json` (text or a value) and `bin`. */
function modelDir(json: string | unknown = validJson, bin: Uint8Array = validBin): string {
  const dir = path.join(root.dir, `case-${counter++}`);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'model.json'), typeof json === 'string' ? json : JSON.stringify(json));
  fs.writeFileSync(path.join(dir, 'weights.bin'), bin);
  return dir;
}

/** model.json parsed, for editing. */
const modelJson = (): any => JSON.parse(validJson);

/** The SimpleRNN's entry in a parsed model.json (after the Sequential's InputLayer). */
const recurrentLayer = (json: any): any => json.modelTopology.config.layers.find((l: { class_name: string }) => l.class_name === 'SimpleRNN');

/** Loads, disposing what loads; the refusal checks are the caller's. */
async function load(dir: string): Promise<void> {
  const { model } = await loadModelArtifacts(dir);
  model.dispose();
}

test('the valid model loads (the cases below differ from it in one thing each)', async () => {
  await load(modelDir());
  expect(validBin.length).toBe(228);
});

describe('truncated files', () => {
  test('every prefix of weights.bin is refused, naming both byte counts', async () => {
    for (let length = 0; length < validBin.length; length++) {
      const dir = modelDir(validJson, validBin.subarray(0, length));
      const error = await asyncRefusal(() => load(dir), `weights.bin cut to ${length}`);
      expect(error.message).toBe(`${dir}: expected 228 bytes of weights for the manifest, got ${length}`);
    }
  });

  test('a longer weights.bin is refused before it is read whole', async () => {
    const dir = modelDir(validJson, Buffer.concat([validBin, Buffer.alloc(4)]));
    expect((await asyncRefusal(() => load(dir))).message).toBe(`${path.join(dir, 'weights.bin')}: expected at most 228 bytes, got 232`);
  });

  test('prefixes of model.json are refused (300 of the ~2000 lengths, seeded, with the first and last few)', async () => {
    const dir = modelDir();
    const file = path.join(dir, 'model.json');
    const whole = validJson.trimEnd().length; // the trailing newline is not needed
    for (const length of samplePrefixLengths(whole, 300, 7)) {
      fs.writeFileSync(file, validJson.slice(0, length));
      const error = await asyncRefusal(() => load(dir), `model.json cut to ${length}`);
      expect(error).toBeInstanceOf(FileFormatError);
      expect(error.message).toMatch(/^.*model\.json: expected (JSON, got a parse error|tfjs model\.json with modelTopology and weightsManifest, got)/);
    }
  });
});

describe('NaN and Inf in the weights: refused as bad input (exit 2), naming the weight and the element', () => {
  test.each([
    ['NaN', 0, 'weight 0 "simple_rnn/kernel"', 0],
    ['Infinity', 15, 'weight 1 "simple_rnn/recurrent_kernel"', 0],
    ['-Infinity', 56, 'weight 4 "dense/bias"', 1],
    ['NaN', 49, 'weight 3 "dense/kernel"', 4],
  ])('%s at value %i', async (value, at, weight, element) => {
    const bin = Buffer.from(validBin);
    bin.writeFloatLE(Number(value), 4 * at);
    const dir = modelDir(validJson, bin);
    expect((await asyncRefusal(() => load(dir))).message).toBe(
      `${path.join(dir, 'model.json')}: ${weight}: expected finite values (NaN or Inf can never pass a check), got ${value} at element ${element}`,
    );
  });

  test('an all-NaN weights.bin through the CLI: exit 2, one line, never PASS', async () => {
    const bin = Buffer.alloc(validBin.length);
    for (let i = 0; i < bin.length; i += 4) bin.writeUInt32LE(0x7fc00000, i);
    const run = await runCli(['--weights', modelDir(validJson, bin), '--backend', 'cpu']);
    expectCliRefusal(run, 'layer 1 "simple_rnn" (SimpleRNN) kernel: expected finite values (NaN or Inf can never pass a check), got NaN at [0,0]');
  });

  test('finite but huge weights are not refused: their overflow is a result, FAIL with exit 1', async () => {
    const bin = Buffer.from(validBin);
    for (let i = 0; i < 15; i++) bin.writeFloatLE(3e38, 4 * i); // the SimpleRNN kernel
    const run = await runCli(['--weights', modelDir(validJson, bin), '--backend', 'cpu', '--json']);
    const report = JSON.parse(run.stdout);
    expect(run.exitCode).toBe(report.pass ? 0 : 1);
    // tanh saturates, so this one may well pass; what matters is that nothing non-finite can.
    if (report.report.nonFinite.actual + report.report.nonFinite.expected > 0) expect(report.pass).toBe(false);
  });
});

describe('the weights manifest', () => {
  const edit = (change: (json: any) => void) => {
    const json = modelJson();
    change(json);
    return json;
  };
  const spec0 = (json: any) => json.weightsManifest[0].weights[0];

  test.each<[string, (json: any) => void, string | RegExp]>([
    [
      'a null group',
      (j) => {
        j.weightsManifest = [null];
      },
      'expected weightsManifest groups with paths and weights, got null',
    ],
    [
      'a group without paths',
      (j) => {
        delete j.weightsManifest[0].paths;
      },
      'expected weightsManifest groups with paths and weights, got {"weights":',
    ],
    [
      'a null manifest entry',
      (j) => {
        j.weightsManifest[0].weights[0] = null;
      },
      'weight 0: expected a manifest entry {name, shape, dtype}, got null',
    ],
    [
      'a number as a path',
      (j) => {
        j.weightsManifest[0].paths = [7];
      },
      'expected weight file paths as strings, got 7',
    ],
    [
      'a path outside the directory',
      (j) => {
        j.weightsManifest[0].paths = ['../valid/weights.bin'];
      },
      'expected weight files inside',
    ],
    [
      'an absolute path',
      (j) => {
        j.weightsManifest[0].paths = ['/etc/passwd'];
      },
      'expected weight files inside',
    ],
    [
      'the directory itself as a path',
      (j) => {
        j.weightsManifest[0].paths = ['.'];
      },
      'expected weight files inside',
    ],
    [
      'a missing weight file',
      (j) => {
        j.weightsManifest[0].paths = ['other.bin'];
      },
      /weights: expected a file at .*other\.bin, got none/,
    ],
    [
      'dtype int32',
      (j) => {
        spec0(j).dtype = 'int32';
      },
      'weight 0 "simple_rnn/kernel": expected dtype float32, got "int32"',
    ],
    [
      'dtype float16',
      (j) => {
        spec0(j).dtype = 'float16';
      },
      'expected dtype float32, got "float16"',
    ],
    [
      'dtype as an object',
      (j) => {
        spec0(j).dtype = { toString: 'float32' };
      },
      'expected dtype float32, got {"toString":"float32"}',
    ],
    [
      'quantized weights',
      (j) => {
        spec0(j).quantization = { dtype: 'uint8', scale: 1, min: 0 };
      },
      'expected unquantized weights, got quantization {"dtype":"uint8","scale":1,"min":0}',
    ],
    [
      'a negative dimension',
      (j) => {
        spec0(j).shape = [-3, -5];
      },
      'expected a shape of non-negative integers, got [-3,-5]',
    ],
    [
      'a fractional dimension',
      (j) => {
        spec0(j).shape = [1.5, 10];
      },
      'expected a shape of non-negative integers, got [1.5,10]',
    ],
    [
      'a string dimension',
      (j) => {
        spec0(j).shape = ['3', 5];
      },
      'expected a shape of non-negative integers, got ["3",5]',
    ],
    [
      'a shape that is not a list',
      (j) => {
        spec0(j).shape = 15;
      },
      'expected a shape of non-negative integers, got 15',
    ],
    [
      'a dimension past 2^53',
      (j) => {
        spec0(j).shape = [2 ** 60, 1];
      },
      'expected a shape of non-negative integers, got [1152921504606847000,1]',
    ],
    [
      '2^40 x 2^40 weights',
      (j) => {
        spec0(j).shape = [2 ** 40, 2 ** 40];
      },
      'expected at most 1073741824 bytes of weights in all, got more',
    ],
    [
      '2^28 + 1 floats',
      (j) => {
        spec0(j).shape = [2 ** 28 + 1];
      },
      'expected at most 1073741824 bytes of weights in all',
    ],
    [
      'a weight name with a newline',
      (j) => {
        spec0(j).name = 'kernel\nat Object.<anonymous>';
        spec0(j).dtype = 'int8';
      },
      'weight 0 "kernel\\nat Object.<anonymous>": expected dtype float32',
    ],
    [
      'a 100 KB weight name',
      (j) => {
        spec0(j).name = 'k'.repeat(100000);
        spec0(j).dtype = 'int8';
      },
      /weight 0 "k+\.\.\.: expected dtype float32, got "int8"$/,
    ],
  ])('%s', async (_what, change, message) => {
    const error = await asyncRefusal(() => load(modelDir(edit(change))));
    if (typeof message === 'string') expect(error.message).toContain(message);
    else expect(error.message).toMatch(message);
    expect(error.message.length).toBeLessThan(600);
  });

  test('huge JSON numbers in the text (1e400 parses as Infinity) are refused, and named as written', async () => {
    const text = validJson.replace('"shape":[3,5]', '"shape":[1e400,5]');
    expect(text).not.toBe(validJson);
    expect((await asyncRefusal(() => load(modelDir(text)))).message).toContain('expected a shape of non-negative integers, got [Infinity,5]');
    const digits = validJson.replace('"shape":[3,5]', `"shape":[${'9'.repeat(400)},5]`);
    expect((await asyncRefusal(() => load(modelDir(digits)))).message).toContain('got [Infinity,5]');
  });

  test('weights.bin listed 10 000 times reads no more than the manifest needs', async () => {
    const json = modelJson();
    json.weightsManifest[0].paths = Array(10000).fill('./weights.bin');
    const error = await asyncRefusal(() => load(modelDir(json)));
    expect(error.message).toMatch(/weights\.bin: expected at most 0 bytes, got 228$/);
  });
});

describe('model.json as text', () => {
  test(`nested deeper than ${MAX_JSON_DEPTH} (10^5 brackets): refused before JSON.parse`, async () => {
    const deep = `{"modelTopology": ${'['.repeat(100000)}${']'.repeat(100000)}, "weightsManifest": []}`;
    expect((await asyncRefusal(() => load(modelDir(deep)))).message).toMatch(
      new RegExp(`model\\.json: expected JSON nested at most ${MAX_JSON_DEPTH} deep, got deeper$`),
    );
  });

  test('brackets inside strings do not count as nesting', async () => {
    const json = modelJson();
    json.userDefinedMetadata = { note: '['.repeat(1000) };
    await load(modelDir(json));
  });

  test('deep nesting inside the topology that passes the depth check is still refused as a model', async () => {
    const json = modelJson();
    let nested: unknown = 1;
    for (let i = 0; i < MAX_JSON_DEPTH - 8; i++) nested = { config: nested };
    recurrentLayer(json).config.kernel_initializer = nested;
    const error = await asyncRefusal(() => load(modelDir(json)));
    expect(error.message).toMatch(/model\.json: expected a tfjs layers model, got an error building it/);
  });

  test(`over ${MAX_MODEL_JSON_BYTES} bytes: refused before it is read`, async () => {
    const json = `${validJson.trimEnd()}${' '.repeat(MAX_MODEL_JSON_BYTES)}`;
    expect((await asyncRefusal(() => load(modelDir(json)))).message).toMatch(
      new RegExp(`model\\.json: expected at most ${MAX_MODEL_JSON_BYTES} bytes, got ${json.length}$`),
    );
  });

  test.each([
    ['null', 'expected tfjs model.json with modelTopology and weightsManifest, got null'],
    ['[]', 'got []'],
    ['"model"', 'got "model"'],
    ['1e999', 'got Infinity'],
    ['{}', 'got keys []'],
    ['{"modelTopology": null, "weightsManifest": []}', 'got keys ["modelTopology","weightsManifest"]'],
    ['{"modelTopology": [], "weightsManifest": []}', 'got keys ["modelTopology","weightsManifest"]'],
    ['{"modelTopology": {}, "weightsManifest": {}}', 'got keys ["modelTopology","weightsManifest"]'],
  ])('%s', async (text, message) => {
    expect((await asyncRefusal(() => load(modelDir(text)))).message).toContain(message);
  });

  test('a topology that is not a model: refused as such', async () => {
    for (const topology of [{}, { class_name: 'Bogus', config: {} }, { class_name: 'Sequential', config: { layers: 'x' } }]) {
      const json = modelJson();
      json.modelTopology = topology;
      const error = await asyncRefusal(() => load(modelDir(json)), JSON.stringify(topology));
      expect(error.message).toMatch(/model\.json: expected a tfjs layers model, got an error building it \(/);
    }
  });

  test.each<[string, unknown]>([
    ['units 1e9', 1e9],
    ['units 2^31', 2 ** 31],
    ['units 20000 (a 1.6 GB recurrent kernel if it were built)', 20000],
    ['units -5', -5],
    ['units 0', 0],
    ['units "5"', '5'],
    ['units null', null],
  ])('absurd layer sizes in the topology (%s): refused quickly, nothing huge allocated', async (_what, units) => {
    const json = modelJson();
    recurrentLayer(json).config.units = units;
    const before = process.memoryUsage().rss;
    await asyncRefusal(() => load(modelDir(json)));
    expect(process.memoryUsage().rss - before).toBeLessThan(256 * 2 ** 20);
  });

  test('an absurd input shape is refused at the spec (after loading), naming the limit', async () => {
    const json = modelJson();
    json.modelTopology.config.layers[0].config.batch_input_shape = [null, 1e9, 3];
    const run = await runCli(['--weights', modelDir(json), '--backend', 'cpu']);
    expectCliRefusal(run, 'batch_input_shape = [null,1000000000,3]: expected sizes from 1 to 16777216 or None');
  });
});

describe('random JSON values anywhere in model.json (seeded fast-check)', () => {
  /** Every path to a value in `value`, e.g. ['modelTopology', 'config', 'layers', 0, 'config', 'units']. */
  function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
    if (typeof value !== 'object' || value === null) return [prefix];
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
    return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
  }
  test('a value at one of the ~100 paths replaced: a typed one-line error or a model, within a second', async () => {
    const allPaths = paths(modelJson()).filter((p) => p.length > 0);
    const replacement = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.constantFrom(null, 0, -1, 1e308, -1e308, 2 ** 53, 'float32', 'NaN', [], {}, [null], [1e9, 1e9], 'Dense', 'LSTM'),
    );
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: allPaths.length - 1 }), replacement, async (which, value) => {
        const json = modelJson();
        const at = allPaths[which];
        let parent = json;
        for (const key of at.slice(0, -1)) parent = parent[key];
        parent[at[at.length - 1]] = value;
        const start = startTimer();
        let outcome = 'loaded';
        try {
          await load(modelDir(json));
        } catch (error) {
          expectTypedOneLine(error, `${at.join('.')} = ${JSON.stringify(value)}`);
          outcome = (error as Error).name;
        }
        expectWithinBudget(start, `${at.join('.')} = ${JSON.stringify(value)}`);
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }),
      fuzzRuns(150),
    );
    expect(outcomes.get('FileFormatError')).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBeLessThan(1000);
  });
});

describe('random weights.bin of the right length (seeded)', () => {
  test('loads, or is refused naming a NaN or Inf (about 1 float32 bit pattern in 256 is one)', async () => {
    const outcomes = new Map<string, number>();
    const dir = modelDir();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: validBin.length, maxLength: validBin.length }), async (bin) => {
        fs.writeFileSync(path.join(dir, 'weights.bin'), bin);
        const start = startTimer();
        let outcome = 'loaded';
        try {
          await load(dir);
        } catch (error) {
          expectTypedOneLine(error, 'random weights.bin');
          expect((error as Error).message).toMatch(/expected finite values \(NaN or Inf can never pass a check\), got (NaN|-?Infinity) at element \d+$/);
          outcome = 'refused';
        }
        expectWithinBudget(start, 'random weights.bin');
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }),
      fuzzRuns(60),
    );
    expect([...outcomes.keys()].sort()).toEqual(['loaded', 'refused']);
  });
});

describe('what is not a file', () => {
  test('a missing directory, model.json as a directory, weights.bin as a directory or a FIFO', async () => {
    await expect(load(path.join(root.dir, 'no-such-dir'))).rejects.toThrow(
      `weights: expected a file at ${path.join(root.dir, 'no-such-dir', 'model.json')}, got none`,
    );

    const jsonIsDir = path.join(root.dir, 'json-is-dir');
    fs.mkdirSync(path.join(jsonIsDir, 'model.json'), { recursive: true });
    expect((await asyncRefusal(() => load(jsonIsDir))).message).toBe(`${path.join(jsonIsDir, 'model.json')}: expected a regular file, got a directory`);

    const binIsDir = modelDir();
    fs.rmSync(path.join(binIsDir, 'weights.bin'));
    fs.mkdirSync(path.join(binIsDir, 'weights.bin'));
    expect((await asyncRefusal(() => load(binIsDir))).message).toBe(`${path.join(binIsDir, 'weights.bin')}: expected a regular file, got a directory`);

    const fifo = modelDir();
    fs.rmSync(path.join(fifo, 'model.json'));
    execFileSync('mkfifo', [path.join(fifo, 'model.json')]);
    const start = startTimer();
    const run = await runCli(['--weights', fifo, '--backend', 'cpu']);
    expectWithinBudget(start, 'a FIFO as model.json');
    expectCliRefusal(run, `${path.join(fifo, 'model.json')}: expected a regular file, got a FIFO`);
  });

  test('--weights naming a file that is no model (the shard itself): refused by its first bytes', async () => {
    const dir = modelDir();
    const run = await runCli(['--weights', path.join(dir, 'weights.bin'), '--backend', 'cpu']);
    expectCliRefusal(
      run,
      /weights\.bin: expected a \.keras zip, a legacy \.h5 or \.weights\.h5 \(HDF5\), a tfjs model\.json, or a folder holding model\.json or model\.keras .*, got [0-9a-f ]+$/m,
    );
  });
});
