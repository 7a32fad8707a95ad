/**
 * A letter's metadata (title, issuer, addressees, proposal, session, dates): the words that say
 * WHICH letter, as opposed to what it says. Held as one normalised string per letter (cached per
 * index) so a term test is a substring test — no segmentation on the query path.
 */
import type { CorpusIndex } from './corpusIndex.ts';
import { normalizeForMatch } from './lexical/normalizeForMatch.ts';

const cache = new WeakMap<CorpusIndex, (string | undefined)[]>();

/** The normalised metadata text of one letter. */
function metadataText(index: CorpusIndex, letterOrdinal: number): string {
  let texts = cache.get(index);
  if (!texts) cache.set(index, (texts = []));
  let text = texts[letterOrdinal];
  if (text === undefined) {
    const l = index.letters[letterOrdinal];
    text = normalizeForMatch([l.title, l.issuer ?? '', l.addressees.join(' '), l.proposal ?? '', l.session ?? '', l.date ?? '', l.published ?? ''].join('\n'));
    texts[letterOrdinal] = text;
  }
  return text;
}

/**
 * Tests family-prefixed terms (`w:…`, `b:…`) against one letter's metadata.
 *
 * @example
 * letterMetadataTerms(index, 0).has('w:0963') // → true
 */
export function letterMetadataTerms(index: CorpusIndex, letterOrdinal: number): { has(term: string): boolean } {
  const text = metadataText(index, letterOrdinal);
  return { has: (term) => text.includes(term.slice(2)) };
}
