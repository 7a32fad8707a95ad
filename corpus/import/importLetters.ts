/**
 * Imports reply letters from government websites into a corpus folder.
 *
 * Given a detail page, it imports that letter; given a list page (a column such as
 * 建议提案办理结果公开), it follows the column's pager and its letter links on the same site.
 * Each letter is saved as fetched (the HTML page, or the PDF/DOCX the page only frames) beside
 * its source record; what it remembers lives in the corpus folder's journal, so a re-run sends
 * conditional requests, imports only what is new or changed, and a killed run loses nothing.
 *
 * Stops at `max` letters added or updated, at letters older than `since`, and — once a column
 * has been walked to its end — at a list page that brings nothing new (older pages were seen);
 * a week after the last whole walk (`recheckAfterMs`), or with `recheck`, it walks the column whole.
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { parseLetter } from '../parseLetter.ts';
import { decodeText } from '../read/decodeText.ts';
import { readCorpus } from '../readCorpus.ts';
import { sniffHtmlCharset } from '../read/htmlToText.ts';
import { classifyPage, type ClassifyOptions, type ListEntry, type PageKind } from './classifyPage.ts';
import { IMPORT_STATE_DIR, ImportJournal, type LetterPageEntry } from './importJournal.ts';
import { extensionFor, letterFileFor, letterTextHash, sha256, stageLetter } from './letterFiles.ts';
import { FetchError, PoliteFetcher, type Fetched, type FetcherOptions } from './politeFetcher.ts';
import { pageNumber } from './pager.ts';
import { pageUrl, sameSite } from './siteUrl.ts';

export type LetterOutcome = 'added' | 'updated' | 'unchanged' | 'skipped';

/** What happened to one letter URL. */
export interface LetterResult {
  url: string;
  outcome: LetterOutcome;
  /** Why it was skipped, or why "unchanged" (not modified, same content, same text). */
  reason?: string;
  /** Corpus-relative file. */
  file?: string;
  /** The letter's page after redirects: its citation link. */
  source?: string;
  title?: string;
  issuer?: string | null;
  proposal?: string | null;
  date?: string | null;
  passages?: number;
}

/** A page that is not a letter and could not be used as a list (failed, or unclassifiable). */
export interface PageProblem {
  url: string;
  reason: string;
}

export interface ImportReport {
  letters: LetterResult[];
  counts: Record<LetterOutcome, number>;
  /** List pages read (fetched or known unchanged). */
  listPages: number;
  problems: PageProblem[];
  /** Why the import stopped before the end, if it did. */
  stopped?: string;
  dryRun: boolean;
  ms: number;
}

export type ImportEvent =
  | { type: 'list'; url: string; entries: number; pages: number }
  | { type: 'letter'; result: LetterResult; done: number; found: number }
  | { type: 'problem'; problem: PageProblem };

export interface ImportOptions extends FetcherOptions {
  /** The corpus folder letters are saved into (and whose journal is used). */
  corpusDir: string;
  /** Folders whose letters (put there by hand, shipped, uploaded) count as already present: a letter with the same text is not imported again. Default: `[corpusDir]`. */
  corpusDirs?: string[];
  /** Stop after this many letters added or updated. */
  max?: number;
  /** ISO date: letters dated before it are skipped (and a list page of only older letters ends the column). */
  since?: string;
  /** Fetch and classify, report what would happen, write nothing. */
  dryRun?: boolean;
  /** Walk whole columns again even when they were walked before (by default a list page with nothing new ends a known column). */
  recheck?: boolean;
  /** A column last walked to its end longer ago than this is walked whole again (conditional requests: cheap), so a letter changed on a later page is found. Default 7 days. */
  recheckAfterMs?: number;
  classify?: ClassifyOptions;
  onEvent?: (event: ImportEvent) => void;
}

class StopImport extends Error {}

/**
 * @example
 * const report = await importLetters(['https://www.example.gov.cn/jyta/index.html'], { corpusDir: 'corpus/letters', max: 50 });
 * console.log(report.counts); // { added: 12, updated: 0, unchanged: 0, skipped: 1 }
 */
