/**
 * Several typed arrays in one binary file: a small JSON header (names, types, lengths) followed by
 * the raw little-endian bytes of each array, 8-byte aligned. Reading is one file read and views
 * onto it — no parsing — which keeps cold start fast at 100,000 passages.
 */
import fs from 'node:fs/promises';
import { sumOf, writing, type FileSum } from './fileSums.ts';

type Typed = Uint8Array | Uint16Array | Uint32Array | Float32Array;
const CONSTRUCTORS = { Uint8Array, Uint16Array, Uint32Array, Float32Array } as const;
type TypeName = keyof typeof CONSTRUCTORS;

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

async function writeArrays(file: string, arrays: Record<string, Typed>): Promise<FileSum> {
  const entries = Object.entries(arrays);
  let offset = 0;
  const layout = entries.map(([name, a]) => {
    const entry = { name, type: a.constructor.name as TypeName, length: a.length, offset };
    offset += Math.ceil(a.byteLength / 8) * 8;
    return entry;
  });
  const header = Buffer.from(JSON.stringify(layout), 'utf8');
  const headerLen = Math.ceil((header.length + 12) / 8) * 8;
  const head = Buffer.alloc(headerLen);
  head.write(MAGIC, 0, 'latin1');
  head.writeUInt32LE(header.length, 8);
  header.copy(head, 12);
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
      await write(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
      at = start + a.byteLength;
    }
    const end = headerLen + offset;
    if (end > at) await write(Buffer.alloc(end - at));
    await handle.sync();
  } finally {
    await handle.close();
  }
  return sum;
}

/**
 * Reads what writeTypedArrays wrote.
 *
 * @example
 * const { ids } = await readTypedArrays('lexical.bin');
 */
export async function readTypedArrays(file: string): Promise<Record<string, Typed>> {
  const buf = await readWhole(file);
  if (buf.length < 12 || buf.toString('latin1', 0, 8) !== MAGIC) throw new Error(`${file}: not an index array file`);
  const headerLength = buf.readUInt32LE(8);
  const layout = JSON.parse(buf.toString('utf8', 12, 12 + headerLength)) as { name: string; type: TypeName; length: number; offset: number }[];
  const headerLen = Math.ceil((headerLength + 12) / 8) * 8;
  // Views straight onto the file's bytes when they are 8-byte aligned (a large read has a buffer of
  // its own); a copy otherwise (small reads may come from Buffer's shared pool).
  let body = buf.buffer as ArrayBuffer;
  let base = buf.byteOffset + headerLen;
  if (base % 8 !== 0) {
    body = new ArrayBuffer(buf.length - headerLen);
    new Uint8Array(body).set(buf.subarray(headerLen));
    base = 0;
  }
  const out: Record<string, Typed> = {};
  for (const { name, type, length, offset } of layout) {
    const C = CONSTRUCTORS[type];
    if (!C) throw new Error(`${file}: unknown array type ${type}`);
    if (headerLen + offset + length * C.BYTES_PER_ELEMENT > buf.length) throw new Error(`${file}: truncated`);
    out[name] = new C(body, base + offset, length);
  }
  return out;
}

/**
 * The file's bytes in a buffer of their own (8-byte aligned), read with as few calls as the OS
 * allows: `fs.readFile` reads in 512 KB pieces, about half again slower for a 250 MB index file.
 */
async function readWhole(file: string): Promise<Buffer> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const buf = Buffer.allocUnsafeSlow(size);
    let at = 0;
    while (at < size) {
      const { bytesRead } = await handle.read(buf, at, Math.min(size - at, 1 << 30), at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return at === size ? buf : buf.subarray(0, at);
  } finally {
    await handle.close();
  }
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
