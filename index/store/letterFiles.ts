/**
 * Letters and passages on disk, laid out for a fast, lean load:
 *
 *   letters.json   each letter's metadata, plus the few strings spans cannot give (section paths…)
 *   texts.bin      every letter's text, UTF-16 code units back to back, with offsets
 *   spans.bin      columns of numbers: sections, commitments and passages as spans of their letter
 *
 * Loading decodes the texts once into one string; each letter's text, each passage's, heading's and
 * commitment's text is a slice of it (V8 shares the characters), so the corpus's text sits in memory
 * once, and there is no 100 MB JSON document to read, parse and validate at start-up. The columns
 * are checked for length and range, the JSON with zod.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { LetterSchema, type Commitment, type Letter, type Passage, type Section } from '../../corpus/letter.ts';
import { sectionHeadings } from '../../corpus/passages.ts';
import { writeDurably, type FileSum } from './fileSums.ts';
import { readTypedArrays, typedColumn, writeTypedArrays } from './typedArrayFile.ts';

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
  const sectionCount = letters.reduce((n, l) => n + l.sections.length, 0);
  const commitmentCount = letters.reduce((n, l) => n + l.commitments.length, 0);
  const textOffsets = new Uint32Array(letters.length + 1);
  const sectionOffsets = new Uint32Array(letters.length + 1);
  const commitmentOffsets = new Uint32Array(letters.length + 1);
  const section = { level: new Uint32Array(sectionCount), start: new Uint32Array(sectionCount), end: new Uint32Array(sectionCount), headingLength: new Uint32Array(sectionCount) };
  const commitment = { start: new Uint32Array(commitmentCount), end: new Uint32Array(commitmentCount) };
  const sectionPaths: string[] = [];
  const commitmentSections: string[] = [];
  const headingOverrides: Record<string, string> = {};
  letters.forEach((l, i) => {
    textOffsets[i + 1] = textOffsets[i] + l.text.length;
    sectionOffsets[i + 1] = sectionOffsets[i] + l.sections.length;
    commitmentOffsets[i + 1] = commitmentOffsets[i] + l.commitments.length;
    l.sections.forEach((s, k) => {
      const j = sectionOffsets[i] + k;
      section.level[j] = s.level;
      section.start[j] = s.start;
      section.end[j] = s.end;
      section.headingLength[j] = s.heading.length;
      if (l.text.slice(s.start, s.start + s.heading.length) !== s.heading) headingOverrides[j] = s.heading;
      sectionPaths.push(s.path);
    });
    l.commitments.forEach((c, k) => {
      const j = commitmentOffsets[i] + k;
      commitment.start[j] = c.start;
      commitment.end[j] = c.end;
      commitmentSections.push(c.section);
    });
  });

  const passage = { start: new Uint32Array(passages.length), end: new Uint32Array(passages.length), section: new Uint32Array(passages.length) };
  const passageOverrides: Record<string, [string, string, string[]]> = {};
  const perLetter = new Uint32Array(letters.length);
  passages.forEach((p, i) => {
    const letter = letters[passageLetter[i]];
    passage.start[i] = p.start;
    passage.end[i] = p.end;
    const s = p.section ? letter.sections.findIndex((x) => x.path === p.section) + 1 : NO_SECTION;
    passage.section[i] = s;
    const rebuilt = s === NO_SECTION ? '' : letter.sections[s - 1].path;
    const id = `${letter.id}#${perLetter[passageLetter[i]]++}`;
    if (id !== p.id || rebuilt !== p.section || !sameList(sectionHeadings(letter.sections, rebuilt, p.start), p.headings)) {
      passageOverrides[i] = [p.id, p.section, p.headings];
    }
  });

  const stored = letters.map(({ text: _t, sections: _s, commitments: _c, ...meta }) => meta);
  // Each letter's text is written into one array in place: joining them first would make a string of every
  // character of the corpus (219 M at 100,000 letters: 0.4 GB more at the peak of a build, and V8's limit of
  // 2^29 characters is reached at ≈ 245,000 letters).
  const text = new Uint16Array(textOffsets[letters.length]);
  const textBytes = Buffer.from(text.buffer, text.byteOffset, text.byteLength);
  letters.forEach((l, i) => textBytes.write(l.text, textOffsets[i] * 2, 'utf16le'));
  const json = await writeDurably(path.join(dir, `${prefix}letters.json`), JSON.stringify({ letters: stored, sectionPaths, commitmentSections, headingOverrides, passageOverrides }));
  const texts = await writeTypedArrays(path.join(dir, `${prefix}texts.bin`), {
    offsets: textOffsets,
    text,
  });
  const spans = await writeTypedArrays(path.join(dir, `${prefix}spans.bin`), {
    sectionOffsets,
    sectionLevel: section.level,
    sectionStart: section.start,
    sectionEnd: section.end,
    sectionHeadingLength: section.headingLength,
    commitmentOffsets,
    commitmentStart: commitment.start,
    commitmentEnd: commitment.end,
    passageLetter,
    passageStart: passage.start,
    passageEnd: passage.end,
    passageSection: passage.section,
  });
  return { [`${prefix}letters.json`]: json, [`${prefix}texts.bin`]: texts, [`${prefix}spans.bin`]: spans };
}

/**
 * Reads what saveLetters wrote. Throws (a plain Error saying what does not fit) on anything inconsistent.
 *
 * @example
 * const { letters, passages, passageLetter } = await loadLetters(dir);
 */
