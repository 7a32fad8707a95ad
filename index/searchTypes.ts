/**
 * The contract between the index stage and the bot: what a search returns.
 * Implemented by `SearchEngine` (index/searchEngine.ts).
 */
import type { Letter, LetterKind, Passage } from '../corpus/letter.ts';

/** Filters narrow a search to some letters. All are optional and combine with AND. */
export interface SearchFilters {
  /** Substring of the issuer (Simplified or Traditional). */
  issuer?: string;
  /** Year of the letter's date (or publication date when undated). */
  year?: number;
  kind?: LetterKind;
  /** Only these letter ids. */
  letters?: string[];
}

export interface SearchOptions {
  /** How many passages to return (default 10). */
  k?: number;
  filters?: SearchFilters;
}

/** A short reference to a letter, enough to cite or list it. */
export interface LetterRef {
  id: string;
  /** File name of the letter (basename), as the evaluation format wants it. */
  doc: string;
  title: string;
  issuer: string | null;
  date: string | null;
  proposal: string | null;
  source: string | null;
}

export interface SearchHit {
  passage: Passage;
  letter: LetterRef;
  /** Fused score, higher is better; comparable only within one result. */
  score: number;
  /** 1-based rank in each channel that found it. */
  ranks: { lexical?: number; dense?: number };
}

export interface SearchResult {
  question: string;
  /** True when nothing in the corpus answers: `hits` are then only the nearest material. */
  refused: boolean;
  /**
   * Which rule refused (index/refusal.ts `Verdict.reason`), when refused: `focus-missing`,
   * `value-missing`, `amount-missing` and `person-missing` mean the letters found discuss the topic
   * but do not state what was asked; the others that nothing is on the topic.
   */
  refusalReason?: string;
  /** 0..1: how sure the engine is that the top hit answers. */
  confidence: number;
  hits: SearchHit[];
  /** Letters of the top hits, best first, deduplicated (shown on refusal). */
  nearestLetters: LetterRef[];
  /**
   * The query as the lexical channel understood it: Simplified-Chinese / Latin terms (after
   * Traditional→Simplified, English→Chinese and pinyin expansion), each with its weight. Quote
   * selection uses these to find the sentences that answer; match them against `normalizeForMatch(text)`.
   */
  terms: { text: string; weight: number }[];
  /** Time spent per stage, in milliseconds. */
  timings: { embed: number; lexical: number; dense: number; fusion: number; total: number };
}

/** What the bot needs from the index. */
export interface Searcher {
  search(question: string, options?: SearchOptions): Promise<SearchResult>;
  /** All letters, in corpus order. */
  letters(): Letter[];
  letter(id: string): Letter | undefined;
  /** Reference for a letter id. */
  letterRef(id: string): LetterRef | undefined;
  /** Passages of one letter, in text order. */
  passagesOf(id: string): Passage[];
}
