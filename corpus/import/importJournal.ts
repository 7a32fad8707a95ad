/**
 * What the importer remembers between runs, as an append-only JSON-lines file in the corpus
 * folder (`.fuhan-import/journal.jsonl`; the corpus reader skips dot-folders). Each line is one
 * fact (a list page read, a letter saved or found a duplicate, a column walked to its end),
 * appended after the letter's files are in place; the last line about a URL wins. A run killed
 * mid-write leaves at most a torn last line, which is ignored: nothing else is lost, and the
 * next run continues from what the journal holds.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

export const IMPORT_STATE_DIR = '.fuhan-import';

const Validators = { etag: z.string().optional(), lastModified: z.string().optional() };

const ListPage = z.object({
  t: z.literal('list'),
  url: z.string(),
  ...Validators,
  entries: z.array(z.object({ url: z.string(), title: z.string(), date: z.string().optional() })),
  pages: z.array(z.string()),
  at: z.string(),
});

const LetterPage = z.object({
  t: z.literal('letter'),
  /** The URL as linked (before redirects). */
  url: z.string(),
  /** The letter's page after redirects: its citation link. */
  source: z.string(),
  /** Saved file, relative to the corpus folder (absent for a duplicate). */
  file: z.string().optional(),
  ...Validators,
  sha256: z.string(),
  /** Hash of the letter's text as read: the same letter under two URLs, or re-published with new page furniture, is the same letter. */
  textHash: z.string(),
  duplicateOf: z.string().optional(),
  at: z.string(),
});

/** A page that answered but holds no letter (unclassifiable, a list linked as an entry). */
const Skipped = z.object({ t: z.literal('skip'), url: z.string(), ...Validators, reason: z.string(), at: z.string() });

const Column = z.object({ t: z.literal('column'), url: z.string(), complete: z.boolean(), at: z.string() });

const Entry = z.discriminatedUnion('t', [ListPage, LetterPage, Skipped, Column]);
export type JournalEntry = z.infer<typeof Entry>;
export type ListPageEntry = z.infer<typeof ListPage>;
export type LetterPageEntry = z.infer<typeof LetterPage>;
export type SkippedEntry = z.infer<typeof Skipped>;

/**
 * @example
 * const journal = await ImportJournal.open('corpus/letters');
 * journal.letters.get('https://www.example.gov.cn/jyta/t1.html')?.etag
 * await journal.append({ t: 'column', url, complete: true, at: new Date().toISOString() });
 */
export class ImportJournal {
  readonly lists = new Map<string, ListPageEntry>();
  readonly letters = new Map<string, LetterPageEntry>();
  readonly skips = new Map<string, SkippedEntry>();
  /** Column URL → when it was last walked to its end (ISO time). */
  readonly columns = new Map<string, string>();
  /** Letter text hash → the URL first saved with it. */
  readonly byText = new Map<string, string>();
  /** Saved file (corpus-relative) → the source URL it holds. */
  readonly byFile = new Map<string, string>();

  private constructor(
    readonly file: string,
    private readonly writable: boolean,
  ) {}

  /** Reads the journal of a corpus folder (none yet: empty). `writable: false` (dry runs) never writes. */
  static async open(corpusDir: string, writable = true): Promise<ImportJournal> {
    const journal = new ImportJournal(path.join(corpusDir, IMPORT_STATE_DIR, 'journal.jsonl'), writable);
    const text = await readFile(journal.file, 'utf8').catch(() => '');
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      let parsed;
      try {
        parsed = Entry.safeParse(JSON.parse(line));
      } catch {
        continue; // a torn last line from a killed run
      }
      if (parsed.success) journal.remember(parsed.data);
    }
    if (writable && text !== '' && !text.endsWith('\n')) await appendFile(journal.file, '\n');
    return journal;
  }

  /** Records one fact (in memory, and on disk unless read-only). */
  async append(entry: JournalEntry): Promise<void> {
    this.remember(entry);
    if (!this.writable) return;
    await mkdir(path.dirname(this.file), { recursive: true });
    await appendFile(this.file, `${JSON.stringify(entry)}\n`);
  }

  private remember(entry: JournalEntry): void {
    if (entry.t === 'list') this.lists.set(entry.url, entry);
    else if (entry.t === 'column') {
      if (entry.complete) this.columns.set(entry.url, entry.at);
    }
    else if (entry.t === 'skip') this.skips.set(entry.url, entry);
    else {
      this.letters.set(entry.url, entry);
      if (!entry.duplicateOf && !this.byText.has(entry.textHash)) this.byText.set(entry.textHash, entry.url);
      if (entry.file) this.byFile.set(entry.file, entry.source);
    }
  }
}
