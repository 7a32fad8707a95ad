/**
 * A letter's metadata (title, issuer, addressees, proposal, session, dates): the words that say
 * WHICH letter, as opposed to what it says. Held as one normalised string per letter (cached per
 * index) so a term test is a substring test — no segmentation on the query path.
 */
import type { CorpusIndex } from './corpusIndex.ts';
import { normalizeForMatch } from './lexical/normalizeForMatch.ts';

interface MetadataTerms {
  has(term: string): boolean;
}

/**
 * The tester over one letter's normalised metadata: a class rather than an object literal with an
 * arrow function, so each letter costs one small object, not a closure besides (the rescoring meets
 * ~100 letters per question, most of them for the first time in a large corpus).
 *
 * It also keeps which characters the text holds, as 128 bits (code unit mod 128): a term holding a
 * character the text lacks cannot be in it, and most (letter, query term) pairs end there without a
 * substring search — an English question brings 100–200 terms, each tested against every candidate letter.
 */
class LetterMetadata implements MetadataTerms {
  private readonly chars: Int32Array;

  constructor(private readonly text: string) {
    this.chars = charBits(text);
  }

  has(term: string): boolean {
    const t = bareTerm(term);
    const c = this.chars;
    const b = t.chars;
    if ((b[0] & ~c[0]) | (b[1] & ~c[1]) | (b[2] & ~c[2]) | (b[3] & ~c[3])) return false;
    return this.text.includes(t.text);
  }
}

/** The set of a string's code units mod 128, as four 32-bit words. */
function charBits(text: string): Int32Array {
  const bits = new Int32Array(4);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) & 127;
    bits[c >> 5] |= 1 << (c & 31);
  }
  return bits;
}

// Family-prefixed term → the term itself and its characters. The rescoring asks about the same few
// dozen query terms for every candidate letter: slicing the prefix off each time allocated a string
// per (letter, term).
const bareTerms = new Map<string, { text: string; chars: Int32Array }>();
const BARE_TERMS_KEPT = 10_000;

function bareTerm(term: string): { text: string; chars: Int32Array } {
  let bare = bareTerms.get(term);
  if (bare === undefined) {
    if (bareTerms.size >= BARE_TERMS_KEPT) bareTerms.clear();
    const text = term.slice(2);
    bare = { text, chars: charBits(text) };
    bareTerms.set(term, bare);
  }
  return bare;
}

// Per index, per letter ordinal: the tester over its normalised metadata, built on first use. Searches
// ask about the same letters question after question, so neither the text nor the tester is rebuilt.
const cache = new WeakMap<CorpusIndex, (MetadataTerms | undefined)[]>();

/** The normalised metadata text of one letter. */
function metadataText(index: CorpusIndex, letterOrdinal: number): string {
  const l = index.letters[letterOrdinal];
  return normalizeForMatch([l.title, l.issuer ?? '', l.addressees.join(' '), l.proposal ?? '', l.session ?? '', l.date ?? '', l.published ?? ''].join('\n'));
}

/**
 * Tests family-prefixed terms (`w:…`, `b:…`) against one letter's metadata.
 *
 * @example
 * letterMetadataTerms(index, 0).has('w:0963') // → true
 */
export function letterMetadataTerms(index: CorpusIndex, letterOrdinal: number): MetadataTerms {
  let testers = cache.get(index);
  if (!testers) cache.set(index, (testers = new Array<MetadataTerms | undefined>(index.letters.length).fill(undefined)));
  let tester = testers[letterOrdinal];
  if (tester === undefined) {
    tester = new LetterMetadata(metadataText(index, letterOrdinal));
    testers[letterOrdinal] = tester;
  }
  return tester;
}
