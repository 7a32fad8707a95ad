/**
 * Everything search needs about a corpus, in memory: letters, passages, the two lexical indexes
 * (passages, whole letters), the corpus-restricted cross-lingual tables and, when a model is
 * available, passage vectors. Built by `buildCorpusIndex`, saved and loaded by the index store.
 */
import type { Letter, Passage } from '../corpus/letter.ts';
import { loadCedictContributions } from './lexical/cedictContributions.ts';
import { buildEnglishDictionary, entriesTouching, mergeEnglishDictionaries, type EnglishDictionaryData } from './lexical/englishDictionary.ts';
import { documentTerms } from './lexical/documentTerms.ts';
import { letterProfile, passageProfile } from './lexical/letterProfile.ts';
import { DEFAULT_BM25, LexicalIndex, type Bm25Params, type DocumentTerms } from './lexical/lexicalIndex.ts';
import { normalizeForMatch } from './lexical/normalizeForMatch.ts';
import { buildPinyinTable, type PinyinTableData } from './lexical/pinyinNames.ts';
import type { ExactVectors } from './exactVectors.ts';
import type { VectorIndex } from './vectorIndex.ts';

export interface CorpusIndex {
  letters: Letter[];
  passages: Passage[];
  /** Passage ordinal → letter ordinal. */
  passageLetter: Uint32Array;
  passageLexical: LexicalIndex;
  letterLexical: LexicalIndex;
  english: EnglishDictionaryData;
  /** English words known as common words (not names), see EnglishTables. */
  commonEnglish: Set<string>;
  pinyin: PinyinTableData;
  /** Normalised alias ↔ expansions, from the letters' own definitions. */
  aliases: Map<string, string[]>;
  /**
   * Dense channel, when a model was available at build time: the HNSW graph and, in a layered
   * index, the delta's vectors (searched exactly; their labels are not in the graph).
   */
  dense?: { modelId: string; dims: number; vectors: VectorIndex; /** passage ordinal → vector label */ labels: Uint32Array; delta?: ExactVectors };
  /**
   * Letter id → hash of its text (see textHash), from the manifest of an index loaded from disk:
   * the answer path's last check that a letter it quotes is the one that was indexed.
   */
  textHashes?: Map<string, string>;
}

/** Terms of passages and letters, computed once per letter (and reused by incremental builds). */
export interface LetterTerms {
  letter: DocumentTerms;
  passages: DocumentTerms[];
}

/**
 * Tokenises one letter and its passages.
 *
 * @example
 * const terms = letterTerms(letter, cutPassages(letter));
 */
export function letterTerms(letter: Letter, passages: Passage[]): LetterTerms {
  // Each run of the letter is cut once: its passages (and their headings) and the letter as a whole share them (see chineseTerms).
  const passageTerms = passages.map((p) => documentTerms(passageProfile(p.headings, p.text)));
  return { letter: documentTerms(letterProfile(letter)), passages: passageTerms };
}

/**
 * The alias table: each short form maps to its full form and back (normalised for matching).
 *
 * @example
 * aliasTable(letters).get('mox') // → ['中华(澳门)金融资产交易股份有限公司']
 */
export function aliasTable(letters: Letter[]): Map<string, string[]> {
  const table = new Map<string, string[]>();
  const link = (a: string, b: string) => {
    const list = table.get(a) ?? [];
    if (!list.includes(b)) list.push(b);
    table.set(a, list);
  };
  for (const letter of letters) {
    for (const { short, full } of letter.aliases) {
      const s = normalizeForMatch(short);
      const f = normalizeForMatch(full);
      if (s && f && s !== f) {
        link(s, f);
        link(f, s);
      }
    }
  }
  return table;
}

/** Anything with a vocabulary of family-prefixed terms (a LexicalIndex, layered or not). */
export interface Vocabulary {
  terms(): readonly string[];
}

/** The cross-lingual tables of a corpus index. */
export type CrossLingualTables = Pick<CorpusIndex, 'english' | 'commonEnglish' | 'pinyin'>;

/**
 * Words, bigrams and characters of a vocabulary (a lexical index's terms), and whether a headword
 * occurs in it; `charsBefore`: how many distinct characters the first `split` terms have.
 */
function vocabularyOf(terms: readonly string[], split = terms.length) {
  const words = new Set<string>();
  const bigrams = new Set<string>();
  const chars = new Set<string>();
  let charsBefore = 0;
  for (let t = 0; t < terms.length; t++) {
    if (t === split) charsBefore = chars.size;
    const term = terms[t];
    if (term.startsWith('w:')) words.add(term.slice(2));
    else {
      const b = term.slice(2);
      bigrams.add(b);
      for (const c of b) chars.add(c);
    }
  }
  if (split >= terms.length) charsBefore = chars.size;
  const inCorpus = (headword: string) => occursIn(headword, (w) => words.has(w), (b) => bigrams.has(b));
  return { words, bigrams, chars, charsBefore, inCorpus };
}

