/**
 * Several typed arrays in one binary file: a small JSON header (names, types, lengths) followed by
 * the raw little-endian bytes of each array, 8-byte aligned. Reading is one read per array straight
 * into it — no parsing — which keeps cold start fast at 100,000 passages.
 */
import fs from 'node:fs/promises';
import { sumFile, sumOf, writing, type FileSum } from './fileSums.ts';

type Typed = Uint8Array | Uint16Array | Uint32Array | Float32Array;
const CONSTRUCTORS = { Uint8Array, Uint16Array, Uint32Array, Float32Array } as const;
export type TypeName = keyof typeof CONSTRUCTORS;

const MAGIC = 'FUHANTA1';

/**
 * Writes named typed arrays to a file (fsynced) and returns its length and CRC-32.
 *
 * @example
 * const sum = await writeTypedArrays('lexical.bin', { ids: new Uint32Array([1, 2]) });
 */
export function writeTypedArrays(file: string, arrays: Record<string, Typed>): Promise<FileSum> {
  return writing(file, () => writeArrays(file, arrays));
}

/** Where each array goes in a file of them, and the file's head (magic, header length, header). */
function layoutOf(columns: [string, { type: TypeName; length: number }][]): { layout: ArrayEntry[]; head: Buffer; headerLen: number; end: number } {
  let offset = 0;
  const layout = columns.map(([name, { type, length }]) => {
    const entry = { name, type, length, offset };
    offset += Math.ceil((length * CONSTRUCTORS[type].BYTES_PER_ELEMENT) / 8) * 8;
    return entry;
  });
  const header = Buffer.from(JSON.stringify(layout), 'utf8');
  const headerLen = Math.ceil((header.length + 12) / 8) * 8;
  const head = Buffer.alloc(headerLen);
  head.write(MAGIC, 0, 'latin1');
  head.writeUInt32LE(header.length, 8);
  header.copy(head, 12);
  return { layout, head, headerLen, end: headerLen + offset };
}

interface ArrayEntry {
  name: string;
  type: TypeName;
  length: number;
  offset: number;
}

const shapeOf = (a: Typed) => ({ type: a.constructor.name as TypeName, length: a.length });
const bytesOf = (a: Typed) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

async function writeArrays(file: string, arrays: Record<string, Typed>): Promise<FileSum> {
  const entries = Object.entries(arrays);
  const { layout, head, headerLen, end } = layoutOf(entries.map(([name, a]) => [name, shapeOf(a)]));
  // Written piece by piece from the arrays' own memory: no copy of hundreds of megabytes.
  const handle = await fs.open(file, 'w');
  let sum: FileSum = { bytes: 0, crc32: 0 };
  const write = async (bytes: Uint8Array) => {
    // handle.write may write less than asked (a full disk): the rest is written, or the error comes.
    for (let done = 0; done < bytes.byteLength; ) done += (await handle.write(bytes, done)).bytesWritten;
    sum = sumOf(bytes, sum);
  };
  try {
    await write(head);
    let at = headerLen;
    for (let i = 0; i < entries.length; i++) {
      const a = entries[i][1];
      const start = headerLen + layout[i].offset;
      if (start > at) await write(Buffer.alloc(start - at));
      await write(bytesOf(a));
      at = start + a.byteLength;
    }
    if (end > at) await write(Buffer.alloc(end - at));
    await handle.sync();
  } finally {
    await handle.close();
  }
  return sum;
}

/** Writes part of an array of a file being filled (`at`: its first element's index). */
export type PutArray = (name: string, at: number, data: Typed) => Promise<void>;

/**
 * Writes a file of named typed arrays like writeTypedArrays, where some arrays are only declared
 * (type and length) and `fill` writes them piece by piece, in any order: a build lays out 2 GB of
 * postings at 100,000 letters term range by term range, never all of them in memory. The bytes are
 * those writeTypedArrays writes for the same arrays; the sum is taken by reading the file back
 * (≈ 1.5 GB/s from the page cache).
 *
 * @example
 * await writeTypedArraysFilled('x.bin', { ids: { type: 'Uint32Array', length: 4 } }, async (put) => {
 *   await put('ids', 0, Uint32Array.of(1, 2));
 *   await put('ids', 2, Uint32Array.of(3, 4));
 * });
 */
