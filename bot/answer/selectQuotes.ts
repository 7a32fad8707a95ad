/**
 * Picks the sentences that answer a question out of the passages a search returned: each sentence of
 * the top passages is scored by how much of the (weighted, normalised) query it covers, helped a little
 * by its section headings and the passage's rank; the best few become quotes, paged for "more results".
 */
import type { Letter } from '../../corpus/letter.ts';
import { ADMIN_SUFFIXES } from '../../index/lexical/analyzeQuery.ts';
import { normalizeForMatch } from '../../index/lexical/normalizeForMatch.ts';
import type { SearchResult, Searcher } from '../../index/searchTypes.ts';
import { askedFor, boilerplateKind, namesHandlers, restatesComplaint } from './boilerplate.ts';
import { supersedeOldFigures } from './latestFigure.ts';
import { letterFactSpans } from './letterFacts.ts';
import { focusMatch, questionFocus, tailWords } from './questionFocus.ts';
import { questionIntent, type QuestionIntent } from './questionIntent.ts';
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
  /** Quotes per page (default 3). */
  maxQuotes?: number;
  /** At most this many quotes from one letter on a page (default 3). */
  perLetter?: number;
  /** 1-based page (default 1). */
  page?: number;
  /** How many of the top passages to read sentences from (default 8). */
  maxHits?: number;
  /** rankQuoteCandidates(result, letters, { maxHits }) when the caller already has it. */
  ranked?: QuoteCandidate[];
  /** questionIntent(result.question) when the caller already has it. */
  intent?: QuestionIntent;
}

