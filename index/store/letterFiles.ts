/**
 * Letters and passages on disk, laid out for a fast, lean load:
 *
 *   letters.json   each letter's metadata, plus the few strings spans cannot give (section paths…)
 *   texts.bin      every letter's text, UTF-16 code units back to back, with offsets
 *   spans.bin      columns of numbers: sections, commitments and passages as spans of their letter
 *
 * Loading decodes each letter's text once; each passage's, heading's and commitment's text is a slice
 * of it (V8 shares the characters), so the corpus's text sits in memory once, and there is no 100 MB
 * JSON document to read, parse and validate at start-up. The columns are checked for length and
 * range, the JSON with zod.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { LetterSchema, type Commitment, type Letter, type Passage, type Section } from '../../corpus/letter.ts';
import { sectionHeadings } from '../../corpus/passages.ts';
import { WriteError, writeDurably, type FileSum } from './fileSums.ts';
import { readTypedArrays, typedColumn, writeTypedArrays, writeTypedArraysFilled } from './typedArrayFile.ts';

const LetterMetadataSchema = LetterSchema.omit({ text: true, sections: true, commitments: true });
const StoredLettersSchema = z.object({
  letters: z.array(LetterMetadataSchema),
  /** Path of every section, in spans.bin's section order. */
  sectionPaths: z.array(z.string()),
  /** Section path of every commitment. */
  commitmentSections: z.array(z.string()),
  /** Headings that are not the text at their section's start (none so far; kept exact if one appears). */
  headingOverrides: z.record(z.string(), z.string()),
  /** Passages whose id, section or headings are not what their letter's sections give: [id, section, headings]. */
  passageOverrides: z.record(z.string(), z.tuple([z.string(), z.string(), z.array(z.string())])),
});

export const LETTER_FILES = ['letters.json', 'texts.bin', 'spans.bin'];

/** The letter files of a segment whose files start with `prefix` ('' for the base, 'delta.' for a delta). */
export function letterFiles(prefix = ''): string[] {
  return LETTER_FILES.map((f) => prefix + f);
}

/** Marks "no section" in the passages' section column (section ordinals are stored + 1). */
const NO_SECTION = 0;

/**
 * Writes letters and passages (passages in index order; `passageLetter` maps them to letters), into
 * files whose names start with `prefix` (a segment's). Returns each file's sum, by file name.
 *
 * @example
 * const sums = await saveLetters(dir, index.letters, index.passages, index.passageLetter);
 */
export async function saveLetters(dir: string, letters: Letter[], passages: Passage[], passageLetter: Uint32Array, prefix = ''): Promise<Record<string, FileSum>> {
  const writer = new LetterFilesWriter();
  for (const l of letters) writer.addLetter(l);
  passages.forEach((p, i) => writer.addPassage(p, letters[passageLetter[i]], passageLetter[i]));
  return writer.write(dir, prefix);
}

/** Characters of texts gathered before they are appended to the text file (8 MB). */
const TEXT_FLUSH = 4 << 20;

/**
 * Letters and passages added one by one, written as saveLetters writes them. A build adds each
 * batch as it is parsed and lets it go: what is kept is the letters' metadata and numbers (their
 * spans), and with `textFile` not even their texts, which go to that file as they come (a build of
 * 100,000 letters held 2.3 GB of parsed letters and passages until its write; their texts alone are
 * 219 M characters).
 *
 * @example
 * const writer = new LetterFilesWriter({ textFile: path.join(indexDir, '.build-texts') });
 * const ordinal = writer.addLetter(letter);
 * for (const p of passages) writer.addPassage(p, letter, ordinal);
 * const sums = await writer.write(generationDir);
 * writer.dispose();
 */
