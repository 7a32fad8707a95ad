/**
 * Picks the sentences that answer a question out of the passages a search returned: each sentence of
 * the top passages is scored by how much of the (weighted, normalised) query it covers, helped a little
 * by its section headings and the passage's rank; the best few become quotes, paged for "more results".
 */
import type { Letter } from '../../corpus/letter.ts';
import { normalizeForMatch } from '../../index/lexical/normalizeForMatch.ts';
import type { SearchResult, Searcher } from '../../index/searchTypes.ts';
import { isPlansQuestion } from './commitments.ts';
import { focusMatch, isBoilerplate, questionFocus } from './questionFocus.ts';
import { signatureQuestion, signatureSpans } from './signatureQuote.ts';
import { quotableSentences } from './quotableSentences.ts';
import { dropAliasExpansions, prepareTerms, reweightByRarity, termCoverage } from './termCoverage.ts';

/** A span of a letter proposed as a quote, with how well it answers. */
export interface QuoteCandidate {
  letter: string;
  passageId: string;
  section: string;
  headings: string[];
  start: number;
  end: number;
  /** Ranking score (coverage plus heading and passage-rank help). */
  score: number;
  /** Weighted share of the query terms the quote itself contains (0..1). */
  coverage: number;
  /** 0-based rank of the passage it came from. */
  hitRank: number;
  /** Never merged with neighbours (a signature line). */
  standalone?: boolean;
}

export interface SelectQuotesOptions {
  /** Quotes per page (default 4). */
  maxQuotes?: number;
  /** At most this many quotes from one letter on a page (default 3). */
  perLetter?: number;
  /** 1-based page (default 1). */
  page?: number;
  /** How many of the top passages to read sentences from (default 8). */
  maxHits?: number;
  /** rankQuoteCandidates(result, letters, { maxHits }) when the caller already has it. */
  ranked?: QuoteCandidate[];
}

// Weights of the parts of a sentence's score; coverage of the question dominates.
const HEADING_WEIGHT = 0.35;
const RANK_WEIGHT = 0.15;
// A sentence holding what the question asks for (a number, a date) gains this much.
const FOCUS_WEIGHT = 0.25;
// Acknowledgement boilerplate keeps this share of its score.
const BOILERPLATE_FACTOR = 0.5;
// A sentence must reach this share of the best score to be offered at all (also on later pages).
const RELATIVE_FLOOR = 0.4;
// Quotes from letters other than the best one must be closer to the best to be worth a reader's time.
const OTHER_LETTER_FLOOR = 0.6;
// Adjacent sentences merge into one quote when both reach this share of the best score…
const MERGE_FLOOR = 0.6;
// …and the merged quote stays short enough to read and paste.
const MERGE_MAX_CHARS = 200;

/**
 * Every usable sentence of the top passages, scored, best first, adjacent strong sentences merged.
 *
 * @example
 * const ranked = rankQuoteCandidates(result, searcher);
 * letter.text.slice(ranked[0].start, ranked[0].end) // the sentence that best answers
 */