export async function importLetters(urls: string[], options: ImportOptions): Promise<ImportReport> {
  // Staging files of a run killed mid-letter: never part of the corpus, safe to drop.
  if (!options.dryRun) await rm(path.join(options.corpusDir, IMPORT_STATE_DIR, 'staging'), { recursive: true, force: true });
  const importer = new Importer(options, await ImportJournal.open(options.corpusDir, !options.dryRun));
  try {
    return await importer.run(urls);
  } finally {
    await importer.close();
  }
}

class Importer {
  private readonly fetcher: PoliteFetcher;
  private readonly report: ImportReport;
  private readonly seenLetters = new Set<string>();
  private readonly started = Date.now();
  private found = 0;
  private present?: Promise<Map<string, string>>;

  constructor(
    private readonly options: ImportOptions,
    private readonly journal: ImportJournal,
  ) {
    this.fetcher = new PoliteFetcher(options);
    this.report = { letters: [], counts: { added: 0, updated: 0, unchanged: 0, skipped: 0 }, listPages: 0, problems: [], dryRun: Boolean(options.dryRun), ms: 0 };
  }

  async run(urls: string[]): Promise<ImportReport> {
    try {
      for (const raw of urls) {
        const url = pageUrl(raw);
        if (!url) {
          this.problem({ url: raw, reason: 'not an http(s) URL' });
          continue;
        }
        await this.start(url);
      }
    } catch (err) {
      if (!(err instanceof StopImport)) throw err;
      this.report.stopped = err.message;
    }
    this.report.ms = Date.now() - this.started;
    return this.report;
  }

  close(): Promise<void> {
    return this.fetcher.close();
  }

  /** A URL handed over: a list (walk the column) or a letter. */
  private async start(url: string): Promise<void> {
    const page = await this.fetchPage(url, this.journal.lists.get(url) ?? this.known(url));
    if (!page) return;
    if (page.kind === 'unchanged') {
      const list = this.journal.lists.get(url);
      if (list) return this.walkColumn(url, { kind: 'list', entries: list.entries, pages: list.pages, offSite: 0 });
      this.record({ url, outcome: 'unchanged', reason: 'not modified', ...this.knownFields(url) });
      return;
    }
    const kind = this.kindOf(page.fetched);
    if (kind.kind === 'list') {
      await this.rememberList(url, page.fetched, kind);
      return this.walkColumn(url, kind);
    }
    if (kind.kind === 'unknown') return this.problem({ url, reason: kind.reason });
    this.seenLetters.add(url);
    this.found++;
    await this.letterFrom(url, page.fetched, kind);
  }

  /** Walks a column's list pages in pager order, importing each entry. */
  private async walkColumn(column: string, first: Extract<PageKind, { kind: 'list' }>): Promise<void> {
    const walked = this.journal.columns.get(column);
    const recheckAfterMs = this.options.recheckAfterMs ?? 7 * 86_400_000;
    const stopAtKnown = walked !== undefined && !this.options.recheck && Date.now() - Date.parse(walked) < recheckAfterMs;
    const queue: { url: string; list: Extract<PageKind, { kind: 'list' }> | null }[] = [{ url: column, list: first }];
    const queued = new Set([column]);
    let stoppedEarly = false;
    while (queue.length) {
      const item = queue.shift()!;
      const list = item.list ?? (await this.readList(item.url));
      if (!list) continue;
      this.report.listPages++;
      this.options.onEvent?.({ type: 'list', url: item.url, entries: list.entries.length, pages: list.pages.length });
      const fresh = list.entries.filter((e) => !this.seenLetters.has(e.url));
      this.found += fresh.length;
      let changed = 0;
      let older = 0;
      for (const entry of fresh) {
        this.seenLetters.add(entry.url);
        if (this.options.since && entry.date && entry.date < this.options.since) {
          older++;
          this.record({ url: entry.url, outcome: 'skipped', reason: `dated ${entry.date}, before --since ${this.options.since}`, title: entry.title });
          continue;
        }
        const result = await this.letterAt(entry, column);
        if (result.outcome === 'added' || result.outcome === 'updated') changed++;
      }
      if (stopAtKnown && changed === 0) {
        stoppedEarly = true;
        break; // the rest of the column was read before
      }
      if (this.options.since && fresh.length > 0 && older === fresh.length) {
        stoppedEarly = true;
        break; // lists run newest first: the next pages are older still
      }
      for (const next of list.pages) {
        if (queued.has(next)) continue;
        queued.add(next);
        queue.push({ url: next, list: null });
      }
      // In page order (a 尾页 link is found before page 2): the stops above rely on newest first.
      queue.sort((a, b) => pageNumber(a.url) - pageNumber(b.url));
    }
    if (!stoppedEarly && !this.options.dryRun) await this.journal.append({ t: 'column', url: column, complete: true, at: new Date().toISOString() });
  }