export class LetterFilesWriter {
  private readonly stored: Omit<Letter, 'text' | 'sections' | 'commitments'>[] = [];
  private readonly textOffsets = [0];
  private readonly sectionOffsets = [0];
  private readonly commitmentOffsets = [0];
  private readonly section = { level: [] as number[], start: [] as number[], end: [] as number[], headingLength: [] as number[] };
  private readonly commitment = { start: [] as number[], end: [] as number[] };
  private readonly sectionPaths: string[] = [];
  private readonly commitmentSections: string[] = [];
  private readonly headingOverrides: Record<string, string> = {};
  private readonly passage = { letter: [] as number[], start: [] as number[], end: [] as number[], section: [] as number[] };
  private readonly passageOverrides: Record<string, [string, string, string[]]> = {};
  /** Per letter: its passages added so far. */
  private readonly perLetter: number[] = [];
  /** Texts not yet in the text file (all of them, without one). */
  private texts: string[] = [];
  private pendingChars = 0;
  private fd: number | null = null;
  private textBytes = 0;

  constructor(private readonly options: { textFile?: string } = {}) {}

  /** Passages added. */
  get passages(): number {
    return this.passage.start.length;
  }

  /** Each letter added: its id, file and passages. */
  entries(): { id: string; file: string; passages: number }[] {
    return this.stored.map((l, i) => ({ id: l.id, file: l.file, passages: this.perLetter[i] }));
  }

  /** Adds a letter (after those added before); returns its ordinal. */
  addLetter(l: Letter): number {
    const i = this.stored.length;
    const { text: _t, sections: _s, commitments: _c, ...meta } = l;
    this.stored.push(meta);
    this.perLetter.push(0);
    this.textOffsets.push(this.textOffsets[i] + l.text.length);
    this.sectionOffsets.push(this.sectionOffsets[i] + l.sections.length);
    this.commitmentOffsets.push(this.commitmentOffsets[i] + l.commitments.length);
    l.sections.forEach((s, k) => {
      const j = this.sectionOffsets[i] + k;
      this.section.level.push(s.level);
      this.section.start.push(s.start);
      this.section.end.push(s.end);
      this.section.headingLength.push(s.heading.length);
      if (l.text.slice(s.start, s.start + s.heading.length) !== s.heading) this.headingOverrides[j] = s.heading;
      this.sectionPaths.push(s.path);
    });
    for (const c of l.commitments) {
      this.commitment.start.push(c.start);
      this.commitment.end.push(c.end);
      this.commitmentSections.push(c.section);
    }
    this.texts.push(l.text);
    this.pendingChars += l.text.length;
    if (this.options.textFile && this.pendingChars >= TEXT_FLUSH) {
      try {
        this.flush();
      } catch (e) {
        throw new WriteError(this.options.textFile, e);
      }
    }
    return i;
  }

  /** Adds a passage (after those added before) of `letter`, the letter added as `ordinal`. */
  addPassage(p: Passage, letter: Letter, ordinal: number): void {
    const i = this.passage.start.length;
    const s = p.section ? letter.sections.findIndex((x) => x.path === p.section) + 1 : NO_SECTION;
    this.passage.letter.push(ordinal);
    this.passage.start.push(p.start);
    this.passage.end.push(p.end);
    this.passage.section.push(s);
    const rebuilt = s === NO_SECTION ? '' : letter.sections[s - 1].path;
    const id = `${letter.id}#${this.perLetter[ordinal]++}`;
    if (id !== p.id || rebuilt !== p.section || !sameList(sectionHeadings(letter.sections, rebuilt, p.start), p.headings)) {
      this.passageOverrides[i] = [p.id, p.section, p.headings];
    }
  }

  /** Appends the texts gathered to the text file. */
  private flush(): void {
    if (!this.texts.length) return;
    this.fd ??= fs.openSync(this.options.textFile!, 'w+');
    const bytes = Buffer.from(this.texts.join(''), 'utf16le');
    for (let done = 0; done < bytes.length; ) done += fs.writeSync(this.fd, bytes, done, bytes.length - done, this.textBytes + done);
    this.textBytes += bytes.length;
    this.texts = [];
    this.pendingChars = 0;
  }