export async function loadLetters(dir: string, prefix = ''): Promise<{ letters: Letter[]; passages: Passage[]; passageLetter: Uint32Array }> {
  const [json, texts, spans] = await Promise.all([
    fs.readFile(path.join(dir, `${prefix}letters.json`), 'utf8'),
    readTexts(path.join(dir, `${prefix}texts.bin`)),
    readTypedArrays(path.join(dir, `${prefix}spans.bin`)),
  ]);
  const stored = named(`${prefix}letters.json`, () => StoredLettersSchema.parse(JSON.parse(json)));
  const n = stored.letters.length;
  const col = (name: string, length?: number) => named(`${prefix}spans.bin`, () => typedColumn(spans, name, Uint32Array, length));
  const { offsets: textOffsets, all } = texts;
  if (textOffsets.length !== n + 1 || textOffsets[n] !== all.length) throw new Error(`${prefix}texts.bin does not match ${prefix}letters.json`);
  const sectionOffsets = col('sectionOffsets', n + 1);
  const sectionCount = sectionOffsets[n];
  if (stored.sectionPaths.length !== sectionCount) throw new Error(`${prefix}letters.json: section paths do not match the sections of ${prefix}spans.bin`);
  const [level, sStart, sEnd, headingLength] = ['sectionLevel', 'sectionStart', 'sectionEnd', 'sectionHeadingLength'].map((c) => col(c, sectionCount));
  const commitmentOffsets = col('commitmentOffsets', n + 1);
  const commitmentCount = commitmentOffsets[n];
  if (stored.commitmentSections.length !== commitmentCount) throw new Error(`${prefix}letters.json: commitment sections do not match the commitments of ${prefix}spans.bin`);
  const [cStart, cEnd] = ['commitmentStart', 'commitmentEnd'].map((c) => col(c, commitmentCount));

  // Every text below is a slice of `all`.
  const letters: Letter[] = stored.letters.map((meta, i) => {
    const text = all.slice(textOffsets[i], textOffsets[i + 1]);
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

/** The letters' texts as one string, and where each letter's starts. The file's bytes are not kept. */
async function readTexts(file: string): Promise<{ offsets: Uint32Array; all: string }> {
  const arrays = await readTypedArrays(file);
  const offsets = typedColumn(arrays, 'offsets', Uint32Array);
  const text = typedColumn(arrays, 'text', Uint16Array);
  return { offsets: offsets.slice(), all: Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString('utf16le') };
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