  /** A further list page of a column: fetched conditionally; a 304 reuses the entries remembered. */
  private async readList(url: string): Promise<Extract<PageKind, { kind: 'list' }> | null> {
    const known = this.journal.lists.get(url);
    const page = await this.fetchPage(url, known);
    if (!page) return null;
    if (page.kind === 'unchanged') return known ? { kind: 'list', entries: known.entries, pages: known.pages, offSite: 0 } : null;
    const kind = this.kindOf(page.fetched);
    if (kind.kind !== 'list') {
      this.problem({ url, reason: kind.kind === 'unknown' ? kind.reason : 'the pager led to a page that is not a list' });
      return null;
    }
    await this.rememberList(url, page.fetched, kind);
    return kind;
  }

  private async rememberList(url: string, fetched: Fetched, list: Extract<PageKind, { kind: 'list' }>): Promise<void> {
    await this.journal.append({ t: 'list', url, ...fetched.validators, entries: list.entries, pages: list.pages, at: fetched.fetchedAt });
  }

  /** One entry of a list: fetched (conditionally when known), classified, saved. */
  private async letterAt(entry: ListEntry, column: string): Promise<LetterResult> {
    const { url } = entry;
    if (!sameSite(url, column)) return this.record({ url, outcome: 'skipped', reason: 'off-site link (never followed)' });
    const known = this.known(url);
    const skippedBefore = this.journal.skips.get(url);
    let fetched: Fetched;
    try {
      fetched = await this.fetcher.fetch(url, known ?? skippedBefore ?? {});
    } catch (err) {
      return this.record({ url, outcome: 'skipped', reason: failure(err), title: entry.title });
    }
    if (fetched.status === 'not-modified') {
      if (!known && skippedBefore) return this.record({ url, outcome: 'skipped', reason: `${skippedBefore.reason} (not modified)`, title: entry.title });
      return this.record({ url, outcome: 'unchanged', reason: 'not modified', ...this.knownFields(url) });
    }
    const kind = this.kindOf(fetched);
    if (kind.kind === 'list') return this.skipPage(url, fetched, 'a list page, not a letter', entry.title);
    if (kind.kind === 'unknown') return this.skipPage(url, fetched, kind.reason, entry.title);
    return this.letterFrom(url, fetched, kind, entry);
  }

  /** A PDF/DOCX is a letter by itself; an HTML page is classified by its structure. */
  private kindOf(fetched: Extract<Fetched, { status: 'ok' }>): PageKind {
    if (extensionFor(fetched.bytes, fetched.contentType, fetched.url) !== '.html') return { kind: 'letter' };
    return classifyPage(decodeHtml(fetched.bytes, fetched.contentType), fetched.url, this.options.classify);
  }