// Weights of the parts of a sentence's score; coverage of the question dominates.
const HEADING_WEIGHT = 0.35;
const RANK_WEIGHT = 0.15;
// A sentence holding what the question asks for (a number, a date) gains this much.
const FOCUS_WEIGHT = 0.25;
// …and this much for holding a word the (Chinese) question ends on.
const TAIL_WEIGHT = 0.2;
// A sentence that only restates the member's complaint keeps this share of its score (it repeats the
// question's words; the letter's own finding next to it is the answer) unless the question asks a place.
const RESTATED_SHARE = 0.85;
// Words of completion: asked when something is finished, the dated sentence holding one answers (于2026年底建成).
const COMPLETED = /建成|建好|完工|竣工|投用|投入使用|投产|开放|开业|开通|启用|交付|落成|建设完成|完成建设/u;
// Words that give a cause: asked why, the sentence stating one answers (原因:一是…, 由于…, 随着…).
const GIVES_REASON = /原因|因为|由于|因而|所以|导致|致使|鉴于|随着|是因|之所以/u;
// Words that list parts: asked what something consists of, the sentence saying what it includes answers.
const ENUMERATES = /包括|包含|涵盖|涉及|主要有|分为|分别(是|为)|等(多个|几个|[一二两三四五六七八九十\d]+个)?方面/u;
// A body named as the one acting: 由县交通运输局…编制, 建设主体为区政府, 由街道负责. Asked who does it, that sentence answers.
const NAMES_AGENT = /由[^。,，;；]{1,30}(负责|编制|制定|批准|审批|审定|审核|实施|承担|建设|修建|管理|维护|组织|出资|牵头|办理)|(建设|责任|实施|管理|投资)主体|负责(组织|实施|建设|管理|维护|审批)/u;
// A figure changed to a new one (由6个扩容至10个, 增加到, 提高至, 从…增至): asked how many now, that sentence answers.
const CHANGED_TO = /(由|从)[^。,，;；]{0,16}(扩容|增加|增长|扩大|提高|提升|上升|扩展|拓展|调整|增)(至|到|为)|(扩容|增至|增加到|扩大到|扩大至|提高到|提高至|达到|扩展到|拓展至|拓展到|累计达)\s*[\d一二两三四五六七八九十百千万]/u;
// A sentence must reach this share of the best score to be offered at all (also on later pages).
const RELATIVE_FLOOR = 0.4;
// …and this share to be on the first page, the answer itself: a quote far weaker than the first is
// padding there, and waits for "more" (0.4 → 0.55: realistic median answer 362 → 343 characters,
// formal 354 → 319, hit@3 unchanged). List questions excepted: each letter's best quote answers.
const FIRST_PAGE_SHARE = 0.55;
// Quotes from letters other than the one the search ranked first must be closer to the best to be
// worth a reader's time (list questions excepted: each letter's best quote is the answer there).
const OTHER_LETTER_FLOOR = 0.6;
const OTHER_LETTER_SHOWN = 0.8;
// Adjacent sentences merge into one quote when both reach this share of the best score…
const MERGE_FLOOR = 0.6;
// …and the merged quote stays short enough to read and paste.
const MERGE_MAX_CHARS = 160;

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
  options: { maxHits?: number; intent?: QuestionIntent } = {},
): QuoteCandidate[] {
  const intent = options.intent ?? questionIntent(result.question);
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
    salutation: boolean;
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
      // Salutations, the restated proposal, contact and form lines: quoted only when asked for.
      const kind = boilerplateKind('', normalized);
      if (kind && !askedFor(kind, intent, normalized)) continue;
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
        salutation: kind === 'salutation',
      });
    }
  });
  // A search reaching only the letter's header or salutation still finds the letter asked about: its
  // date or signer lines answer a question about the letter itself.
  if (sentences.length === 0) return letterFactCandidates(result, letters, intent, []);
  const aliases = [...letterCache.values()].flatMap((l) => l?.aliases ?? []);
  const queryTerms = dropAliasExpansions(prepareTerms(result.terms), result.question, aliases);
  const terms = reweightByRarity(queryTerms, sentences.map((s) => s.normalized));
  // For questions about plans, sentences inside a letter's commitments are what is asked for
  // ("what did they say they will do" is about plans, not deeds done).
  const plans = intent.plan;
  const asked = questionFocus(result.question);
  const focus = plans && asked === 'done' ? null : asked;
  // A tail word most candidate sentences hold (交流 in a letter about exchanges) tells none apart.
  const tail = tailWords(result.question).filter((w) => sentences.filter((x) => x.normalized.includes(w)).length * 3 <= sentences.length);
  const candidates: QuoteCandidate[] = sentences.map((s) => {
    const text = s.letter.text.slice(s.start, s.end);
    const coverage = termCoverage(s.normalized, terms, s.letter.aliases, s.context);
    const headingCoverage = termCoverage(s.headingText, terms, s.letter.aliases);
    let score = coverage + HEADING_WEIGHT * headingCoverage * (coverage > 0 ? 1 : 0.3) + RANK_WEIGHT / (1 + s.hitRank);
    if (coverage > 0) score += FOCUS_WEIGHT * focusMatch(text, focus);
    if (coverage > 0 && tail.some((w) => s.normalized.includes(w))) score += TAIL_WEIGHT;
    if (coverage > 0 && plans && s.letter.commitments.some((c) => c.start <= s.start && s.end <= c.end)) score += FOCUS_WEIGHT;
    if (coverage > 0 && intent.completion && COMPLETED.test(s.normalized) && focusMatch(text, 'date')) score += FOCUS_WEIGHT;
    if (coverage > 0 && intent.handler && namesHandlers(s.normalized)) score += FOCUS_WEIGHT;
    if (coverage > 0 && intent.value === 'reason' && GIVES_REASON.test(s.normalized)) score += FOCUS_WEIGHT;
    if (coverage > 0 && intent.contents && ENUMERATES.test(s.normalized)) score += FOCUS_WEIGHT;
    if (coverage > 0 && intent.agent && NAMES_AGENT.test(s.normalized)) score += FOCUS_WEIGHT;
    if (coverage > 0 && intent.current && CHANGED_TO.test(s.normalized)) score += FOCUS_WEIGHT;
    if (intent.value !== 'place' && !intent.proposal && restatesComplaint(s.normalized)) score *= RESTATED_SHARE;
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
  if (intent.current) supersedeOldFigures(candidates, (id) => letterCache.get(id)?.text);

  // Who proposed it: the salutation naming the members (张娟委员:, 罗吉卿等3位委员:) is the answer, though it
  // shares few of the question's words. Only the letter the search ranks first: another letter's
  // members did not make this proposal.
  if (intent.proposer) {
    const top = Math.max(0, ...candidates.map((c) => c.score));
    const first = rankedLetters(result)[0];
    sentences.forEach((s, i) => {
      if (s.salutation && s.letter.id === first) candidates[i].score = top + 0.05;
    });
  }
  const facts = letterFactCandidates(result, letters, intent, candidates);
  // Asked only a fact of the letter (who signed it, when), its lines are the answer: the sentences that
  // merely found the letter would be padding under them. A question asking something more (a plan, a
  // sum, a reason…) keeps its sentences beside the fact lines.
  const onlyFacts = !intent.plan && !intent.list && !intent.verbatim && (intent.value === undefined || intent.value === 'person' || intent.value === 'date');
  if (facts.length > 0 && onlyFacts) return facts;
  candidates.push(...facts);
  const best = Math.max(...candidates.map((c) => c.score));
  const anyCoverage = candidates.some((c) => c.coverage > 0);
  // The letter the search ranked first: its ranking weighs the whole letter, a sentence's score only itself.
  const topLetter = rankedLetters(result)[0];
  const kept = candidates.filter(
    (c) => c.score >= (c.letter === topLetter || intent.list ? RELATIVE_FLOOR : OTHER_LETTER_FLOOR) * best && (!anyCoverage || c.coverage > 0),
  );
  return mergeAdjacent(kept, letters, MERGE_FLOOR * best).sort(byScore);
}

/**
 * For questions about the letter itself (its number, signer, dates), the lines of the top letter
 * that state it, ranked first in the order asked. Their coverage is the best sentence's, so they
 * pass the same filters.
 */
function letterFactCandidates(result: SearchResult, letters: Pick<Searcher, 'letter'>, intent: QuestionIntent, candidates: QuoteCandidate[]): QuoteCandidate[] {
  if (intent.letterFacts.length === 0) return [];
  const topId = rankedLetters(result)[0];
  const top = topId === undefined ? undefined : letters.letter(topId);
  if (!top) return [];
  const best = candidates.reduce((a, c) => (c.score > a.score ? c : a), candidates[0]);
  const out: QuoteCandidate[] = [];
  const seen = new Set<number>();
  intent.letterFacts.forEach((fact, i) => {
    for (const span of letterFactSpans(top, fact).slice(0, 1)) {
      if (seen.has(span.start)) continue;
      seen.add(span.start);
      out.push({
        letter: top.id,
        passageId: '',
        section: '',
        headings: [],
        start: span.start,
        end: span.end,
        score: (best?.score ?? 1) + 0.1 - 0.01 * i,
        coverage: best?.coverage ?? 1,
        hitRank: 0,
        standalone: true,
      });
    }
  });
  return out;
}

// Passages of the ranking that vote for their letter.
const LETTER_VOTES = 5;
// Each further passage of the same letter counts this much of the one before: a letter's best passage
// weighs most, so several middling passages of a long letter on a near topic do not outvote the one
// passage that matches the question far better (dev realistic: 2 letters first that only had more passages).
const VOTE_DECAY = 0.5;

/**
 * Letters in the order the search ranks them: by the scores of their passages among the top five,
 * each further passage of a letter counting half the one before (one stray passage of another
 * letter at rank 1 does not outvote three nearly as good of the right one, nor do four weak
 * passages outvote one strong one), then the rest in order of first appearance.
 *
 * @example
 * rankedLetters(result)[0] // the letter the answer quotes first
 */
export function rankedLetters(result: SearchResult): string[] {
  const votes = new Map<string, number>();
  const counted = new Map<string, number>();
  result.hits.forEach((h, i) => {
    const id = h.passage.letter;
    const n = counted.get(id) ?? 0;
    counted.set(id, n + 1);
    votes.set(id, (votes.get(id) ?? 0) + (i < LETTER_VOTES ? h.score * VOTE_DECAY ** n : 0));
  });
  const order = [...votes.keys()].sort((a, b) => votes.get(b)! - votes.get(a)!);
  return issuerNamedFirst(order, result);
}

/**
 * A question naming the place a letter's issuer governs (某某区执法局那份… for 某某区城市管理行政执法局) is
 * about that letter, even when a letter from elsewhere on the same kind of office ranks higher: the
 * letters whose issuer's place the question names come first, when the first letter's does not.
 */
function issuerNamedFirst(order: string[], result: SearchResult): string[] {
  if (order.length < 2 || !result.question) return order;
  const question = normalizeForMatch(result.question);
  const issuers = new Map(result.hits.map((h) => [h.passage.letter, h.letter?.issuer]));
  const named = (id: string) => {
    const place = issuerPlace(issuers.get(id) ?? '');
    return place !== '' && question.includes(place);
  };
  if (named(order[0])) return order;
  return [...order.filter(named), ...order.filter((id) => !named(id))];
}

const ISSUER_PLACE = new RegExp(`^(\\p{Script=Han}{2,6}?)(?:${ADMIN_SUFFIXES})`, 'u');

/**
 * The place an issuer's name starts with, without its administrative suffix; '' when none.
 *
 * @example
 * issuerPlace('盘山县人民政府') // → '盘山'
 */
export function issuerPlace(issuer: string): string {
  const m = ISSUER_PLACE.exec(normalizeForMatch(issuer));
  return m ? m[1] : '';
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
  const perPage = Math.max(1, options.maxQuotes ?? 3);
  const intent = options.intent ?? questionIntent(result.question);
  const perLetter = intent.list ? 1 : Math.max(1, options.perLetter ?? 3);
  const page = Math.max(1, Math.floor(options.page ?? 1));
  const ranked = answerOrder(options.ranked ?? rankQuoteCandidates(result, letters, { maxHits: options.maxHits, intent }), result, intent);
  // The first page holds only quotes close to the best; the weaker ones come after, on "more".
  const best = Math.max(...ranked.map((c) => c.score));
  const strong = intent.list ? ranked : ranked.filter((c) => c.score >= FIRST_PAGE_SHARE * best);
  const [first = [], ...rest] = paginateQuotes(strong, perPage, perLetter);
  const shown = new Set(first);
  const later = paginateQuotes([...rest.flat(), ...ranked.filter((c) => !strong.includes(c))].filter((c) => !shown.has(c)), perPage, perLetter);
  const pages = first.length ? [first, ...later] : later;
  const offset = pages.slice(0, page - 1).reduce((sum, p) => sum + p.length, 0);
  return { quotes: groupByLetter(pages[page - 1] ?? []), offset, hasMore: pages.length > page };
}

/**
 * Candidates in the order an answer shows them. The letter the search ranked first comes first (its
 * best sentence is citation 1), then other letters only when their quotes come close to the best.
 * A list question ("which letters…") gets each letter's best quote, letters in the search's order.
 *
 * @example
 * answerOrder(ranked, result, questionIntent(result.question))[0].letter // → result.hits[0].passage.letter
 */
export function answerOrder(ranked: QuoteCandidate[], result: SearchResult, intent: QuestionIntent): QuoteCandidate[] {
  if (ranked.length === 0) return ranked;
  const letterOrder = rankedLetters(result);
  const rank = (id: string) => (letterOrder.includes(id) ? letterOrder.indexOf(id) : letterOrder.length);
  if (intent.list) {
    const bestOf = new Map<string, QuoteCandidate>();
    for (const c of ranked) if (!bestOf.has(c.letter)) bestOf.set(c.letter, c);
    return [...bestOf.values()].sort((a, b) => b.score - a.score || rank(a.letter) - rank(b.letter));
  }
  // The first letter with a quote, in the search's order.
  const first = [...new Set(ranked.map((c) => c.letter))].sort((a, b) => rank(a) - rank(b))[0];
  const best = ranked[0].score;
  const own = ranked.filter((c) => c.letter === first);
  const others = ranked.filter((c) => c.letter !== first && c.score >= OTHER_LETTER_SHOWN * best);
  return [...own, ...others];
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
