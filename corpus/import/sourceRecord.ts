/**
 * The record saved beside each imported letter: where it came from and how it was fetched.
 * `letter.html` gets `letter.html.source.json`; the corpus reader passes `.json` files over
 * silently, and takes the letter's `source` (its citation link) from this record.
 *
 * @example
 * // corpus/letters/www.example.gov.cn/jyta/t20240724_1.html.source.json
 * { "source": "https://www.example.gov.cn/jyta/t20240724_1.html", "fetched": "https://www.example.gov.cn/jyta/t20240724_1.html",
 *   "fetchedAt": "2024-07-25T02:00:00.000Z", "etag": "\"66a0-5f1\"", "sha256": "9f2c…" }
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';

export const RECORD_SUFFIX = '.source.json';

export const SourceRecordSchema = z.object({
  /** The letter's page: the citation's link. */
  source: z.string().url(),
  /** What was saved: the page itself, or the attachment it shows (PDF/DOCX). */
  fetched: z.string().url(),
  fetchedAt: z.string(),
  etag: z.string().optional(),
  lastModified: z.string().optional(),
  /** SHA-256 of the saved bytes. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  contentType: z.string().optional(),
});
export type SourceRecord = z.infer<typeof SourceRecordSchema>;

/** The record file of a letter file. */
export function recordFileOf(letterFile: string): string {
  return `${letterFile}${RECORD_SUFFIX}`;
}

/**
 * The source URL a letter file's record gives, if it has a valid one (no record: undefined).
 *
 * @example
 * await recordedSource('corpus/letters/www.example.gov.cn/jyta/t20240724_1.html')
 * // → 'https://www.example.gov.cn/jyta/t20240724_1.html'
 */
export async function recordedSource(letterFile: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(recordFileOf(letterFile), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = SourceRecordSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.source : undefined;
  } catch {
    return undefined;
  }
}
