/**
 * The index manifest: what an index folder holds and how it was made. Loading checks it first, so
 * an index from another version or another model is one clear error, not a strange result.
 */
import { z } from 'zod';

/** Bump when the on-disk layout or the parser's output changes meaningfully. */
// 5: letters carry the header section (Letter.header) at the head of their text (issue #11).
// 6: files listed with length and CRC-32, letters' text hashes, stable ids (issue #15), together with the header section.
// 7: the letterhead lines (issuer, title) kept verbatim in the header section (issue #12: the signer of a letter
//    whose signature block is lost); every letter is re-parsed on the first build after the upgrade.
export const INDEX_SCHEMA_VERSION = 7;

export const ManifestSchema = z.object({
  schema: z.number().int(),
  createdAt: z.string(),
  /** 'hybrid' when vectors exist, else 'lexical-only'. */
  mode: z.enum(['hybrid', 'lexical-only']),
  model: z.object({ id: z.string(), dims: z.number().int().positive(), dtype: z.string() }).nullable(),
  params: z.object({
    bm25: z.object({ k1: z.number(), b: z.number() }),
    hnsw: z.object({ M: z.number(), efConstruction: z.number(), efSearch: z.number(), maxElements: z.number() }).nullable(),
  }),
  corpus: z.object({
    dirs: z.array(z.string()),
    /** sha256 over the sorted (letter id, content hash) pairs. */
    fingerprint: z.string(),
  }),
  letters: z.array(
    z.object({
      id: z.string(),
      file: z.string(),
      /** sha256 of the file's decoded text and front matter (and the index schema). */
      hash: z.string(),
      passages: z.number().int().nonnegative(),
      /** textHash of the letter's text as stored: the answer path checks a letter against it before quoting it. */
      textHash: z.string(),
      /** Size and modification time when read: an unchanged file is not read again. */
      size: z.number().int().nonnegative().optional(),
      mtimeMs: z.number().optional(),
    }),
  ),
  skipped: z.array(z.object({ file: z.string(), reason: z.string() })),
  counts: z.object({ letters: z.number().int(), passages: z.number().int(), vectors: z.number().int() }),
  /**
   * Present when the generation is layered (an incremental build): the base segment's files are
   * those of an earlier generation, shared by hard link, with some of its letters removed; the
   * delta segment (`delta.*` files) holds the letters added or changed since. `letters` above lists
   * the live letters in index order: the base's that remain, then the delta's.
   */
  segments: z
    .object({
      base: z.object({ letters: z.number().int().nonnegative(), passages: z.number().int().nonnegative() }),
      /** Base letter ordinals no longer live (removed, or changed: their new version is in the delta). */
      removedLetters: z.array(z.number().int().nonnegative()),
      /** How many base passages those letters had. */
      removedPassages: z.number().int().nonnegative(),
      delta: z.object({ letters: z.number().int().nonnegative(), passages: z.number().int().nonnegative() }),
    })
    .optional(),
  /** Files of the generation that must be present. */
  files: z.array(z.string()),
  /** Length and CRC-32 of every file but the manifest (which carries a CRC of its own, see readManifest). */
  checksums: z.record(z.string(), z.object({ bytes: z.number().int().nonnegative(), crc32: z.number().int().nonnegative() })),
});
export type Manifest = z.infer<typeof ManifestSchema>;

/**
 * A column of `what`s: checked in one loop (z.array(z.string()) over 100,000 ids costs zod ~50 ms a column).
 *
 * @example columnOf('string', (v) => typeof v === 'string').parse(['a', 'b']) // → ['a', 'b']
 */
export function columnOf<T>(what: string, isValue: (v: unknown) => boolean) {
  return z.custom<T[]>((v) => Array.isArray(v) && v.every(isValue), { message: `expected an array of ${what}s` });
}

/**
 * The letters as manifest.json stores them: one array per field (rows of 100,000 objects took 1.4 s to read and
 * validate at 100,000 letters, and as long to write; columns carry no repeated keys, and are validated by type and
 * length). A size or modification time not recorded is null. Manifests of earlier versions list rows, still read.
 */