  /** Writes the files of what was added into `dir` (names starting with `prefix`); returns their sums. */
  async write(dir: string, prefix = ''): Promise<Record<string, FileSum>> {
    const n = this.stored.length;
    const json = await writeDurably(
      path.join(dir, `${prefix}letters.json`),
      JSON.stringify({ letters: this.stored, sectionPaths: this.sectionPaths, commitmentSections: this.commitmentSections, headingOverrides: this.headingOverrides, passageOverrides: this.passageOverrides }),
    );
    const offsets = Uint32Array.from(this.textOffsets);
    const texts = await this.writeTexts(path.join(dir, `${prefix}texts.bin`), offsets, offsets[n]);
    const u32 = (a: number[]) => Uint32Array.from(a);
    const spans = await writeTypedArrays(path.join(dir, `${prefix}spans.bin`), {
      sectionOffsets: u32(this.sectionOffsets),
      sectionLevel: u32(this.section.level),
      sectionStart: u32(this.section.start),
      sectionEnd: u32(this.section.end),
      sectionHeadingLength: u32(this.section.headingLength),
      commitmentOffsets: u32(this.commitmentOffsets),
      commitmentStart: u32(this.commitment.start),
      commitmentEnd: u32(this.commitment.end),
      passageLetter: u32(this.passage.letter),
      passageStart: u32(this.passage.start),
      passageEnd: u32(this.passage.end),
      passageSection: u32(this.passage.section),
    });
    return { [`${prefix}letters.json`]: json, [`${prefix}texts.bin`]: texts, [`${prefix}spans.bin`]: spans };
  }

  /** texts.bin: the offsets, and every letter's text (UTF-16 code units) back to back, copied from the text file when there is one. */
  private async writeTexts(file: string, offsets: Uint32Array, chars: number): Promise<FileSum> {
    if (!this.options.textFile) {
      // Each letter's text is written into one array in place: joining them first would make a string of every
      // character of the corpus (V8's limit of 2^29 characters is reached at ≈ 245,000 letters).
      const text = new Uint16Array(chars);
      const bytes = Buffer.from(text.buffer, text.byteOffset, text.byteLength);
      this.texts.forEach((t, i) => bytes.write(t, offsets[i] * 2, 'utf16le'));
      return writeTypedArrays(file, { offsets, text });
    }
    return writeTypedArraysFilled(file, { offsets, text: { type: 'Uint16Array', length: chars } }, async (put) => {
      this.flush();
      const piece = new Uint16Array(TEXT_FLUSH);
      const bytes = new Uint8Array(piece.buffer);
      for (let at = 0; at < this.textBytes; ) {
        const n = Math.min(bytes.length, this.textBytes - at);
        for (let done = 0; done < n; ) {
          const read = fs.readSync(this.fd!, bytes, done, n - done, at + done);
          if (read === 0) throw new Error(`${this.options.textFile}: the texts end early`);
          done += read;
        }
        await put('text', at / 2, piece.subarray(0, n / 2));
        at += n;
      }
    });
  }

  /** Closes and deletes the text file. */
  dispose(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
    if (this.options.textFile) fs.rmSync(this.options.textFile, { force: true });
  }
}

/**
 * Reads what saveLetters wrote. Throws (a plain Error saying what does not fit) on anything inconsistent.
 *
 * @example
 * const { letters, passages, passageLetter } = await loadLetters(dir);
 */
