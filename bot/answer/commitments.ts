/**
 * Plans and promises: recognising a question about what will be done next, and answering it with
 * the letters' own commitments (Letter.commitments, verbatim spans), most relevant first.
 */
import type { Commitment, Letter } from '../../corpus/letter.ts';
import { normalizeForMatch } from '../../index/lexical/normalizeForMatch.ts';
import type { SearchResult, Searcher } from '../../index/searchTypes.ts';
import { tailWords } from './questionFocus.ts';
import { quotableSentences } from './quotableSentences.ts';
import { splitSentences, type TextSpan } from './splitSentences.ts';
import { dropAliasExpansions, prepareTerms, reweightByRarity, termCoverage } from './termCoverage.ts';

// English wording about the future, and the Chinese words letters and askers use for plans (both scripts:
// the Chinese side is matched after normalizeForMatch, so Traditional forms fold into these).
const PLANS_EN =
  /\b(what will|will (?:they|it|the|he|she|we|there)\b|(?:will|would) (?:do|take|continue|keep|further|strengthen|push|promote)\b|do next\b|going forward|plans? (?:to|for)\b|(?:any|their|its|future|what) plans?\b|['’]s (?:future |next |own )?plans?\b|planned to|planning to|planned for|commit(?:s|ted|ment|ments)?\b|promis(?:e|es|ed)\b|next steps?\b|going to|intends?\b|intention|from now on|in future|in the future)/i;
// 计划 alone is often a noun (修建计划, 引才计划): only count it when asked about (有什么计划) or used as a verb (计划做…).
const PLANS_ZH = /下一步|下步|承诺|打算|将要|今后|准备|将会|下一阶段|未来|(什么|哪些|何|有无|有没有)(工作|具体)?计划|计划(怎么|如何|做|开展|采取|推进|在|于|将)|(的|啥|什么)计划(是|呢|？|\?|$)/;
// "Why hasn't …" asks for a reason even when it mentions a plan.
const WHY = /\bwhy\b|为什么|为何|什么原因|怎么还/i;

/**
 * True when the question asks what will be done (plans, commitments, next steps).
 *
 * @example
 * isPlansQuestion('What will Qingdao do next with MOX?') // → true
 * isPlansQuestion('重慶下一步有什麼打算？')                 // → true
 * isPlansQuestion('MOX是什么？')                           // → false
 */
export function isPlansQuestion(question: string): boolean {
  const zh = normalizeForMatch(question);
  if (WHY.test(question) || WHY.test(zh)) return false;
  return PLANS_EN.test(question) || PLANS_ZH.test(zh);
}

/** A commitment proposed for an answer: the span to quote (all of it, or its best sentences). */
export interface CommitmentCandidate {
  letter: string;
  commitment: Commitment;
  /** Span quoted: the whole commitment when short, else the sentences of it that match best. */
  start: number;
  end: number;
  score: number;
  coverage: number;
}

// A commitment must reach this share of the best one's score to be listed.
const RELATIVE_FLOOR = 0.45;
// Earlier letters in the search result are preferred among equally matching commitments.
const LETTER_RANK_WEIGHT = 0.2;
// A commitment whose quoted span holds a word the (Chinese) question ends on gains this much
// (…路面怎么养护: the item about upkeep, not one that only names the road and its project).
const TAIL_WEIGHT = 0.2;
// Commitments longer than this are quoted by their best sentences (a 370-character plan is a wall of text).
const WHOLE_COMMITMENT_MAX = 140;
// …of which at most this many characters.
const EXCERPT_MAX = 240;

interface CommitmentSentences {
  letter: Letter;
  rank: number;
  commitment: Commitment;
  sentences: (TextSpan & { normalized: string })[];
  normalized: string;
}

/**
 * Commitments of the letters a search found, scored by query-term coverage and the letter's rank;
 * only those that mention the question's terms are kept. Empty when none do.
 *
 * @example
 * rankCommitments(result, searcher)[0].commitment.text // the most relevant promise
 */
export function rankCommitments(result: SearchResult, letters: Pick<Searcher, 'letter'>, maxLetters = 5): CommitmentCandidate[] {
  const letterIds: string[] = [];
  for (const h of result.hits) if (!letterIds.includes(h.passage.letter)) letterIds.push(h.passage.letter);
  const items: CommitmentSentences[] = [];
  letterIds.slice(0, maxLetters).forEach((id, rank) => {
    const letter = letters.letter(id);
    if (!letter) return;
    const cut = quotableSentences(letter);
    letter.commitments.forEach((commitment, i) => {
      const { sentences, normalized } = cut.commitment(i);
      items.push({ letter, rank, commitment, sentences, normalized });
    });
  });
  const aliases = [...new Set(items.map((i) => i.letter))].flatMap((l) => l.aliases);
  const queryTerms = dropAliasExpansions(prepareTerms(result.terms), result.question, aliases);
  const terms = reweightByRarity(queryTerms, items.flatMap((i) => i.sentences.map((s) => s.normalized)));
  // A tail word most commitments hold tells none apart.
  const allSentences = items.flatMap((i) => i.sentences);
  const tail = tailWords(result.question).filter((w) => allSentences.filter((x) => x.normalized.includes(w)).length * 3 <= allSentences.length);
  const out: CommitmentCandidate[] = [];
  for (const item of items) {
    const { letter, commitment } = item;
    const context = quotableSentences(letter).context;
    const scored = item.sentences.map((s) => ({ ...s, coverage: termCoverage(s.normalized, terms, letter.aliases, context) }));
    const bestSentence = Math.max(0, ...scored.map((s) => s.coverage));
    if (bestSentence <= 0) continue;
    const whole = termCoverage(item.normalized, terms, letter.aliases, context);
    const span = commitment.end - commitment.start <= WHOLE_COMMITMENT_MAX ? commitment : excerpt(scored, bestSentence);
    const tailed = tail.length > 0 && scored.some((x) => x.start >= span.start && x.end <= span.end && tail.some((w) => x.normalized.includes(w)));
    const score = bestSentence + 0.3 * whole + LETTER_RANK_WEIGHT / (1 + item.rank) + (tailed ? TAIL_WEIGHT : 0);
    out.push({ letter: letter.id, commitment, start: span.start, end: span.end, coverage: bestSentence, score });
  }
  if (out.length === 0) return [];
  const best = Math.max(...out.map((c) => c.score));
  return out.filter((c) => c.score >= RELATIVE_FLOOR * best).sort((a, b) => b.score - a.score || a.start - b.start);
}

/** The best sentence of a long commitment, extended by neighbours that match nearly as well. */
function excerpt(sentences: (TextSpan & { coverage: number })[], best: number): TextSpan {
  const i = sentences.findIndex((s) => s.coverage === best);
  let start = sentences[i].start;
  let end = sentences[i].end;
  for (let j = i + 1; j < sentences.length && sentences[j].coverage >= 0.6 * best && sentences[j].end - start <= EXCERPT_MAX; j++) end = sentences[j].end;
  for (let j = i - 1; j >= 0 && sentences[j].coverage >= 0.6 * best && end - sentences[j].start <= EXCERPT_MAX; j--) start = sentences[j].start;
  return { start, end };
}

/**
 * Every letter's commitments, newest letter first (undated letters last), in text order within a
 * letter; long ones shortened to their opening sentences (still verbatim).
 *
 * @example
 * allCommitments(searcher.letters()).map((c) => c.letter) // newest letter's id first
 */
export function allCommitments(letters: Letter[]): CommitmentCandidate[] {
  const dated = [...letters].sort((a, b) => (b.date ?? b.published ?? '').localeCompare(a.date ?? a.published ?? ''));
  return dated.flatMap((letter) =>
    [...letter.commitments]
      .sort((a, b) => a.start - b.start)
      .map((commitment) => {
        let end = commitment.end;
        if (end - commitment.start > WHOLE_COMMITMENT_MAX) {
          const sentences = splitSentences(letter.text, commitment.start, commitment.end);
          end = sentences[0]?.end ?? end;
          for (const s of sentences.slice(1)) {
            if (s.end - commitment.start > WHOLE_COMMITMENT_MAX) break;
            end = s.end;
          }
        }
        return { letter: letter.id, commitment, start: commitment.start, end, score: 0, coverage: 0 };
      }),
  );
}
