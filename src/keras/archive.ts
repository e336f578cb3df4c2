/**
 * A Keras 3 `.keras` file is a zip of three members (Keras's saving_lib.py):
 *   metadata.json     {"keras_version": "3.15.1", "date_saved": ...}
 *   config.json       the architecture: {"class_name": "Sequential", "config": {"layers": [...]}}
 *   model.weights.h5  the weights (src/keras/weights-h5.ts reads them)
 *
 * The zip is read here, not by a zip library, because every number in it comes from the file: the
 * end-of-central-directory record is checked (at most MAX_MEMBERS entries, the directory inside the
 * file, no zip64), each directory entry and local header must lie inside the file, and each member's
 * declared size is bounded before it is inflated. Inflating stops at the declared size (node:zlib's
 * maxOutputLength): fflate, used before, wrote no further but decoded on, so a 100 KB member declaring
 * 16 KB cost 100 MB of inflating. A member may not claim more than MAX_INFLATE_RATIO times its
 * compressed size (a 500 KB zip bomb declaring 500 MiB took 12 s and 1 GiB). Each member's CRC-32 is
 * checked, so a flipped bit in a stored weight is refused rather than read as a different weight.
 */
import zlib from 'node:zlib';
import { FileFormatError } from '../errors';
import { parseJsonText } from '../io/json';

const CONFIG_MEMBER = 'config.json';
const METADATA_MEMBER = 'metadata.json';
export const WEIGHTS_MEMBER = 'model.weights.h5';

/** Largest config.json or metadata.json read (a 16-layer Sequential config is about 50 KB). */
export const MAX_JSON_BYTES = 4 * 2 ** 20;
/** Largest model.weights.h5 read (512 MiB: two weights of MAX_ELEMENTS float32 values). */
export const MAX_WEIGHTS_BYTES = 512 * 2 ** 20;
/** A Keras 3 Sequential of the layers rnn-parity supports has 3 members. */
const MAX_MEMBERS = 16;
/**
 * Most bytes a deflated member may claim per compressed byte, beyond its first MiB. Keras stores its
 * members uncompressed (ratio 1); float32 weights deflate to about 0.9 of their size, JSON to about 0.2.
 */
export const MAX_INFLATE_RATIO = 32;
const INFLATE_RATIO_FREE_BYTES = 2 ** 20;

const EOCD_SIGNATURE = 0x06054b50;
const EOCD_BYTES = 22;
const CENTRAL_SIGNATURE = 0x02014b50;
const CENTRAL_BYTES = 46;
const LOCAL_SIGNATURE = 0x04034b50;
const LOCAL_BYTES = 30;
const STORED = 0;
const DEFLATED = 8;
/** The EOCD ends with a comment of at most 65535 bytes. */
const MAX_COMMENT_BYTES = 0xffff;

interface KerasArchive {
  /** config.json, parsed. */
  readonly config: unknown;
  /** metadata.json, parsed. */
  readonly metadata: unknown;
  /** model.weights.h5, raw. */
  readonly weights: Uint8Array;
}

const LIMITS: Record<string, number> = {
  [CONFIG_MEMBER]: MAX_JSON_BYTES,
  [METADATA_MEMBER]: MAX_JSON_BYTES,
  [WEIGHTS_MEMBER]: MAX_WEIGHTS_BYTES,
};

/**
 * Splits a .keras file into its three members.
 * @param label how errors name the file (its path)
 * @throws FileFormatError for bytes that are not a zip, a member missing, unexpected or too large,
 *   or a JSON member that does not parse.
 */