/** Whether a dictionary headword occurs in a vocabulary: as a word, or (2–6 characters) as a run of its bigrams. */
function occursIn(headword: string, hasWord: (word: string) => boolean, hasBigram: (bigram: string) => boolean): boolean {
  if (hasWord(headword)) return true;
  if (headword.length < 2 || headword.length > 6) return false;
  for (let i = 0; i + 1 < headword.length; i++) if (!hasBigram(headword.slice(i, i + 2))) return false;
  return true;
}

/** True when `after` starts with all of `before`, in order (a vocabulary only grows by appending). */
function extendsTerms(after: readonly string[], before: readonly string[]): boolean {
  if (after.length < before.length) return false;
  for (let i = 0; i < before.length; i++) if (after[i] !== before[i]) return false;
  return true;
}

/**
 * `buildPinyinTable([...before, ...added])` given `table = buildPinyinTable(before)` and characters
 * not in `before`: each syllable's characters in order, syllables in order of first appearance.
 */
function extendPinyinTable(table: PinyinTableData, added: string[]): PinyinTableData {
  if (!added.length) return table;
  const out: PinyinTableData = { ...table };
  for (const [syllable, chars] of Object.entries(buildPinyinTable(added))) out[syllable] = (out[syllable] ?? '') + chars;
  return out;
}

/**
 * The corpus-restricted cross-lingual tables: English → Chinese dictionary and pinyin syllables.
 * Given the tables of an earlier index whose vocabulary is a subset (`previous`), only headwords
 * new to this vocabulary are looked up and merged in; the common-word list, which does not depend
 * on the corpus, is kept.
 *
 * @example
 * const { english, pinyin } = await crossLingualTables(passageLexical);
 */
export async function crossLingualTables(lexical: Vocabulary, previous?: { tables: CrossLingualTables; lexical: Vocabulary }): Promise<CrossLingualTables> {
  const terms = lexical.terms();
  const before = previous?.lexical.terms();
  // A vocabulary grows by appending (each term once): then the terms after the previous ones are
  // exactly the new words and bigrams.
  const grown = before !== undefined && extendsTerms(terms, before);
  const { words, bigrams, chars, charsBefore, inCorpus } = vocabularyOf(terms, grown ? before.length : terms.length);
  if (previous && before) {
    const contributions = await loadCedictContributions();
    let isNew: (headword: string) => boolean;
    let entries: number[] | undefined;
    let pinyin: PinyinTableData | undefined;
    if (grown) {
      // Only headwords equal to a new word or containing a new bigram can have become present, and
      // a term was there before when it is present but not new.
      const added = vocabularyOf(terms.slice(before.length));
      entries = entriesTouching(contributions, added.words, added.bigrams);
      const wasInCorpus = (h: string) =>
        occursIn(h, (w) => words.has(w) && !added.words.has(w), (b) => bigrams.has(b) && !added.bigrams.has(b));
      isNew = (h) => inCorpus(h) && !wasInCorpus(h);
      // The characters are the previous ones in the same order, then the new ones: the pinyin table
      // built from them is the previous table with the new characters' readings added after.
      pinyin = extendPinyinTable(previous.tables.pinyin, [...chars].slice(charsBefore));
    } else {
      const wasInCorpus = vocabularyOf(before).inCorpus;
      isNew = (h) => inCorpus(h) && !wasInCorpus(h);
    }
    const { translations } = await buildEnglishDictionary(isNew, { common: false, entries, contributions });
    return { english: mergeEnglishDictionaries(previous.tables.english, translations), commonEnglish: previous.tables.commonEnglish, pinyin: pinyin ?? buildPinyinTable(chars) };
  }
  const { translations, common } = await buildEnglishDictionary(inCorpus);
  return { english: translations, commonEnglish: new Set(common), pinyin: buildPinyinTable(chars) };
}

/**
 * Passage ordinal → letter ordinal (passages name their letter by id).
 *
 * @example
 * passageLetterOrdinals(letters, passages)[0] // → 0
 */
export function passageLetterOrdinals(letters: Letter[], passages: Passage[]): Uint32Array {
  const ordinal = new Map(letters.map((l, i) => [l.id, i]));
  return Uint32Array.from(passages, (p) => ordinal.get(p.letter)!);
}

/**
 * Builds the lexical side of a corpus index from parsed letters and their passages.
 *
 * @example
 * const index = await buildCorpusIndex(letters, letters.map((l) => cutPassages(l)));
 */
export async function buildCorpusIndex(
  letters: Letter[],
  passagesByLetter: Passage[][],
  options: { bm25?: Bm25Params } = {},
): Promise<CorpusIndex> {
  const terms = letters.map((l, i) => letterTerms(l, passagesByLetter[i]));
  const passages = passagesByLetter.flat();
  const passageLetter = passageLetterOrdinals(letters, passages);
  const passageLexical = LexicalIndex.fromDocuments(terms.flatMap((t) => t.passages), options.bm25 ?? DEFAULT_BM25);
  const letterLexical = LexicalIndex.fromDocuments(terms.map((t) => t.letter), options.bm25 ?? DEFAULT_BM25);
  const { english, commonEnglish, pinyin } = await crossLingualTables(passageLexical);
  return { letters, passages, passageLetter, passageLexical, letterLexical, english, commonEnglish, pinyin, aliases: aliasTable(letters) };
}
