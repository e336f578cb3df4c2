/**
 * Reading model.weights.h5: a small typed door onto jsfive, an HDF5 reader in plain JavaScript (NIST's
 * port of pyfive). Every failure of the reader, whatever it throws (RangeError on a truncated file, a
 * bare string on a bad signature), becomes one FileFormatError naming the file and the path inside it.
 *
 * Why jsfive and not h5wasm (the HDF5 C library compiled to WebAssembly): h5wasm 0.4-0.10 ship ES
 * modules only, which this CommonJS package and ts-jest can load only through an eval'd import() or
 * Node's experimental VM modules. jsfive has a CommonJS build, reads from memory, and needs no files
 * on disk. It is synchronous, so the whole read is bounded by the checks below: the file size is
 * bounded before it is read (src/keras/read.ts), and a dataset's shape is checked against the one
 * the config implies before its data is decoded.
 */
import { Dataset, File, Group } from 'jsfive';
import { FileFormatError, ShapeError } from '../errors';
import { formatShape, sizeOf } from '../tensor';
import { cpuMs, STRUCTURE_CALL_MS, STRUCTURE_TOTAL_MS, StructureTimeout, withCpuBudget } from './cpu-budget';

/** "\x89HDF\r\n\x1a\n": every HDF5 file without a user block starts with it (h5py writes none). */
const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** HDF5's attribute message type, and the variable-length datatype class (strings and sequences). */
const ATTRIBUTE_MSG_TYPE = 0x000c;
const VLEN_CLASS = 9;
/**
 * Largest attribute decoded: 1 MiB of stored values. HDF5 keeps attributes in the object header, at most
 * 64 KiB each (Keras splits longer lists into weight_names0, weight_names1, ...); a model_config is a
 * few KiB per layer.
 */
const MAX_ATTRIBUTE_BYTES = 2 ** 20;
const MAX_ATTRIBUTE_RANK = 32;

/** The part of jsfive's (internal) DataObjects that the attribute size check reads. */
interface JsfiveDataObjects {
  readonly fh: ArrayBuffer;
  find_msg_type(type: number): { get(key: 'offset_to_message'): number }[];
}

/** Fixed-length strings come back from jsfive with their NUL padding; HDF5 pads with NUL or ends with one. */
function stripNulPadding(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\0+$/, '');
  if (Array.isArray(value)) return value.map(stripNulPadding);
  return value;
}