const LetterColumnsSchema = z
  .object({
    id: columnOf<string>('string', (v) => typeof v === 'string'),
    file: columnOf<string>('string', (v) => typeof v === 'string'),
    hash: columnOf<string>('string', (v) => typeof v === 'string'),
    passages: columnOf<number>('count', (v) => Number.isInteger(v) && (v as number) >= 0),
    textHash: columnOf<string>('string', (v) => typeof v === 'string'),
    size: columnOf<number | null>('count or null', (v) => v === null || (Number.isInteger(v) && (v as number) >= 0)),
    mtimeMs: columnOf<number | null>('number or null', (v) => v === null || Number.isFinite(v)),
  })
  .refine((c) => Object.values(c).every((column) => column.length === c.id.length), { message: 'its letter columns differ in length' });
type LetterColumns = z.infer<typeof LetterColumnsSchema>;

/** The manifest as its file holds it (letters as columns, or as rows when written by an earlier version). */
const ManifestFileSchema = ManifestSchema.extend({ letters: z.union([LetterColumnsSchema, ManifestSchema.shape.letters]) });

/**
 * A manifest's text as manifest.json holds it: letters as columns.
 *
 * @example JSON.parse(manifestText(manifest)).letters.id // → ['letter-00000', …]
 */
export function manifestText(manifest: Manifest): string {
  const rows = manifest.letters;
  const columns: LetterColumns = {
    id: rows.map((l) => l.id),
    file: rows.map((l) => l.file),
    hash: rows.map((l) => l.hash),
    passages: rows.map((l) => l.passages),
    textHash: rows.map((l) => l.textHash),
    size: rows.map((l) => l.size ?? null),
    mtimeMs: rows.map((l) => l.mtimeMs ?? null),
  };
  return JSON.stringify({ ...manifest, letters: columns });
}

/**
 * Validates a parsed manifest.json (without its own CRC) and gives the manifest, its letters as rows.
 *
 * @example const parsed = parseManifest(JSON.parse(text)); if (parsed.success) use(parsed.data);
 */
export function parseManifest(json: unknown): { success: true; data: Manifest } | { success: false; error: z.ZodError } {
  const parsed = ManifestFileSchema.safeParse(json);
  if (!parsed.success) return parsed;
  const { letters } = parsed.data;
  if (Array.isArray(letters)) return { success: true, data: { ...parsed.data, letters } };
  const rows: Manifest['letters'] = new Array(letters.id.length);
  for (let i = 0; i < rows.length; i++) {
    const row: Manifest['letters'][number] = { id: letters.id[i], file: letters.file[i], hash: letters.hash[i], passages: letters.passages[i], textHash: letters.textHash[i] };
    const size = letters.size[i];
    const mtimeMs = letters.mtimeMs[i];
    if (size !== null) row.size = size;
    if (mtimeMs !== null) row.mtimeMs = mtimeMs;
    rows[i] = row;
  }
  return { success: true, data: { ...parsed.data, letters: rows } };
}

/**
 * Why an index cannot be used: 'corrupt' (damaged or inconsistent files: only `--full` rebuilds
 * from the corpus), 'schema' (written by another version), 'missing' (no index yet), 'refused' (a
 * build that would lose letters or the index), 'write' (a build could not write), or 'other'.
 */
export type IndexErrorKind = 'corrupt' | 'schema' | 'missing' | 'refused' | 'write' | 'other';

/**
 * An index that cannot be used or built as asked: the message says why and what to run.
 *
 * @example new IndexError('the index at data/index/gen-1 is corrupt: texts.bin is damaged …', { kind: 'corrupt', file: 'texts.bin' })
 */
export class IndexError extends Error {
  readonly kind: IndexErrorKind;
  /** The file concerned, when there is one. */
  readonly file: string | undefined;
  constructor(message: string, options: { kind?: IndexErrorKind; file?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'IndexError';
    this.kind = options.kind ?? 'other';
    this.file = options.file;
  }
}
