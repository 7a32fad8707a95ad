/**
 * The contract between answering and rendering: an `Answer` is data; renderers
 * (plain text for the terminal, Telegram HTML for the bot) turn it into messages.
 */
import type { LetterRef } from '../index/searchTypes.ts';

/** Language of the framing text around quotes (quotes stay as written). */
export type AnswerLang = 'zh' | 'zh-Hant' | 'en';

/** One verbatim quote and everything needed to cite it. */
export interface Citation {
  /** 1-based number shown as [n]. */
  n: number;
  /** Letter id. */
  letter: string;
  /** Letter file name. */
  doc: string;
  /** Verbatim: `letter.text.slice(start, end)`, checked before it is shown. */
  quote: string;
  start: number;
  end: number;
  issuer: string | null;
  /** Title, or composed from session + proposal (e.g. 市政协六届二次会议第0963号提案). */
  title: string;
  proposal: string | null;
  addressees: string[];
  date: string | null;
  /** Section path, e.g. 五、 */
  section: string;
  /** Section heading chain, for display. */
  headings: string[];
  source: string | null;
  /** Passage the quote was taken from (for "full passage" buttons). */
  passageId: string;
}

/** Quotes of one letter, in the order shown. */
export interface AnswerGroup {
  letter: LetterRef;
  citations: number[];
}

/**
 * Why an answer refuses: the letters discuss the topic but none states what was asked
 * (`not-stated`: the closest quote is shown, labelled as not answering), or nothing is on the
 * topic at all (`off-topic`: only the nearest letters).
 */
export type RefusalReason = 'not-stated' | 'off-topic';

export interface Answer {
  question: string;
  lang: AnswerLang;
  /** quotes: ordinary answer; commitments: a listing of plans; refusal: nothing answers. */
  mode: 'quotes' | 'commitments' | 'refusal';
  refused: boolean;
  /** Set when refused. */
  reason?: RefusalReason;
  /** For `not-stated`: what was asked and not stated, in the answer's language ("the amount"). */
  missing?: string;
  citations: Citation[];
  groups: AnswerGroup[];
  /** On refusal (and as "see also"): the nearest letters. */
  nearest: LetterRef[];
  /** Optional LLM-written summary with [n] markers, already checked against the citations. */
  synthesis?: string;
  /** Plain-text rendering (what `fuhan ask --json` prints as "answer"). */
  text: string;
  /** 1-based page of quotes this answer shows (citation numbers continue across pages). */
  page?: number;
  /** True when a next page ("more results") has further quotes. */
  hasMore?: boolean;
}
