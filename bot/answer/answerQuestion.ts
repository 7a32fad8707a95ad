/**
 * The answer stage: a question in, an Answer out — verbatim quotes that answer it with citations,
 * the letters' commitments for questions about plans, or a plain refusal listing the nearest letters.
 */
import type { SearchFilters, Searcher, SearchResult } from '../../index/searchTypes.ts';
import type { Answer, AnswerLang } from '../answerTypes.ts';
import { missingLabel, missingValue, refusalOutcome } from './notStated.ts';
import type { QuestionIntent } from './questionIntent.ts';
import type { QuoteCandidate } from './selectQuotes.ts';
import type { Config } from '../config.ts';
import { assembleAnswer, withText } from './assembleAnswer.ts';
import { rankCommitments } from './commitments.ts';
import { detectLanguage } from './detectLanguage.ts';
import { synthesizeAnswer } from './llmSynthesis.ts';
import { questionIntent } from './questionIntent.ts';
import { namedPlaces, placeRelation, type PlaceRelation } from './namedPlaces.ts';
import { answerOrder, groupByLetter, rankedLetters, rankQuoteCandidates, selectQuotes } from './selectQuotes.ts';
import { normalizeForMatch } from '../../index/lexical/normalizeForMatch.ts';
import type { QuoteLogger } from './verifyQuote.ts';

export interface AnswerOptions {
  /** Passages to retrieve (default 10); keep it the same across pages of one question. */
  k?: number;
  /** 1-based page of quotes ("more results"); default 1. */
  page?: number;
  /** Quotes per page (default: maxQuotes, else 3). */
  perPage?: number;
  /** Quotes per page (default 3). */
  maxQuotes?: number;
  /** Framing language; default: detected from the question. */
  lang?: AnswerLang;
  /** LLM synthesis endpoint; off when absent. */
  llm?: Config['llm'];
  filters?: SearchFilters;
  /** Where dropped quotes and LLM failures are reported (default console.warn). */
  log?: QuoteLogger;
}

const DEFAULT_K = 10;
// Commitments are taken from this many of the best-matching letters.
const COMMITMENT_LETTERS = 3;

/**
 * Answers one question from the letters.
 *
 * @example
 * const answer = await answerQuestion(searcher, 'what has Qingdao done with MOX?');
 * answer.citations[0].quote // verbatim sentence from the Qingdao letter
 * console.log(answer.text)  // plain-text rendering
 */
export async function answerQuestion(searcher: Searcher, question: string, options: AnswerOptions = {}): Promise<Answer> {
  const lang = options.lang ?? detectLanguage(question);
  const page = Math.max(1, Math.floor(options.page ?? 1));
  const perPage = Math.max(1, options.perPage ?? options.maxQuotes ?? 3);
  // The same k on every page: the pages of one question must come from one ranking.
  const k = Math.max(1, options.k ?? DEFAULT_K);
  const found = await searcher.search(question, { k, filters: options.filters });
  const intent = questionIntent(question);
  if (found.hits.length === 0) return refusal(searcher, question, lang, found);
  const result = intent.plan ? ofNamedPlace(found, searcher) : aboutNamedPlace(found, searcher, intent);
  if (result.hits.length === 0) return refusal(searcher, question, lang, found);
  if (result !== found && lacksName(found, result, searcher)) {
    // The letters about the place never name the company, programme or code the question also asks with:
    // the letter that does is from elsewhere, so what the question asks of this place is not stated.
    const closest = answerOrder(rankQuoteCandidates(result, searcher, { maxHits: k, intent }), result, intent)[0];
    return page === 1 ? notStated(searcher, question, lang, result, intent, closest) : refusal(searcher, question, lang, result);
  }
  // Ranked once: a question about plans looks at the best sentence before choosing quotes or commitments.
  const ranked = rankQuoteCandidates(result, searcher, { maxHits: k, intent });
  if (result.refused) {
    // On topic but the thing asked is not stated: say so, with the closest quote; else the nearest letters.
    return refusalOutcome(result.refusalReason) === 'not-stated' && page === 1
      ? notStated(searcher, question, lang, result, intent, answerOrder(ranked, result, intent)[0])
      : refusal(searcher, question, lang, result);
  }

  const quoteOptions = { maxQuotes: perPage, page, maxHits: k, ranked, intent };
  if (intent.plan && intent.letterFacts.length === 0) {
    const commitments = rankCommitments(result, searcher, COMMITMENT_LETTERS);
    // Commitments answer only when they come from the letter the best sentence comes from: otherwise
    // the letter the question is about promises nothing on it, and its own sentences serve better.
    const bestQuote = answerOrder(ranked, result, intent)[0];
    if (commitments.length > 0 && (!bestQuote || commitments[0].letter === bestQuote.letter)) {
      const start = (page - 1) * perPage;
      const shown = groupByLetter(commitments.slice(start, start + perPage));
      const planned = assembleAnswer(
        searcher,
        {
          question,
          lang,
          mode: 'commitments',
          spans: shown.map((c) => ({ letter: c.letter, start: c.start, end: c.end, section: c.commitment.section })),
          offset: start,
          nearest: result.nearestLetters,
          page,
          hasMore: commitments.length > start + perPage,
        },
        options.log,
      );
      // "When will it open?" read as a plan: the commitments must still state the time asked.
      const missing = page === 1 ? missingValue(intent, question, planned.citations.map((c) => c.quote)) : null;
      if (!missing) return planned;
      return notStated(searcher, question, lang, result, { ...intent, value: missing }, bestQuote);
    }
  }

  const { quotes, offset, hasMore } = selectQuotes(result, searcher, quoteOptions);
  if (quotes.length === 0 && page === 1) return refusal(searcher, question, lang, result);
  const answer = assembleAnswer(
    searcher,
    {
      question,
      lang,
      mode: 'quotes',
      spans: quotes.map((q) => ({ letter: q.letter, start: q.start, end: q.end, passageId: q.passageId })),
      offset,
      nearest: result.nearestLetters,
      page,
      hasMore,
    },
    options.log,
  );
  if (answer.citations.length === 0 && page === 1) return refusal(searcher, question, lang, result);
  // A year, a count or a sum asked for that none of the quotes states: the letter does not say.
  const missing = page === 1 ? missingValue(intent, question, answer.citations.map((c) => c.quote)) : null;
  if (missing) return notStated(searcher, question, lang, result, { ...intent, value: missing }, quotes[0]);
  if (!options.llm || answer.citations.length === 0) return answer;
  const synthesis = await synthesizeAnswer(question, answer.citations, searcher, options.llm, options.log, lang);
  return synthesis ? withText({ ...answer, synthesis }) : answer;
}