export function readKerasArchive(bytes: Uint8Array, label: string): KerasArchive {
  const directory = checkEndOfCentralDirectory(bytes, label);
  const members: Record<string, Uint8Array> = {};
  for (const entry of directoryEntries(bytes, directory, label)) {
    const limit = Object.hasOwn(LIMITS, entry.name) ? LIMITS[entry.name] : undefined;
    if (limit === undefined) {
      throw new FileFormatError(`${label}: expected only ${Object.keys(LIMITS).join(', ')} in the zip, got ${JSON.stringify(entry.name)}`);
    }
    if (Object.hasOwn(members, entry.name)) {
      throw new FileFormatError(`${label}: expected one ${entry.name} in the zip, got two`);
    }
    if (entry.originalSize > limit) {
      throw new FileFormatError(`${label}: ${entry.name}: expected at most ${limit} bytes, got ${entry.originalSize}`);
    }
    members[entry.name] = extractMember(bytes, entry, `${label}: ${entry.name}`);
  }
  for (const name of [CONFIG_MEMBER, METADATA_MEMBER, WEIGHTS_MEMBER]) {
    if (!members[name]) {
      throw new FileFormatError(`${label}: expected ${name} in the zip, got only ${Object.keys(members).join(', ') || 'no members'}`);
    }
  }
  return {
    config: parseJson(members[CONFIG_MEMBER], `${label}: ${CONFIG_MEMBER}`),
    metadata: parseJson(members[METADATA_MEMBER], `${label}: ${METADATA_MEMBER}`),
    weights: members[WEIGHTS_MEMBER],
  };
}

/** Whether bytes start like a zip (local file header "PK\x03\x04" or an empty zip's "PK\x05\x06"). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5);
}

/** Where the central directory is, and how many entries it holds. */
interface Directory {
  readonly offset: number;
  readonly bytes: number;
  readonly entries: number;
}

/** One central-directory entry: what the zip declares about a member. */
interface DirectoryEntry {
  readonly name: string;
  readonly method: number;
  readonly flags: number;
  readonly crc: number;
  readonly compressedSize: number;
  readonly originalSize: number;
  readonly localOffset: number;
}

/** Reads the central directory's entries, each checked to lie inside the directory. */
function directoryEntries(bytes: Uint8Array, directory: Directory, label: string): DirectoryEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = directory.offset + directory.bytes;
  const entries: DirectoryEntry[] = [];
  let at = directory.offset;
  for (let k = 0; k < directory.entries; k++) {
    if (at + CENTRAL_BYTES > end || view.getUint32(at, true) !== CENTRAL_SIGNATURE) {
      throw new FileFormatError(
        `${label}: expected zip directory entry ${k} at byte ${at}, got ${at + CENTRAL_BYTES > end ? 'the end of the directory' : 'other bytes'}: corrupt zip`,
      );
    }
    const flags = view.getUint16(at + 8, true);
    const nameBytes = view.getUint16(at + 28, true);
    const next = at + CENTRAL_BYTES + nameBytes + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    if (next > end) throw new FileFormatError(`${label}: expected zip directory entry ${k} to end by byte ${end}, got ${next}: corrupt zip`);
    entries.push({
      name: Buffer.from(bytes.subarray(at + CENTRAL_BYTES, at + CENTRAL_BYTES + nameBytes)).toString(flags & 0x800 ? 'utf8' : 'latin1'),
      method: view.getUint16(at + 10, true),
      flags,
      crc: view.getUint32(at + 16, true),
      compressedSize: view.getUint32(at + 20, true),
      originalSize: view.getUint32(at + 24, true),
      localOffset: view.getUint32(at + 42, true),
    });
    at = next;
  }
  return entries;
}

/**
 * A member's bytes: stored, or inflated no further than its declared size; then its CRC-32 checked.
 * @throws FileFormatError for a member outside the file, encrypted, compressed other than by deflate,
 *   claiming too high a ratio, inflating to another size than declared, or failing its CRC.
 */