export function writeTypedArraysFilled(file: string, arrays: Record<string, Typed | { type: TypeName; length: number }>, fill: (put: PutArray) => Promise<void>): Promise<FileSum> {
  return writing(file, async () => {
    const entries = Object.entries(arrays);
    const { layout, head, headerLen, end } = layoutOf(entries.map(([name, a]) => [name, ArrayBuffer.isView(a) ? shapeOf(a) : a]));
    const byName = new Map(layout.map((e) => [e.name, e]));
    const handle = await fs.open(file, 'w');
    const writeAt = async (bytes: Uint8Array, position: number) => {
      for (let done = 0; done < bytes.byteLength; ) done += (await handle.write(bytes, done, bytes.byteLength - done, position + done)).bytesWritten;
    };
    try {
      // The file at its full length first: the padding between arrays reads as zeros, as written by writeTypedArrays.
      await handle.truncate(end);
      await writeAt(head, 0);
      for (const [i, [, a]] of entries.entries()) if (ArrayBuffer.isView(a)) await writeAt(bytesOf(a), headerLen + layout[i].offset);
      await fill(async (name, at, data) => {
        const e = byName.get(name);
        if (!e || e.type !== data.constructor.name || at < 0 || at + data.length > e.length) throw new Error(`writeTypedArraysFilled: ${name}[${at}..${at + data.length}] does not fit the array declared`);
        await writeAt(bytesOf(data), headerLen + e.offset + at * data.BYTES_PER_ELEMENT);
      });
      await handle.sync();
    } finally {
      await handle.close();
    }
    return sumFile(file);
  });
}

/**
 * Reads what writeTypedArrays wrote: each array into memory of its own, read straight from the file
 * (no buffer of the whole file: Node 20's Buffer stops at 4 GiB, which lexical.bin reaches at
 * ≈ 200,000 letters; an array stops at 2^32 elements).
 *
 * @example
 * const { ids } = await readTypedArrays('lexical.bin');
 */
export async function readTypedArrays(file: string): Promise<Record<string, Typed>> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const start = Buffer.alloc(12);
    await readAt(handle, start, 0);
    if (size < 12 || start.toString('latin1', 0, 8) !== MAGIC) throw new Error(`${file}: not an index array file`);
    const headerLength = start.readUInt32LE(8);
    if (12 + headerLength > size) throw new Error(`${file}: truncated`);
    const header = Buffer.alloc(headerLength);
    await readAt(handle, header, 12);
    const layout = JSON.parse(header.toString('utf8')) as ArrayEntry[];
    const headerLen = Math.ceil((headerLength + 12) / 8) * 8;
    const out: Record<string, Typed> = {};
    for (const { name, type, length, offset } of layout) {
      const C = CONSTRUCTORS[type];
      if (!C) throw new Error(`${file}: unknown array type ${type}`);
      if (headerLen + offset + length * C.BYTES_PER_ELEMENT > size) throw new Error(`${file}: truncated`);
      const a = new C(length);
      if ((await readAt(handle, bytesOf(a), headerLen + offset)) < a.byteLength) throw new Error(`${file}: truncated`);
      out[name] = a;
    }
    return out;
  } finally {
    await handle.close();
  }
}

/** Fills `into` from the file at `position`, with as few reads as the OS allows (at most 1 GiB each); returns the bytes read. */
async function readAt(handle: fs.FileHandle, into: Uint8Array, position: number): Promise<number> {
  let at = 0;
  while (at < into.byteLength) {
    const { bytesRead } = await handle.read(into, at, Math.min(into.byteLength - at, 1 << 30), position + at);
    if (bytesRead === 0) break;
    at += bytesRead;
  }
  return at;
}

type TypedConstructor = (typeof CONSTRUCTORS)[TypeName];

/**
 * One array of what readTypedArrays returned, checked: present, of the expected type, and (when
 * `length` is given) that long. Anything else is an Error naming the array.
 *
 * @example
 * const offsets = typedColumn(arrays, 'offsets', Uint32Array, letters.length + 1);
 */
export function typedColumn<C extends TypedConstructor>(arrays: Record<string, Typed>, name: string, type: C, length?: number): InstanceType<C> {
  const a = arrays[name];
  if (!(a instanceof type) || (length !== undefined && a.length !== length)) {
    throw new Error(`${name} is missing, not a ${type.name}${length === undefined ? '' : ` or not ${length} long`}`);
  }
  return a as InstanceType<C>;
}