  /** A fetched letter page (or a shell: its attachment is fetched) → checked, de-duplicated, saved. */
  private async letterFrom(url: string, page: Extract<Fetched, { status: 'ok' }>, kind: PageKind, entry?: ListEntry): Promise<LetterResult> {
    const source = page.url;
    let saved: Extract<Fetched, { status: 'ok' }> = page;
    if (kind.kind === 'shell') {
      if (!sameSite(kind.attachment, url)) return this.record({ url, outcome: 'skipped', reason: `the letter is an off-site attachment (${kind.attachment})`, source });
      try {
        const attachment = await this.fetcher.fetch(kind.attachment);
        if (attachment.status !== 'ok') throw new Error('unexpected 304');
        saved = attachment;
      } catch (err) {
        return this.record({ url, outcome: 'skipped', reason: `attachment ${kind.attachment}: ${failure(err)}`, source });
      }
    }
    const known = this.known(url);
    const hash = sha256(saved.bytes);
    if (known && known.sha256 === hash) {
      // Same bytes under new validators (a server that re-stamps pages): remember them, so the next run can ask conditionally.
      if (known.etag !== page.validators.etag || known.lastModified !== page.validators.lastModified) {
        await this.journal.append({ ...known, etag: page.validators.etag, lastModified: page.validators.lastModified, at: page.fetchedAt });
      }
      return this.record({ url, outcome: 'unchanged', reason: 'same content', ...this.knownFields(url) });
    }
    const ext = extensionFor(saved.bytes, saved.contentType, saved.url);
    // A letter re-published in another format (HTML → PDF) replaces its old file.
    const finalFile = known?.file && path.extname(known.file) === ext ? known.file : this.freeFileFor(source, ext);
    const staged = await stageLetter(this.options.corpusDir, finalFile, saved.bytes, source);
    if (!staged.ok) return this.record({ url, outcome: 'skipped', reason: staged.reason, source });
    const { letter } = staged;
    const fields = { source, file: finalFile, title: letter.title, issuer: letter.issuer, proposal: letter.proposal, date: letter.date ?? letter.published, passages: staged.passages };
    const entryBase: Omit<LetterPageEntry, 'file'> = { t: 'letter', url, source, ...page.validators, sha256: hash, textHash: staged.textHash, at: saved.fetchedAt };
    // Publication first (the list's date, the page's 发布时间): a letter signed in May and published in July is new in July.
    const letterDate = entry?.date ?? letter.published ?? letter.date;
    if (this.options.since && letterDate && letterDate < this.options.since) {
      await staged.discard();
      return this.record({ url, outcome: 'skipped', reason: `dated ${letterDate}, before --since ${this.options.since}`, source });
    }
    const imported = this.journal.byText.get(staged.textHash);
    const present = imported ? undefined : (await this.lettersPresent()).get(staged.textHash);
    const duplicateOf = imported ?? present;
    if (duplicateOf && duplicateOf !== url) {
      await staged.discard();
      await this.journal.append({ ...entryBase, duplicateOf });
      return this.record({ url, outcome: 'skipped', reason: imported ? `duplicate of ${imported}` : `already in the corpus (${present})`, source });
    }
    if (known?.file && known.textHash === staged.textHash) {
      // New page furniture (a counter, a menu), same letter: nothing to re-index.
      await staged.discard();
      await this.journal.append({ ...entryBase, file: known.file });
      return this.record({ url, outcome: 'unchanged', reason: 'same letter text (only the page around it changed)', ...fields, file: known.file });
    }
    const outcome: LetterOutcome = known?.file ? 'updated' : 'added';
    if (this.options.dryRun) {
      await staged.discard();
      return this.counted(this.record({ url, outcome, ...fields }));
    }
    await staged.commit({
      source,
      fetched: saved.url,
      fetchedAt: saved.fetchedAt,
      ...saved.validators,
      sha256: hash,
      contentType: saved.contentType || undefined,
    });
    if (known?.file && known.file !== finalFile) await rm(path.join(this.options.corpusDir, known.file), { force: true });
    await this.journal.append({ ...entryBase, file: finalFile });
    return this.counted(this.record({ url, outcome, ...fields }));
  }

