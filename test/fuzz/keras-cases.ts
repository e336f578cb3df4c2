/**
 * The committed lstm case (LSTM(8) + Dense(3) on D=4, T=10) and hostile files made from it, shared by
 * the Keras fuzz suites: zips by test/fuzz/zip.ts, whose every field can lie; HDF5 files by editing bytes.
 * Hostile .keras bytes go through readKerasZip (what readModelFile calls for a zip); hostile bare
 * .weights.h5 bytes are written to a temporary file and read by readModelFile with the lstm's
 * architecture, the way the CLI reads one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { readKerasZip } from '../../src/formats/keras-model';
import { readModelFile } from '../../src/formats/read-model';
import { readArchitecture, type Architecture } from '../../src/graph/read-config';
import { Hdf5File } from '../../src/keras/hdf5';
import type { Blocker } from '../../src/layers/read-context';
import { temporaryDirectory } from './helpers';
import { makeZip, type ZipEntry, type ZipOptions } from './zip';

export const LSTM_DIR = path.resolve(__dirname, '../../models/keras/lstm');
export const KERAS_FILE = path.join(LSTM_DIR, 'model.keras');
export const FIXTURES = path.join(__dirname, 'fixtures');

export const whole = new Uint8Array(fs.readFileSync(KERAS_FILE));
export const members = unzipSync(whole);
export const configText = Buffer.from(members['config.json']).toString('utf8');
export const h5 = members['model.weights.h5'];

/** The lstm's architecture, read from its own config.json (no blockers), for its bare weights. */
const LSTM_ARCHITECTURE: Architecture = (() => {
  const blockers: Blocker[] = [];
  const architecture = readArchitecture(JSON.parse(configText), 'keras', blockers);
  if (blockers.length > 0) throw new Error(`the lstm case's config.json has blockers: ${JSON.stringify(blockers)}`);
  return architecture;
})();

/** The three members stored, in Keras's order, with `replace` swapped in. */
export function kerasZip(replace: Partial<Record<'metadata.json' | 'config.json' | 'model.weights.h5', Uint8Array | string>> = {}): Uint8Array {
  const entry = (name: 'metadata.json' | 'config.json' | 'model.weights.h5'): ZipEntry => {
    const value = replace[name] ?? members[name];
    return { name, data: typeof value === 'string' ? new Uint8Array(Buffer.from(value)) : value };
  };
  return makeZip([entry('metadata.json'), entry('config.json'), entry('model.weights.h5')]);
}

/** A zip built from entries that replace or add to the three members. */
export function zipWith(entries: (ZipEntry | 'metadata.json' | 'config.json' | 'model.weights.h5')[], options: ZipOptions = {}): Uint8Array {
  return makeZip(
    entries.map((e) => (typeof e === 'string' ? { name: e, data: members[e] } : e)),
    options,
  );
}

/** The label every hostile .keras is read under (error messages start with it). */
export const HOSTILE = 'hostile.keras';
export const readModel =
  (bytes: Uint8Array, label = HOSTILE) =>
  () =>
    readKerasZip(bytes, label);

/**
 * Reads bare .weights.h5 bytes from a file in a temporary folder through readModelFile (the content
 * decides the format: HDF5, then legacy full model or weights-only), with the lstm's architecture.
 * Call inside a describe: the folder lives from beforeAll to afterAll.
 */
export function bareWeightsReader(): { path: (name: string) => string; read: (bytes: Uint8Array, name: string) => () => unknown } {
  let tmp: ReturnType<typeof temporaryDirectory> | undefined;
  beforeAll(() => {
    tmp = temporaryDirectory('keras-weights-h5');
  });
  afterAll(() => tmp?.remove());
  const at = (name: string) => path.join((tmp as { dir: string }).dir, name);
  return {
    path: at,
    read: (bytes, name) => () => {
      fs.writeFileSync(at(name), bytes);
      return readModelFile(at(name), { architecture: LSTM_ARCHITECTURE });
    },
  };
}

/** A version 1.0 .npy holding only a header with `dict`. */
export function npyHeader(dict: string): Uint8Array {
  const headerLength = Math.ceil((10 + dict.length + 1) / 64) * 64 - 10;
  const out = Buffer.alloc(10 + headerLength, ' ');
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  out.writeUInt16LE(headerLength, 8);
  out.write(dict, 10, 'latin1');
  out[10 + headerLength - 1] = 0x0a;
  return new Uint8Array(out);
}

/** The lstm h5 with its kernel's value `at` (row-major in [4, 32]) set to `value`. */
export function withKernelValue(at: number, value: number): Uint8Array {
  const kernel = new Hdf5File(h5, 'lstm').readFloat32('layers/lstm/cell/vars/0', [4, 32]);
  const offset = Buffer.from(h5).indexOf(Buffer.from(kernel.buffer, kernel.byteOffset, kernel.byteLength));
  expect(offset).toBeGreaterThan(0);
  const bytes = h5.slice();
  new DataView(bytes.buffer).setFloat32(offset + 4 * at, value, true);
  return bytes;
}

/**
 * The lstm h5 with its root group's B-tree made `depth` levels deep, each node's two children the same
 * node one level down: 2^depth nodes to visit from a few hundred bytes. (h5py writes version-1 B-trees
 * of symbol-table nodes for groups: "TREE", type 0, level, entries used, siblings, then key/child pairs.)
 */
export function exponentialBTree(depth: number): Uint8Array {
  const root = Buffer.from(h5).indexOf('TREE');
  const view = new DataView(h5.buffer, h5.byteOffset, h5.byteLength);
  const leaf = Number(view.getBigUint64(root + 24 + 8, true)); // the root's one symbol-table node
  const node = (level: number, child: number) => {
    const out = Buffer.alloc(24 + 2 * 16 + 8);
    out.write('TREE', 0, 'latin1');
    out.writeUInt8(0, 4);
    out.writeUInt8(level, 5);
    out.writeUInt16LE(2, 6);
    out.writeBigUInt64LE(0xffffffffffffffffn, 8);
    out.writeBigUInt64LE(0xffffffffffffffffn, 16);
    out.writeBigUInt64LE(BigInt(child), 24 + 8);
    out.writeBigUInt64LE(BigInt(child), 24 + 16 + 8);
    return out;
  };
  const size = node(0, 0).length;
  const at = (level: number) => h5.length + (depth - 1 - level) * size;
  const appended = Array.from({ length: depth }, (_, i) => depth - 1 - i).map((level) => node(level, level > 0 ? at(level - 1) : leaf));
  const bytes = new Uint8Array(Buffer.concat([Buffer.from(h5), ...appended]));
  bytes.set(node(depth, at(depth - 1)), root);
  return bytes;
}