function describeAttribute(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length}${value.length ? ` (first ${typeof value[0]})` : ''}`;
  return typeof value === 'string' ? 'a string' : `${typeof value} ${String(value).slice(0, 40)}`;
}

/** What one member of a group is, without decoding any data. */
type Hdf5MemberKind = 'group' | 'dataset';

/** A read-only HDF5 file held in memory. Paths are relative to the root: "layers/lstm/cell/vars/0". */
export class Hdf5File {
  private readonly root: File;
  private readonly byteLength: number;
  /** What is left of STRUCTURE_TOTAL_MS for this file. */
  private structureMsLeft = STRUCTURE_TOTAL_MS;
  /** members() and kindOf() by path: the file does not change, and each timed call costs about 0.2 ms. */
  private readonly memberCache = new Map<string, string[]>();
  private readonly kindCache = new Map<string, Hdf5MemberKind | null>();
  private readonly attributeCache = new Map<string, Record<string, unknown>>();

  /**
   * @param bytes the whole file
   * @param label how errors name the file, e.g. "model.keras: model.weights.h5"
   * @throws FileFormatError when the bytes are not an HDF5 file jsfive can open.
   */
  constructor(
    bytes: Uint8Array,
    private readonly label: string,
  ) {
    if (bytes.length < HDF5_SIGNATURE.length || !HDF5_SIGNATURE.every((b, i) => bytes[i] === b)) {
      const found = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
      throw new FileFormatError(`${label}: expected an HDF5 file (signature 89 48 44 46 0d 0a 1a 0a), got ${found || 'an empty file'}`);
    }
    this.byteLength = bytes.byteLength;
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    this.root = this.guard('/', () => new File(buffer, label));
  }

  /** Names of a group's members, sorted ('' is the root). */
  members(path: string): string[] {
    let names = this.memberCache.get(path);
    if (names === undefined) {
      names = this.guard(path, () => this.group(path).keys.slice().sort());
      this.memberCache.set(path, names);
    }
    return names.slice();
  }

  /** Whether `path` exists, and as what; null when it does not. */
  kindOf(path: string): Hdf5MemberKind | null {
    const cached = this.kindCache.get(path);
    if (cached !== undefined) return cached;
    const slash = path.lastIndexOf('/');
    const parent = slash < 0 ? '' : path.slice(0, slash);
    let kind: Hdf5MemberKind | null = null;
    if ((parent === '' || this.kindOf(parent) === 'group') && this.members(parent).includes(path.slice(slash + 1))) {
      kind = this.guard(path, () => (this.root.get(path) instanceof Group ? 'group' : 'dataset'));
    }
    this.kindCache.set(path, kind);
    return kind;
  }

  /**
   * Reads a float32 dataset after checking its type and shape against `shape`.
   * @returns row-major values, exactly as stored
   * @throws ShapeError when the stored shape is not `shape`; FileFormatError when the dataset is missing,
   *   is not little-endian float32, or cannot be decoded.
   */
  readFloat32(path: string, shape: readonly number[]): Float32Array {
    // One timed call reads the whole header: shape, type and storage (checked below in that order).
    const header = this.guard(path, () => {
      const node = this.root.get(path);
      if (!(node instanceof Dataset)) return { node };
      const { chunks, filter_pipeline: filters } = node._dataobjects;
      return { node, shape: node.shape, dtype: node.dtype, chunks, filters };
    });
    const dataset = header.node;
    if (!(dataset instanceof Dataset)) {
      throw new FileFormatError(`${this.label}: ${path}: expected a dataset, got ${dataset === null ? 'nothing' : 'a group'}`);
    }
    const stored = header.shape;
    if (!Array.isArray(stored) || formatShape(stored) !== formatShape(shape)) {
      throw new ShapeError(`${this.label}: ${path}: expected shape ${formatShape(shape)}, got ${Array.isArray(stored) ? formatShape(stored) : String(stored)}`);
    }
    const dtype = header.dtype;
    if (dtype !== '<f4') {
      throw new FileFormatError(`${this.label}: ${path}: expected dtype '<f4' (little-endian float32), got ${JSON.stringify(dtype)}`);
    }
    // Chunked storage lets the file set the work: jsfive loops over every element of a chunk shape the
    // file declares (20000 x 2000 for a [4,32] dataset: 7 s), and inflates gzip chunks without a bound
    // (a 175 KB file, 360 MB and 10 s). Keras (h5py's create_dataset(data=...)) writes contiguous data.
    const storage = { chunks: header.chunks ?? null, filters: header.filters ?? null };
    if (storage.chunks !== null || storage.filters !== null) {
      const filters = storage.filters === null ? '' : ` with ${storage.filters.length} filter(s)`;
      throw new FileFormatError(`${this.label}: ${path}: expected contiguous storage (as Keras writes it), got chunked storage${filters}`);
    }
    const size = sizeOf(shape);
    // Bound the decode before jsfive allocates: 4 bytes per stored float32 must fit in the file.
    if (size * 4 > this.byteLength) {
      throw new FileFormatError(
        `${this.label}: ${path}: expected at most ${Math.floor(this.byteLength / 4)} float32 values in a file of ${this.byteLength} bytes, got a shape of ${size}`,
      );
    }
    // Contiguous data of a checked size: the decode is linear in `size`, so it runs without a time limit.
    const values = this.guard(path, () => dataset.value, false);
    if (!Array.isArray(values) || values.length !== size) {
      throw new FileFormatError(`${this.label}: ${path}: expected ${size} stored values, got ${Array.isArray(values) ? values.length : 'none'}`);
    }
    const out = new Float32Array(size);
    for (let i = 0; i < size; i++) {
      const v = values[i];
      if (typeof v !== 'number') {
        throw new FileFormatError(`${this.label}: ${path}: expected a stored number at element ${i}, got ${String(v)} (unallocated data?)`);
      }
      out[i] = v; // a float32 read widened to a double: exact both ways
    }
    return out;
  }

  /**
   * The attributes of the group or dataset at `path` ('' is the root), decoded: a scalar attribute as its
   * value, a 1-D one as an array. Strings come back as strings whether stored variable-length (h5py 3
   * writes `bytes` and `str` so) or fixed-length (h5py 2, numpy 'S' arrays), the NUL padding of
   * fixed-length ones removed. Each attribute's stored size (elements x element bytes, read from its
   * dataspace and datatype messages) is checked against the file's size before jsfive decodes anything,
   * and the decode runs under the structure reads' CPU budget.
   * @throws FileFormatError for a missing object, an attribute larger than the file could hold, or one
   *   jsfive cannot decode (its type not implemented: jsfive warns, and the warning is refused).
   */
  attributes(path: string): Record<string, unknown> {
    const cached = this.attributeCache.get(path);
    if (cached !== undefined) return cached;
    const attrs = this.guard(path === '' ? '/' : path, () => {
      const node = path === '' ? this.root : this.root.get(path);
      if (!(node instanceof Group) && !(node instanceof Dataset)) return null;
      this.checkAttributeSizes(node as unknown as { _dataobjects: JsfiveDataObjects }, path);
      const raw = (node as unknown as { attrs: Record<string, unknown> }).attrs;
      const out: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(raw)) out[name] = stripNulPadding(value);
      return out;
    });
    if (attrs === null) throw new FileFormatError(`${this.label}: ${path}: expected a group or dataset with attributes, got nothing`);
    this.attributeCache.set(path, attrs);
    return attrs;
  }

  /**
   * A string attribute (a scalar string, or a 1-element array of one).
   * @returns undefined when the object has no attribute `name`
   * @throws FileFormatError when it is there but is not a string.
   */
  stringAttribute(path: string, name: string): string | undefined {
    const attrs = this.attributes(path);
    if (!Object.prototype.hasOwnProperty.call(attrs, name)) return undefined;
    const value = attrs[name];
    const one = Array.isArray(value) && value.length === 1 ? value[0] : value;
    if (typeof one !== 'string') {
      throw new FileFormatError(`${this.label}: ${path || '/'}: attribute ${name}: expected a string, got ${describeAttribute(value)}`);
    }
    return one;
  }

  /**
   * A list-of-strings attribute, such as a legacy .h5's weight_names. A scalar string reads as a list of
   * one; an empty numeric array (what h5py stores for an empty Python list) as an empty list.
   * @returns undefined when the object has no attribute `name`
   * @throws FileFormatError for any other value.
   */
  stringListAttribute(path: string, name: string): string[] | undefined {
    const attrs = this.attributes(path);
    if (!Object.prototype.hasOwnProperty.call(attrs, name)) return undefined;
    const value = attrs[name];
    if (typeof value === 'string') return [value];
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.slice() as string[];
    throw new FileFormatError(`${this.label}: ${path || '/'}: attribute ${name}: expected a list of strings, got ${describeAttribute(value)}`);
  }

  /**
   * Reads each attribute message's dataspace and datatype (a few bytes each) and refuses one whose values
   * could not fit in the file: jsfive allocates and loops over the element count the file declares.
   */
  private checkAttributeSizes(node: { _dataobjects: JsfiveDataObjects }, path: string): void {
    const objects = node._dataobjects;
    const view = new DataView(objects.fh);
    for (const msg of objects.find_msg_type(ATTRIBUTE_MSG_TYPE)) {
      let offset = msg.get('offset_to_message');
      const version = view.getUint8(offset);
      if (version !== 1 && version !== 3) continue; // jsfive refuses these itself, by name
      const nameSize = view.getUint16(offset + 2, true);
      const datatypeSize = view.getUint16(offset + 4, true);
      const pad = (n: number) => (version === 1 ? Math.ceil(n / 8) * 8 : n);
      offset += version === 1 ? 8 : 9;
      offset += pad(nameSize);
      const typeClass = view.getUint8(offset) & 0x0f;
      const typeSize = view.getUint32(offset + 4, true);
      offset += pad(datatypeSize);
      const spaceVersion = view.getUint8(offset);
      const rank = view.getUint8(offset + 1);
      offset += spaceVersion === 1 ? 8 : 4;
      let items = 1;
      for (let d = 0; d < rank && d < MAX_ATTRIBUTE_RANK + 1; d++) items *= Number(view.getBigUint64(offset + 8 * d, true));
      // A variable-length element is stored as a 16-byte heap reference; every other one as its size.
      const bytes = items * (typeClass === VLEN_CLASS ? 16 : Math.max(1, typeSize));
      if (rank > MAX_ATTRIBUTE_RANK || !Number.isSafeInteger(bytes) || bytes > Math.min(this.byteLength, MAX_ATTRIBUTE_BYTES)) {
        throw new FileFormatError(
          `${this.label}: ${path || '/'}: expected attributes of at most ${Math.min(this.byteLength, MAX_ATTRIBUTE_BYTES)} bytes, got one of rank ${rank} declaring ${bytes} bytes`,
        );
      }
    }
  }

  private group(path: string): Group {
    const found = path === '' ? this.root : this.root.get(path);
    if (!(found instanceof Group)) {
      throw new FileFormatError(`${this.label}: ${path}: expected a group, got ${found === null ? 'nothing' : 'a dataset'}`);
    }
    return found;
  }

  /**
   * Runs one jsfive call. jsfive reports a 64-bit offset past 2^53 with console.warn and reads on;
   * in a file this size that can only be corruption, so a warning is turned into the error here.
   * The call is synchronous, so console.warn is restored before anything else runs.
   * @param structure a read of the file's structure, stopped after STRUCTURE_CALL_MS of CPU (and once
   *   the file's STRUCTURE_TOTAL_MS is spent); false for the decode of a dataset whose size is checked.
   */
  private guard<T>(path: string, read: () => T, structure = true): T {
    const warn = console.warn;
    let warning: string | undefined;
    console.warn = (...args: unknown[]) => {
      warning ??= args.map(String).join(' ');
    };
    const where = path === '/' ? '' : ` at ${path}`;
    const start = cpuMs();
    try {
      const result = structure ? withCpuBudget(read, Math.min(STRUCTURE_CALL_MS, this.structureMsLeft)) : read();
      if (warning !== undefined) throw new FileFormatError(`jsfive: ${warning}`);
      return result;
    } catch (error) {
      if (error instanceof ShapeError || (error instanceof FileFormatError && error.message.startsWith(this.label))) throw error;
      if (error instanceof StructureTimeout) {
        throw new FileFormatError(
          `${this.label}: expected a readable HDF5 file, got a structure still unread${where} after ${Math.round(error.cpu)} ms of CPU (cyclic or exploding B-tree?)`,
        );
      }
      const message = error instanceof Error ? error.message : String(error);
      throw new FileFormatError(`${this.label}: expected a readable HDF5 file, got an error${where}: ${message.split('\n')[0]}`);
    } finally {
      console.warn = warn;
      if (structure) this.structureMsLeft -= cpuMs() - start;
    }
  }
}