export function rankQuoteCandidates(
  result: SearchResult,
  letters: Pick<Searcher, 'letter'>,
  options: { maxHits?: number } = {},
): QuoteCandidate[] {
  interface Sentence {
    letter: Letter;
    hitRank: number;
    passageId: string;
    section: string;
    headings: string[];
    headingText: string;
    context: string;
    start: number;
    end: number;
    normalized: string;
  }
  // Spans already taken, and sentence texts already taken (the same letter filed twice quotes once).
  const seen = new Set<string>();
  const seenText = new Set<string>();
  const sentences: Sentence[] = [];
  const letterCache = new Map<string, Letter | undefined>();
  result.hits.slice(0, options.maxHits ?? 8).forEach((hit, hitRank) => {
    const id = hit.passage.letter;
    if (!letterCache.has(id)) letterCache.set(id, letters.letter(id));
    const letter = letterCache.get(id);
    if (!letter) return;
    const cut = quotableSentences(letter);
    const headingText = normalizeForMatch(hit.passage.headings.join(' '));
    // Whole sentences touching the passage: a passage cut mid-sentence still yields complete quotes.
    for (const i of cut.touching(hit.passage.start, hit.passage.end)) {
      const span = cut.spans[i];
      const key = `${id}:${span.start}:${span.end}`;
      if (seen.has(key)) continue;
      seen.add(key);
      // Bare headings and the signing body's name alone say nothing as quotes.
      if (!cut.quotable(i)) continue;
      const normalized = cut.normalized(i);
      if (seenText.has(normalized)) continue;
      seenText.add(normalized);
      sentences.push({
        letter,
        hitRank,
        passageId: hit.passage.id,
        section: hit.passage.section,
        headings: hit.passage.headings,
        headingText,
        context: cut.context,
        start: span.start,
        end: span.end,
        normalized,
      });
    }
  });
  if (sentences.length === 0) return [];
  const aliases = [...letterCache.values()].flatMap((l) => l?.aliases ?? []);
  const queryTerms = dropAliasExpansions(prepareTerms(result.terms), result.question, aliases);
  const terms = reweightByRarity(queryTerms, sentences.map((s) => s.normalized));
  // For questions about plans, sentences inside a letter's commitments are what is asked for
  // ("what did they say they will do" is about plans, not deeds done).
  const plans = isPlansQuestion(result.question);
  const asked = questionFocus(result.question);
  const focus = plans && asked === 'done' ? null : asked;
  const candidates: QuoteCandidate[] = sentences.map((s) => {
    const text = s.letter.text.slice(s.start, s.end);
    const coverage = termCoverage(s.normalized, terms, s.letter.aliases, s.context);
    const headingCoverage = termCoverage(s.headingText, terms, s.letter.aliases);
    let score = coverage + HEADING_WEIGHT * headingCoverage * (coverage > 0 ? 1 : 0.3) + RANK_WEIGHT / (1 + s.hitRank);
    if (coverage > 0) score += FOCUS_WEIGHT * focusMatch(text, focus);
    if (coverage > 0 && plans && s.letter.commitments.some((c) => c.start <= s.start && s.end <= c.end)) score += FOCUS_WEIGHT;
    if (isBoilerplate(text, s.normalized)) score *= BOILERPLATE_FACTOR;
    return {
      letter: s.letter.id,
      passageId: s.passageId,
      section: s.section,
      headings: s.headings,
      start: s.start,
      end: s.end,
      score,
      coverage,
      hitRank: s.hitRank,
    };
  });
  const signature = signatureCandidate(result, sentences[0].letter, candidates);
  if (signature) candidates.push(signature);
  const best = Math.max(...candidates.map((c) => c.score));
  const anyCoverage = candidates.some((c) => c.coverage > 0);
  const topLetter = candidates.reduce((a, c) => (c.score > a.score ? c : a)).letter;
  const kept = candidates.filter(
    (c) => c.score >= (c.letter === topLetter ? RELATIVE_FLOOR : OTHER_LETTER_FLOOR) * best && (!anyCoverage || c.coverage > 0),
  );
  return mergeAdjacent(kept, letters, MERGE_FLOOR * best).sort(byScore);
}

/**
 * For "when was the reply dated / who signed it", the top letter's signature line, ranked first.
 * Its coverage is the best sentence's, so it passes the same filters.
 */
function signatureCandidate(result: SearchResult, top: Letter, candidates: QuoteCandidate[]): QuoteCandidate | undefined {
  const asks = signatureQuestion(result.question);
  if (!asks) return undefined;
  const span = signatureSpans(top)[asks];
  if (!span) return undefined;
  const best = candidates.reduce((a, c) => (c.score > a.score ? c : a), candidates[0]);
  return {
    letter: top.id,
    passageId: '',
    section: '',
    headings: [],
    start: span.start,
    end: span.end,
    score: (best?.score ?? 1) + 0.05,
    coverage: best?.coverage ?? 1,
    hitRank: 0,
    standalone: true,
  };
}

function byScore(a: QuoteCandidate, b: QuoteCandidate): number {
  return b.score - a.score || a.hitRank - b.hitRank || a.start - b.start;
}