  /** Stops the run once `max` letters were added or updated. */
  private counted(result: LetterResult): LetterResult {
    const changes = this.report.counts.added + this.report.counts.updated;
    if (this.options.max !== undefined && changes >= this.options.max) throw new StopImport(`reached --max ${this.options.max}`);
    return result;
  }

  /** A page that answered but is not a letter: remembered with its validators, so the next run asks conditionally. */
  private async skipPage(url: string, fetched: Extract<Fetched, { status: 'ok' }>, reason: string, title?: string): Promise<LetterResult> {
    await this.journal.append({ t: 'skip', url, ...fetched.validators, reason, at: fetched.fetchedAt });
    return this.record({ url, outcome: 'skipped', reason, title });
  }

  /** Fetches a start or list page: its HTML, or "unchanged" on a 304; problems reported. */
  private async fetchPage(
    url: string,
    known: { etag?: string; lastModified?: string } | undefined,
  ): Promise<{ kind: 'fetched'; fetched: Extract<Fetched, { status: 'ok' }> } | { kind: 'unchanged' } | null> {
    let fetched: Fetched;
    try {
      fetched = await this.fetcher.fetch(url, known ?? {});
    } catch (err) {
      this.problem({ url, reason: failure(err) });
      return null;
    }
    return fetched.status === 'not-modified' ? { kind: 'unchanged' } : { kind: 'fetched', fetched };
  }

  /**
   * Text hash → source (or file) of the letters already in the corpus folders that the importer did
   * not bring in: read once per run, and only when a letter is about to be added.
   */
  private lettersPresent(): Promise<Map<string, string>> {
    this.present ??= (async () => {
      const imported = new Set([...this.journal.byFile.keys()].map((f) => path.resolve(this.options.corpusDir, f)));
      const dirs = this.options.corpusDirs ?? [this.options.corpusDir];
      const present = new Map<string, string>();
      for (const dir of dirs) {
        const { docs } = await readCorpus(dir, { isUnchanged: (file) => imported.has(path.resolve(file)) });
        for (const doc of docs) present.set(letterTextHash(parseLetter(doc)), doc.frontMatter.source ?? path.relative(dir, doc.file));
      }
      return present;
    })();
    return this.present;
  }

  /** What the journal knows of a letter URL, unless its file has since been removed from the corpus (then it is fetched afresh). */
  private known(url: string): LetterPageEntry | undefined {
    const entry = this.journal.letters.get(url);
    if (entry?.file && !existsSync(path.join(this.options.corpusDir, entry.file))) return undefined;
    return entry;
  }

  /** The letter's file name, unless another source already has it (`a b.html` and `a-b.html` slug alike): then with a hash of the URL. */
  private freeFileFor(source: string, ext: string): string {
    const file = letterFileFor(source, ext);
    const owner = this.journal.byFile.get(file);
    if (!owner || owner === source) return file;
    return `${file.slice(0, -ext.length)}-${sha256(source).slice(0, 8)}${ext}`;
  }

  private knownFields(url: string): Partial<LetterResult> {
    const known = this.journal.letters.get(url);
    return known ? { source: known.source, file: known.file } : {};
  }

  private record(result: LetterResult): LetterResult {
    this.report.letters.push(result);
    this.report.counts[result.outcome]++;
    this.options.onEvent?.({ type: 'letter', result, done: this.report.letters.length, found: Math.max(this.found, this.report.letters.length) });
    return result;
  }

  private problem(problem: PageProblem): void {
    this.report.problems.push(problem);
    this.options.onEvent?.({ type: 'problem', problem });
  }
}

/** A page's text, decoded as the readers decode HTML files (declared charset, then detection). */
function decodeHtml(bytes: Uint8Array, contentType: string): string {
  const declared = /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType)?.[1];
  const decoded = decodeText(bytes, sniffHtmlCharset(bytes) ?? declared);
  return decoded.ok ? decoded.text : '';
}

function failure(err: unknown): string {
  if (err instanceof FetchError) return err.message;
  return err instanceof Error ? err.message : String(err);
}
