/**
 * A tiny WebAssembly binary writer: just the opcodes the matmul kernels use, one helper per opcode.
 *
 * Helpers take their operands first and return the code in stack order, so code reads like WAT's folded
 * form: `f64x2.add(v128.load(local.get(p)), local.get(s))` is `(f64x2.add (v128.load (local.get $p)) (local.get $s))`.
 * Code is a tree of byte arrays, flattened once per function: composing instructions copies nothing.
 * The encoding follows the WebAssembly core spec 2.0 (binary format, chapter 5) and the fixed-width SIMD
 * proposal (opcodes prefixed 0xfd); no relaxed-simd and no fused multiply-add exist here.
 */

/** Encoded bytes, possibly nested: an instruction, a sequence of them, a section. */
export type Code = number | readonly Code[];

/** The bytes of `code` in order. */
function flatten(code: Code, into: number[] = []): number[] {
  if (typeof code === 'number') into.push(code);
  else for (const part of code) flatten(part, into);
  return into;
}

/** Value types (spec 5.3.1). */
export const I32 = 0x7f;
export const V128 = 0x7b;
type ValueType = typeof I32 | typeof V128;

/** Unsigned LEB128 (spec 5.2.2): indices, sizes, counts, memarg fields. */
export function unsignedLeb(value: number): number[] {
  const out: number[] = [];
  let rest = value >>> 0;
  do {
    const byte = rest & 0x7f;
    rest >>>= 7;
    out.push(rest === 0 ? byte : byte | 0x80);
  } while (rest !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer (i32.const's immediate). */
export function signedLeb(value: number): number[] {
  const out: number[] = [];
  let rest = value | 0;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7;
    const done = (rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

/** A vector: its length, then its elements (spec 5.1.3). */
function vector(items: readonly Code[]): Code {
  return [unsignedLeb(items.length), items];
}

/** A UTF-8 name as a vector of bytes (export names). */
function name(text: string): Code {
  return vector(Array.from(new TextEncoder().encode(text)));
}

/** Section `id` with its byte size in front (spec 5.5.2). */
function section(id: number, content: Code): Code {
  const bytes = flatten(content);
  return [id, unsignedLeb(bytes.length), bytes];
}

// ---------------------------------------------------------------------------------------------
// Instructions. Each helper returns its operands' bytes followed by its own opcode and immediates.

/** A structured block's type: no parameters, no result. */
const EMPTY_BLOCK = 0x40;

export const local = {
  /** (local.get $index) */
  get: (index: number): Code => [0x20, unsignedLeb(index)],
  /** (local.set $index value) */
  set: (index: number, value: Code): Code => [value, 0x21, unsignedLeb(index)],
};

export const i32 = {
  /** (i32.const value) */
  const: (value: number): Code => [0x41, signedLeb(value)],
  /** (i32.add x y) */
  add: (x: Code, y: Code): Code => [x, y, 0x6a],
  /** (i32.sub x y) */
  sub: (x: Code, y: Code): Code => [x, y, 0x6b],
  /** (i32.mul x y) */
  mul: (x: Code, y: Code): Code => [x, y, 0x6c],
  /** (i32.and x y) */
  and: (x: Code, y: Code): Code => [x, y, 0x71],
  /** (i32.lt_u x y): 1 when x < y as unsigned integers. */
  ltU: (x: Code, y: Code): Code => [x, y, 0x49],
  /** (i32.le_u x y) */
  leU: (x: Code, y: Code): Code => [x, y, 0x4d],
  /** (i32.eqz x) */
  eqz: (x: Code): Code => [x, 0x45],
};

/** A memory immediate (spec 5.4.6): alignment as log2 bytes, then a constant byte offset. */
function memarg(alignLog2: number, offset: number): Code {
  return [unsignedLeb(alignLog2), unsignedLeb(offset)];
}

/** A fixed-width SIMD instruction: prefix 0xfd, then its opcode as an unsigned LEB128. */
function simd(opcode: number): Code {
  return [0xfd, unsignedLeb(opcode)];
}

export const v128 = {
  /** (v128.load offset=offset address): 16 bytes, any alignment (hinted 16). */
  load: (address: Code, offset = 0): Code => [address, simd(0x00), memarg(4, offset)],
  /** (v128.store offset=offset address value) */
  store: (address: Code, value: Code, offset = 0): Code => [address, value, simd(0x0b), memarg(4, offset)],
  /** (v128.load32_splat offset=offset address): one f32 from memory in all four lanes. */
  load32Splat: (address: Code, offset = 0): Code => [address, simd(0x09), memarg(2, offset)],
  /** (v128.load64_splat offset=offset address): one f64 from memory in both lanes. */
  load64Splat: (address: Code, offset = 0): Code => [address, simd(0x0a), memarg(3, offset)],
};

/** Lane-wise IEEE binary64 arithmetic on two lanes, each correctly rounded (as a JS `*` or `+`). */
export const f64x2 = {
  /** (f64x2.add x y) */
  add: (x: Code, y: Code): Code => [x, y, simd(0xf0)],
  /** (f64x2.mul x y) */
  mul: (x: Code, y: Code): Code => [x, y, simd(0xf2)],
};

/** Lane-wise IEEE binary32 arithmetic on four lanes, each correctly rounded (Math.fround of the double result). */
export const f32x4 = {
  /** (f32x4.add x y) */
  add: (x: Code, y: Code): Code => [x, y, simd(0xe4)],
  /** (f32x4.mul x y) */
  mul: (x: Code, y: Code): Code => [x, y, simd(0xe6)],
};

/**
 * (block (loop (br_if 1 (i32.eqz condition)) body... (br 0))): runs `body` while `condition` is non-zero,
 * testing it before every pass.
 */
export function whileLoop(condition: Code, body: readonly Code[]): Code {
  const block = [0x02, EMPTY_BLOCK];
  const loop = [0x03, EMPTY_BLOCK];
  const exitIfFalse = [i32.eqz(condition), 0x0d, unsignedLeb(1)];
  const repeat = [0x0c, unsignedLeb(0)];
  const end = 0x0b;
  return [block, loop, exitIfFalse, body, repeat, end, end];
}

// ---------------------------------------------------------------------------------------------
// Functions and the module.

/** A function's locals, named as they are declared: parameters first, then the locals of its body. */
export class Locals {
  private readonly types: ValueType[] = [];

  /** Declares the next local (or parameter) and returns its index. */
  add(type: ValueType): number {
    this.types.push(type);
    return this.types.length - 1;
  }

  /** The types from index `from` on: the body's locals, after the parameters. */
  typesFrom(from: number): readonly ValueType[] {
    return this.types.slice(from);
  }
}

/** A function of the module: its parameter types (no results), its body locals, and its body. */
export interface FunctionDefinition {
  readonly exportName: string;
  readonly params: readonly ValueType[];
  readonly locals: readonly ValueType[];
  readonly body: Code;
}

/** The body's local declarations, one (count 1, type) entry each: simple, and legal (spec 5.5.13). */
function code(definition: FunctionDefinition): Code {
  const content = flatten([vector(definition.locals.map((type) => [1, type])), definition.body, 0x0b]);
  return [unsignedLeb(content.length), content];
}

/**
 * A whole module: `functions` (each exported under its name) and one memory of `initialPages` 64 KiB
 * pages, exported as "memory" so that JavaScript can grow it and copy data in and out.
 */
export function encodeModule(functions: readonly FunctionDefinition[], initialPages: number): Uint8Array {
  const types = functions.map((f) => [0x60, vector(f.params.map((type) => [type])), vector([])]);
  const typeIndices = functions.map((_, index) => unsignedLeb(index));
  const memoryLimits = [0x00, unsignedLeb(initialPages)]; // flag 0: a minimum, no maximum
  const exports = [[name('memory'), 0x02, unsignedLeb(0)], ...functions.map((f, index) => [name(f.exportName), 0x00, unsignedLeb(index)])];
  const module = [
    [0x00, 0x61, 0x73, 0x6d], // magic "\0asm"
    [0x01, 0x00, 0x00, 0x00], // version 1
    section(1, vector(types)),
    section(3, vector(typeIndices)),
    section(5, vector([memoryLimits])),
    section(7, vector(exports)),
    section(10, vector(functions.map(code))),
  ];
  return Uint8Array.from(flatten(module));
}
