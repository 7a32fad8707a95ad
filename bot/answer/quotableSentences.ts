/**
 * A letter's sentences as quote candidates: cut once, each judged once (worth quoting at all?) and
 * normalised once, and kept for the letters most recently answered from — answers read the same
 * letters question after question, and cutting and normalising (OpenCC) them anew each time was
 * most of the answer stage.
 */
import type { Letter } from '../../corpus/letter.ts';
import { normalizeForMatch } from '../../index/lexical/normalizeForMatch.ts';
import { splitSentences, type TextSpan } from './splitSentences.ts';
import { letterContextOf } from './termCoverage.ts';

// Headings at most this long (in letters and digits) are labels, never quotes.
const BARE_HEADING_MAX = 20;
// A line holding only a date (the signature date) is quoted only when the date is asked for.
// So is a line of digits alone (2023518, a date run together; a page counter).
const DATE_ONLY = /^\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$|^[\s\d.,/\-—－–:：]*$/u;
// Too short to say anything on its own (a bare heading such as 一、 or (二)下步工作计划).
const MIN_CONTENT_CHARS = 6;
// Letters kept (a few MB): enough for the letters a burst of questions keeps returning to, bounded
// so a long-running bot does not end up holding every letter twice.
const KEPT_LETTERS = 2000;

const HAN_CHAR = /^\p{Script=Han}$/u;
// Per UTF-16 unit outside ASCII: 0 not yet known, 1 a Chinese character, 2 not. Filled on first sight
// (one regular-expression test per distinct character, ever).
const HAN_UNIT = new Uint8Array(0x10000);

/**
 * How many letters and digits a string holds: code points that are Chinese characters, A–Z, a–z or
 * 0–9 (what `/[\p{Script=Han}A-Za-z0-9]/gu` matches). Counted without allocating: it runs for every
 * sentence an answer looks at, and `match` built an array of one-character strings each time.
 *
 * @example
 * contentLength('一、总体情况') // → 5
 */
export function contentLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)) n++;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        // A code point beyond the BMP (CJK extensions B–H): rare, tested as it comes.
        if (HAN_CHAR.test(s.slice(i, i + 2))) n++;
        i++;
        continue;
      }
    }
    let kind = HAN_UNIT[c];
    if (kind === 0) HAN_UNIT[c] = kind = HAN_CHAR.test(String.fromCharCode(c)) ? 1 : 2;
    if (kind === 1) n++;
  }
  return n;
}

/** A commitment's sentences and its whole text, normalised. */
export interface CommitmentText {
  sentences: (TextSpan & { normalized: string })[];
  normalized: string;
}

/** The sentences of one letter, with what is worked out about each on first use. */
export class QuotableSentences {
  readonly letter: Letter;
  /** Every sentence of the letter, in text order (see splitSentences). */
  readonly spans: TextSpan[];
  /** The letter's normalised metadata (letterContextOf). */
  readonly context: string;
  private readonly bareHeadings: Set<string>;
  /** Per sentence: 0 not yet judged, 1 quotable, 2 not. */
  private readonly judged: Uint8Array;
  private readonly normalizedTexts: (string | undefined)[];
  private readonly commitments: (CommitmentText | undefined)[];

  constructor(letter: Letter) {
    this.letter = letter;
    this.spans = splitSentences(letter.text);
    this.context = letterContextOf(letter);
    // Short headings (一、…, (二)下步工作计划) are labels, not answers; a numbered item that is a whole
    // sentence (1.按年级、分时段实施错峰上放学,…) is both a heading and an answer.
    this.bareHeadings = new Set(letter.sections.filter((s) => s.level <= 3 && contentLength(s.heading) <= BARE_HEADING_MAX).map((s) => s.heading.trim()));
    this.judged = new Uint8Array(this.spans.length);
    this.normalizedTexts = new Array<string | undefined>(this.spans.length).fill(undefined);
    this.commitments = new Array<CommitmentText | undefined>(letter.commitments.length).fill(undefined);
  }

  /**
   * Indices of the sentences overlapping [start, end), in text order.
   *
   * @example
   * sentences.touching(passage.start, passage.end).map((i) => sentences.spans[i])
   */
  touching(start: number, end: number): number[] {
    const spans = this.spans;
    // Sentences do not overlap, so both their starts and their ends ascend: find the first ending after `start`.
    let lo = 0;
    let hi = spans.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (spans[mid].end > start) hi = mid;
      else lo = mid + 1;
    }
    const out: number[] = [];
    for (let i = lo; i < spans.length && spans[i].start < end; i++) out.push(i);
    return out;
  }

  /** Whether sentence `i` can be a quote: not a bare heading, the signing body's name or a date line alone, not too short. */
  quotable(i: number): boolean {
    if (this.judged[i] === 0) {
      const text = this.letter.text.slice(this.spans[i].start, this.spans[i].end);
      const bare = contentLength(text) < MIN_CONTENT_CHARS || this.bareHeadings.has(text) || text === this.letter.issuer || DATE_ONLY.test(text);
      this.judged[i] = bare ? 2 : 1;
    }
    return this.judged[i] === 1;
  }

  /**
   * The sentences of the letter's commitment `i` (cut within the commitment's own span) and the
   * whole commitment, each passed through normalizeForMatch.
   *
   * @example
   * sentences.commitment(0).sentences[0].normalized
   */
  commitment(i: number): CommitmentText {
    let c = this.commitments[i];
    if (c === undefined) {
      const { text, start, end } = this.letter.commitments[i];
      c = {
        sentences: splitSentences(this.letter.text, start, end).map((s) => ({ ...s, normalized: normalizeForMatch(this.letter.text.slice(s.start, s.end)) })),
        normalized: normalizeForMatch(text),
      };
      this.commitments[i] = c;
    }
    return c;
  }

  /** Sentence `i` passed through normalizeForMatch. */
  normalized(i: number): string {
    let n = this.normalizedTexts[i];
    if (n === undefined) {
      n = normalizeForMatch(this.letter.text.slice(this.spans[i].start, this.spans[i].end));
      this.normalizedTexts[i] = n;
    }
    return n;
  }
}

const kept = new Map<Letter, QuotableSentences>();

/**
 * The sentences of a letter (cached for the most recently used letters).
 *
 * @example
 * const s = quotableSentences(letter);
 * s.touching(0, 100).filter((i) => s.quotable(i)).map((i) => s.normalized(i))
 */
export function quotableSentences(letter: Letter): QuotableSentences {
  let entry = kept.get(letter);
  if (entry) {
    // Most recently used last: the Map's first key is the one to drop.
    kept.delete(letter);
  } else {
    entry = new QuotableSentences(letter);
    if (kept.size >= KEPT_LETTERS) kept.delete(kept.keys().next().value!);
  }
  kept.set(letter, entry);
  return entry;
}
