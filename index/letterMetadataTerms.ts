/**
 * The terms of a letter's metadata (title, issuer, addressees, proposal, session, dates): the words
 * that say WHICH letter, as opposed to what it says. Cached per index.
 */
import type { CorpusIndex } from './corpusIndex.ts';
import { documentTerms } from './lexical/documentTerms.ts';

const cache = new WeakMap<CorpusIndex, (Set<string> | undefined)[]>();

/**
 * Family-prefixed terms (`w:…`, `b:…`) of one letter's metadata.
 *
 * @example
 * letterMetadataTerms(index, 0).has('w:0963') // → true
 */
export function letterMetadataTerms(index: CorpusIndex, letterOrdinal: number): Set<string> {
  let sets = cache.get(index);
  if (!sets) cache.set(index, (sets = []));
  let set = sets[letterOrdinal];
  if (!set) {
    const l = index.letters[letterOrdinal];
    const t = documentTerms([l.title, l.issuer ?? '', l.addressees.join(' '), l.proposal ?? '', l.session ?? '', l.date ?? '', l.published ?? ''].join('\n'));
    set = new Set([...t.words.map((w) => 'w:' + w), ...t.bigrams.map((b) => 'b:' + b)]);
    sets[letterOrdinal] = set;
  }
  return set;
}
