/**
 * The index manifest: what an index folder holds and how it was made. Loading checks it first, so
 * an index from another version or another model is one clear error, not a strange result.
 */
import { z } from 'zod';

/** Bump when the on-disk layout or the parser's output changes meaningfully. */
// 5: letters carry the header section (Letter.header) at the head of their text (issue #11).
export const INDEX_SCHEMA_VERSION = 5;

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
});
export type Manifest = z.infer<typeof ManifestSchema>;

/** An index that cannot be used as it is: the message says why and what to run. */
export class IndexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IndexError';
  }
}
