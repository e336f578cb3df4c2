/**
 * A zip writer for hostile .keras files: every field the reader trusts (method, flags, sizes, CRC,
 * offsets) can be set to a lie. With no overrides it writes what Python's zipfile writes for Keras:
 * stored members, each with its local header, then the central directory and the end record.
 */
import zlib from 'node:zlib';

export interface ZipEntry {
  readonly name: string;
  /** The member's bytes as they sit in the zip (already deflated when method is 8). */
  readonly data: Uint8Array;
  /** 0 stored (default), 8 deflated, anything else for hostile cases. */
  readonly method?: number;
  readonly flags?: number;
  /** Defaults: the CRC-32, the length of `original` (or `data`) and of `data`. */
  readonly crc?: number;
  readonly originalSize?: number;
  readonly compressedSize?: number;
  /** The uncompressed bytes, for the default CRC and size of a deflated member. */
  readonly original?: Uint8Array;
  /** Overrides the local header offset written in the central directory. */
  readonly localOffset?: number;
}

const CRC_TABLE = Int32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

export function crc32(bytes: Uint8Array): number {
  let crc = -1;
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

/** A deflated entry for `original`, its sizes and CRC true unless overridden. */
export function deflated(name: string, original: Uint8Array, overrides: Partial<ZipEntry> = {}): ZipEntry {
  return { name, data: new Uint8Array(zlib.deflateRawSync(original, { level: 9 })), method: 8, original, ...overrides };
}

export interface ZipOptions {
  /** Overrides the entry count in the end record. */
  readonly entries?: number;
  /** A comment after the end record. */
  readonly comment?: Uint8Array;
}

export function makeZip(entries: readonly ZipEntry[], options: ZipOptions = {}): Uint8Array {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const original = entry.original ?? entry.data;
    const crc = entry.crc ?? crc32(original);
    const originalSize = entry.originalSize ?? original.length;
    const compressedSize = entry.compressedSize ?? entry.data.length;
    const method = entry.method ?? 0;
    const flags = entry.flags ?? 0x800;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressedSize, 18);
    local.writeUInt32LE(originalSize, 22);
    local.writeUInt16LE(name.length, 26);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(flags, 8);
    header.writeUInt16LE(method, 10);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(compressedSize, 20);
    header.writeUInt32LE(originalSize, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(entry.localOffset ?? offset, 42);
    central.push(header, name);
    parts.push(local, name, Buffer.from(entry.data));
    offset += local.length + name.length + entry.data.length;
  }
  const directory = Buffer.concat(central);
  const comment = Buffer.from(options.comment ?? new Uint8Array(0));
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(options.entries ?? entries.length, 8);
  end.writeUInt16LE(options.entries ?? entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  // The field holds at most 65535: a longer "comment" is trailing junk the end record does not cover.
  end.writeUInt16LE(Math.min(comment.length, 0xffff), 20);
  return new Uint8Array(Buffer.concat([...parts, directory, end, comment]));
}