function extractMember(bytes: Uint8Array, entry: DirectoryEntry, label: string): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const local = entry.localOffset;
  if (local + LOCAL_BYTES > bytes.length || view.getUint32(local, true) !== LOCAL_SIGNATURE) {
    throw new FileFormatError(
      `${label}: expected a local zip header at byte ${local}, got ${local + LOCAL_BYTES > bytes.length ? 'the end of the file' : 'other bytes'}: corrupt zip`,
    );
  }
  const start = local + LOCAL_BYTES + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
  const end = start + entry.compressedSize;
  if (end > bytes.length) {
    throw new FileFormatError(
      `${label}: expected ${entry.compressedSize} compressed bytes from byte ${start}, got ${Math.max(0, bytes.length - start)}: truncated?`,
    );
  }
  if (entry.flags & 1) throw new FileFormatError(`${label}: expected an unencrypted member, got an encrypted one`);
  const compressed = bytes.subarray(start, end);
  let data: Uint8Array;
  if (entry.method === STORED) {
    data = compressed;
  } else if (entry.method === DEFLATED) {
    if (entry.originalSize > INFLATE_RATIO_FREE_BYTES && entry.originalSize > MAX_INFLATE_RATIO * entry.compressedSize) {
      throw new FileFormatError(
        `${label}: expected at most ${MAX_INFLATE_RATIO} bytes per compressed byte, got ${entry.originalSize} bytes declared from ${entry.compressedSize}: a zip bomb?`,
      );
    }
    try {
      // maxOutputLength stops inflating one chunk past the declared size (and must be at least 1).
      data = zlib.inflateRawSync(compressed, { maxOutputLength: Math.max(1, entry.originalSize) });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ERR_BUFFER_TOO_LARGE') {
        throw new FileFormatError(`${label}: expected ${entry.originalSize} bytes (as the zip declares), got more when inflated`);
      }
      throw new FileFormatError(`${label}: expected deflate data, got an error inflating it: ${(error as Error).message.split('\n')[0]}`);
    }
  } else {
    throw new FileFormatError(`${label}: expected a stored or deflated member (method 0 or 8), got compression method ${entry.method}`);
  }
  if (data.length !== entry.originalSize) {
    throw new FileFormatError(`${label}: expected ${entry.originalSize} bytes (as the zip declares), got ${data.length}: truncated?`);
  }
  const crc = crc32(data);
  if (crc !== entry.crc) {
    const hex = (n: number) => n.toString(16).padStart(8, '0');
    throw new FileFormatError(`${label}: expected CRC-32 ${hex(entry.crc)} (as the zip declares), got ${hex(crc)}: corrupt`);
  }
  return data;
}

/** CRC-32 (IEEE 802.3, zip's), table-driven. Node 20's zlib has no crc32 (it came in Node 22.2). */
const CRC_TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let crc = -1;
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

function checkEndOfCentralDirectory(bytes: Uint8Array, label: string): Directory {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lowest = Math.max(0, bytes.length - EOCD_BYTES - MAX_COMMENT_BYTES);
  let eocd = -1;
  for (let at = bytes.length - EOCD_BYTES; at >= lowest; at--) {
    if (view.getUint32(at, true) === EOCD_SIGNATURE) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) {
    throw new FileFormatError(`${label}: expected a .keras zip (an end-of-central-directory record), got none: truncated, or not a zip`);
  }
  const entries = view.getUint16(eocd + 10, true);
  const directoryBytes = view.getUint32(eocd + 12, true);
  const directoryOffset = view.getUint32(eocd + 16, true);
  if (entries === 0xffff || directoryOffset === 0xffffffff) {
    throw new FileFormatError(`${label}: expected a zip without zip64 extensions (Keras writes none under 4 GiB), got a zip64 directory`);
  }
  if (entries > MAX_MEMBERS) {
    throw new FileFormatError(`${label}: expected at most ${MAX_MEMBERS} zip members, got ${entries}`);
  }
  if (directoryOffset + directoryBytes > eocd) {
    throw new FileFormatError(
      `${label}: expected the zip directory before byte ${eocd}, got bytes ${directoryOffset}..${directoryOffset + directoryBytes}: truncated?`,
    );
  }
  return { offset: directoryOffset, bytes: directoryBytes, entries };
}

/** UTF-8 JSON, nested no deeper than MAX_JSON_DEPTH (a deeper config made JSON.stringify overflow the stack). */
function parseJson(bytes: Uint8Array, label: string): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    throw new FileFormatError(`${label}: expected UTF-8 JSON, got a parse error (${(error as Error).message})`);
  }
  try {
    return parseJsonText(text, label);
  } catch (error) {
    // parseJsonText's "expected JSON, got a parse error" reads as this module always has.
    throw new FileFormatError((error as Error).message.replace(`${label}: expected JSON,`, `${label}: expected UTF-8 JSON,`));
  }
}
