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
    const text = metadataText(index, letterOrdinal);
    tester = { has: (term) => text.includes(term.slice(2)) };
    testers[letterOrdinal] = tester;
  }
  return tester;
}