/** Joins runs of strong sentences that follow each other in the same letter into one quote. */
function mergeAdjacent(candidates: QuoteCandidate[], letters: Pick<Searcher, 'letter'>, floor: number): QuoteCandidate[] {
  const byPosition = [...candidates].sort((a, b) => (a.letter < b.letter ? -1 : a.letter > b.letter ? 1 : a.start - b.start));
  const out: QuoteCandidate[] = [];
  for (const c of byPosition) {
    const prev = out[out.length - 1];
    if (prev && prev.letter === c.letter && prev.score >= floor && c.score >= floor && c.end - prev.start <= MERGE_MAX_CHARS) {
      const between = letters.letter(c.letter)?.text.slice(prev.end, c.start);
      // Only within a paragraph: a line break ends a heading, a signature line or a paragraph.
      if (between !== undefined && /^[^\S\n]*$/u.test(between) && !prev.standalone && !c.standalone) {
        out[out.length - 1] = {
          ...prev,
          end: c.end,
          score: Math.max(prev.score, c.score) + 0.01,
          coverage: Math.max(prev.coverage, c.coverage),
          hitRank: Math.min(prev.hitRank, c.hitRank),
        };
        continue;
      }
    }
    out.push(c);
  }
  return out;
}

/**
 * Splits ranked candidates into pages of at most `perPage` quotes with at most `perLetter` from one
 * letter; what a page can't take waits for the next one, so nothing good is lost, only deferred.
 *
 * @example
 * paginateQuotes(ranked, 4, 3)[0] // the first page
 */
export function paginateQuotes(ranked: QuoteCandidate[], perPage: number, perLetter: number): QuoteCandidate[][] {
  const pages: QuoteCandidate[][] = [];
  let remaining = ranked;
  while (remaining.length > 0) {
    const page: QuoteCandidate[] = [];
    const perLetterCount = new Map<string, number>();
    const left: QuoteCandidate[] = [];
    for (const c of remaining) {
      const n = perLetterCount.get(c.letter) ?? 0;
      if (page.length < perPage && n < perLetter) {
        page.push(c);
        perLetterCount.set(c.letter, n + 1);
      } else left.push(c);
    }
    pages.push(page);
    remaining = left;
  }
  return pages;
}

/**
 * The quotes of one page, grouped by letter (letters by their best quote, quotes best first).
 * Also returns how many quotes earlier pages hold, so citation numbers continue across pages.
 *
 * @example
 * const { quotes, offset } = selectQuotes(result, searcher, { page: 2 });
 * // quotes[0] is cited as [offset + 1]
 */
export function selectQuotes(
  result: SearchResult,
  letters: Pick<Searcher, 'letter'>,
  options: SelectQuotesOptions = {},
): { quotes: QuoteCandidate[]; offset: number; hasMore: boolean } {
  const perPage = Math.max(1, options.maxQuotes ?? 4);
  const perLetter = Math.max(1, options.perLetter ?? 3);
  const page = Math.max(1, Math.floor(options.page ?? 1));
  const ranked = options.ranked ?? rankQuoteCandidates(result, letters, { maxHits: options.maxHits });
  const pages = paginateQuotes(ranked, perPage, perLetter);
  const offset = pages.slice(0, page - 1).reduce((sum, p) => sum + p.length, 0);
  return { quotes: groupByLetter(pages[page - 1] ?? []), offset, hasMore: pages.length > page };
}

/**
 * Orders quotes so each letter's quotes sit together, the letter with the best quote first.
 *
 * @example
 * groupByLetter([{ letter: 'a' }, { letter: 'b' }, { letter: 'a' }]) // → [{ letter: 'a' }, { letter: 'a' }, { letter: 'b' }]
 */
export function groupByLetter<T extends { letter: string }>(quotes: T[]): T[] {
  const order: string[] = [];
  for (const q of quotes) if (!order.includes(q.letter)) order.push(q.letter);
  return order.flatMap((id) => quotes.filter((q) => q.letter === id));
}