export async function loadLetters(dir: string, prefix = ''): Promise<{ letters: Letter[]; passages: Passage[]; passageLetter: Uint32Array }> {
  const [json, texts, spans] = await Promise.all([
    fs.promises.readFile(path.join(dir, `${prefix}letters.json`), 'utf8'),
    readTexts(path.join(dir, `${prefix}texts.bin`)),
    readTypedArrays(path.join(dir, `${prefix}spans.bin`)),
  ]);
  const stored = named(`${prefix}letters.json`, () => StoredLettersSchema.parse(JSON.parse(json)));
  const n = stored.letters.length;
  const col = (name: string, length?: number) => named(`${prefix}spans.bin`, () => typedColumn(spans, name, Uint32Array, length));
  const { offsets: textOffsets, units } = texts;
  if (textOffsets.length !== n + 1 || textOffsets[n] * 2 !== units.length) throw new Error(`${prefix}texts.bin does not match ${prefix}letters.json`);
  const sectionOffsets = col('sectionOffsets', n + 1);
  const sectionCount = sectionOffsets[n];
  if (stored.sectionPaths.length !== sectionCount) throw new Error(`${prefix}letters.json: section paths do not match the sections of ${prefix}spans.bin`);
  const [level, sStart, sEnd, headingLength] = ['sectionLevel', 'sectionStart', 'sectionEnd', 'sectionHeadingLength'].map((c) => col(c, sectionCount));
  const commitmentOffsets = col('commitmentOffsets', n + 1);
  const commitmentCount = commitmentOffsets[n];
  if (stored.commitmentSections.length !== commitmentCount) throw new Error(`${prefix}letters.json: commitment sections do not match the commitments of ${prefix}spans.bin`);
  const [cStart, cEnd] = ['commitmentStart', 'commitmentEnd'].map((c) => col(c, commitmentCount));

  // Every text below is a slice of its letter's.
  const letters: Letter[] = stored.letters.map((meta, i) => {
    const text = units.toString('utf16le', textOffsets[i] * 2, textOffsets[i + 1] * 2);
    const sections: Section[] = [];
    for (let j = sectionOffsets[i]; j < sectionOffsets[i + 1]; j++) {
      const heading = stored.headingOverrides[j] ?? text.slice(sStart[j], sStart[j] + headingLength[j]);
      sections.push({ path: stored.sectionPaths[j], heading, level: level[j], start: sStart[j], end: sEnd[j] });
    }
    const commitments: Commitment[] = [];
    for (let j = commitmentOffsets[i]; j < commitmentOffsets[i + 1]; j++) {
      if (cStart[j] > cEnd[j] || cEnd[j] > text.length) throw new Error(`${prefix}spans.bin: letter ${meta.id}: a commitment lies outside its text`);
      commitments.push({ text: text.slice(cStart[j], cEnd[j]), start: cStart[j], end: cEnd[j], section: stored.commitmentSections[j] });
    }
    return { ...meta, text, sections, commitments };
  });

  const passageLetter = col('passageLetter');
  const count = passageLetter.length;
  const [pStart, pEnd, pSection] = ['passageStart', 'passageEnd', 'passageSection'].map((c) => col(c, count));
  const passages = new Array<Passage>(count);
  const perLetter = new Uint32Array(n);
  for (let i = 0; i < count; i++) {
    const letter = letters[passageLetter[i]];
    const start = pStart[i];
    const end = pEnd[i];
    const s = pSection[i];
    if (!letter || start > end || end > letter.text.length || s > letter.sections.length) throw new Error(`${prefix}spans.bin: passage ${i} does not fit its letter`);
    const override = stored.passageOverrides[i];
    const section = override ? override[1] : s === NO_SECTION ? '' : letter.sections[s - 1].path;
    const ordinal = perLetter[passageLetter[i]]++;
    passages[i] = {
      id: override ? override[0] : `${letter.id}#${ordinal}`,
      letter: letter.id,
      section,
      headings: override ? override[2] : sectionHeadings(letter.sections, section, start),
      start,
      end,
      text: letter.text.slice(start, end),
    };
  }
  return { letters, passages, passageLetter };
}

/**
 * The letters' texts (UTF-16 code units, each letter's decoded on its own: one string of them all
 * would stop at V8's 2^29 characters, ≈ 245,000 letters), and where each letter's start.
 */
async function readTexts(file: string): Promise<{ offsets: Uint32Array; units: Buffer }> {
  const arrays = await readTypedArrays(file);
  const offsets = typedColumn(arrays, 'offsets', Uint32Array);
  const text = typedColumn(arrays, 'text', Uint16Array);
  return { offsets, units: Buffer.from(text.buffer, text.byteOffset, text.byteLength) };
}

/** Runs `read`, prefixing any error with the file it was reading (a delta's error names the delta file). */
export function named<T>(file: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    const issue = e instanceof z.ZodError ? e.issues[0] : undefined;
    throw new Error(`${file}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : (e as Error).message.split('\n')[0]}`);
  }
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
