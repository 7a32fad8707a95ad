/**
 * Turns chosen spans into an Answer: numbered citations, verified against their letters (failures
 * dropped and logged), grouped by letter in the order given, rendered as plain text.
 */
import type { LetterRef, Searcher } from '../../index/searchTypes.ts';
import type { Answer, AnswerGroup, AnswerLang, Citation, RefusalReason } from '../answerTypes.ts';
import { buildCitation, letterRefOf, passageIdAt, sectionAt } from './citation.ts';
import { renderPlain } from './renderPlain.ts';
import { keepVerifiedQuotes, type QuoteLogger } from './verifyQuote.ts';

/** A span of a letter to cite, in display order. Section and passage are filled in when missing. */
export interface ChosenSpan {
  letter: string;
  start: number;
  end: number;
  section?: string;
  passageId?: string;
}

export interface AssembleInput {
  question: string;
  lang: AnswerLang;
  mode: Answer['mode'];
  spans: ChosenSpan[];
  /** Citation numbers start after this many (earlier pages). */
  offset?: number;
  nearest: LetterRef[];
  page?: number;
  hasMore?: boolean;
  synthesis?: string;
  /** For refusals: not stated (the closest quote is among `spans`) or off topic. */
  reason?: RefusalReason;
  /** For not-stated refusals: what was asked and is not stated, in the answer's language. */
  missing?: string;
}

/**
 * Builds the Answer; every quote passes verifyQuote or is dropped (and logged) before numbering.
 *
 * @example
 * assembleAnswer(searcher, { question, lang: 'zh', mode: 'quotes', spans, nearest: [] }).text
 */
export function assembleAnswer(searcher: Searcher, input: AssembleInput, log?: QuoteLogger): Answer {
  const draft: Citation[] = [];
  for (const s of input.spans) {
    const letter = searcher.letter(s.letter);
    if (!letter) continue;
    const where = sectionAt(letter, s.start);
    const passageId = s.passageId || passageIdAt(searcher.passagesOf(letter.id), s.start);
    draft.push(
      buildCitation(0, letter, { start: s.start, end: s.end, section: s.section ?? where.section, headings: where.headings, passageId }, searcher.letterRef(letter.id) ?? letterRefOf(letter)),
    );
  }
  const citations = finishCitations(searcher, draft, input.offset ?? 0, log);
  return withText({
    question: input.question,
    lang: input.lang,
    mode: input.mode,
    refused: input.mode === 'refusal',
    ...(input.mode === 'refusal' ? { reason: input.reason ?? 'off-topic' } : {}),
    ...(input.missing ? { missing: input.missing } : {}),
    citations,
    groups: groupCitations(searcher, citations),
    nearest: input.nearest,
    synthesis: input.synthesis,
    page: input.page,
    hasMore: input.hasMore,
  });
}

/**
 * Verifies citations (dropping failures), then numbers the survivors from `offset + 1` in order.
 *
 * @example
 * finishCitations(searcher, [tampered, good], 0).map((c) => c.n) // → [1] (the tampered one is gone)
 */
export function finishCitations(searcher: Pick<Searcher, 'letter'>, citations: Citation[], offset: number, log?: QuoteLogger): Citation[] {
  return keepVerifiedQuotes(citations, (id) => searcher.letter(id), log).map((c, i) => ({ ...c, n: offset + i + 1 }));
}

/**
 * Groups citation numbers by letter, letters in order of their first citation.
 *
 * @example
 * groupCitations(searcher, citations).map((g) => g.citations) // → [[1, 2], [3]]
 */
export function groupCitations(searcher: Pick<Searcher, 'letter' | 'letterRef'>, citations: Citation[]): AnswerGroup[] {
  const groups: AnswerGroup[] = [];
  for (const c of citations) {
    let g = groups.find((x) => x.letter.id === c.letter);
    if (!g) {
      const letter = searcher.letter(c.letter);
      const ref = searcher.letterRef(c.letter) ?? (letter ? letterRefOf(letter) : undefined);
      if (!ref) continue;
      g = { letter: ref, citations: [] };
      groups.push(g);
    }
    g.citations.push(c.n);
  }
  return groups;
}

/**
 * The answer with its plain-text rendering filled in.
 *
 * @example
 * withText({ ...answer, synthesis }).text.startsWith(synthesis) // → true
 */
export function withText(answer: Omit<Answer, 'text'>): Answer {
  return { ...answer, text: renderPlain(answer) };
}