/**
 * What a place named in a plans question will do is said only by letters about that place (written
 * by it, to it, on it): the hits of the others go. No hit left: nothing answers.
 */
function ofNamedPlace(result: SearchResult, searcher: Searcher): SearchResult {
  const relation = relationTo(result, searcher);
  if (!relation) return result;
  return { ...result, hits: result.hits.filter((h) => relation(h.passage.letter) !== 'passing') };
}

/**
 * A question naming a place is about the letters on that place (by, to, on it): when the letter the
 * search puts first only names the place in passing and another letter found is about it, the
 * letters about it answer. Lists (several letters by design) and plans (ofNamedPlace) aside.
 */
function aboutNamedPlace(result: SearchResult, searcher: Searcher, intent: QuestionIntent): SearchResult {
  const relation = intent.list ? undefined : relationTo(result, searcher);
  if (!relation) return result;
  const order = rankedLetters(result);
  if (relation(order[0]) !== 'passing' || !order.some((id) => relation(id) === 'about')) return result;
  return { ...result, hits: result.hits.filter((h) => relation(h.passage.letter) === 'about') };
}

/** How each letter found stands to the places the question names (memoised); undefined when it names none. */
function relationTo(result: SearchResult, searcher: Searcher): ((id: string) => PlaceRelation) | undefined {
  const places = namedPlaces(result);
  if (places.length === 0) return undefined;
  const seen = new Map<string, PlaceRelation>();
  return (id) => {
    let r = seen.get(id);
    if (!r) {
      const letter = searcher.letter(id);
      seen.set(id, (r = letter ? placeRelation(letter, places) : 'passing'));
    }
    return r;
  };
}

/**
 * Whether a name the question asks with as written (a Latin token: MOX, a project code) is in the
 * letter the search put first but in none of the letters left after narrowing to a place.
 */
function lacksName(found: SearchResult, narrowed: SearchResult, searcher: Searcher): boolean {
  const names = found.terms.map((t) => t.text).filter((t) => /^[a-z][a-z0-9]+$/.test(t));
  if (names.length === 0) return false;
  const text = (id: string) => normalizeForMatch(searcher.letter(id)?.text ?? '');
  const first = text(rankedLetters(found)[0]);
  const kept = [...new Set(narrowed.hits.map((h) => h.passage.letter))].map(text);
  return names.some((n) => first.includes(n) && !kept.some((t) => t.includes(n)));
}

function refusal(searcher: Searcher, question: string, lang: AnswerLang, result: SearchResult): Answer {
  return assembleAnswer(searcher, { question, lang, mode: 'refusal', reason: 'off-topic', spans: [], nearest: result.nearestLetters.slice(0, 3) });
}

/** The letters discuss the topic but do not state what was asked: say so, with the closest quote. */
function notStated(searcher: Searcher, question: string, lang: AnswerLang, result: SearchResult, intent: QuestionIntent, closest: QuoteCandidate | undefined): Answer {
  if (!closest) return refusal(searcher, question, lang, result);
  return assembleAnswer(searcher, {
    question,
    lang,
    mode: 'refusal',
    reason: 'not-stated',
    missing: missingLabel(intent.value, lang),
    spans: [{ letter: closest.letter, start: closest.start, end: closest.end, passageId: closest.passageId }],
    nearest: result.nearestLetters.slice(0, 3),
  });
}
