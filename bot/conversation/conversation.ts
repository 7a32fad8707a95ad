/**
 * The conversation layer: a message plus the recent turns become a standalone question and search
 * filters, before `answerQuestion` sees them. One layer for the terminal chat, private Telegram chats
 * and group threads. Offline and rule-based (no model): it understands, in Simplified, Traditional
 * and English,
 * - substitution of a place, body or topic: 「那重庆呢？」, 「青岛呢」, "and Chongqing?", "what about the transport bureau?";
 * - the same letter: 「他们下一步打算怎么做？」, 「哪天回复的？」, 「谁签发的？」, "what did they promise?",
 *   "who signed it?" — restricted to the letter of the previous answer (`SearchFilters.letters`);
 * - ordinals: 「第二条详细说说」, 「第2封信」, "the second one", "more on [2]";
 * - resets: /new, 「换个问题」; and a quiet period after which the conversation is forgotten.
 * A message that names its own place, body or proposal is a new question and is never bent by the history.
 */
import type { Searcher, SearchFilters } from '../../index/searchTypes.ts';
import * as OpenCC from 'opencc-js';
import { normalizeForMatch } from '../../index/lexical/normalizeForMatch.ts';
import { chineseWords, latinTokens } from '../../index/lexical/segmenter.ts';
import type { Answer, AnswerLang } from '../answerTypes.ts';
import { answerQuestion } from '../answer/answerQuestion.ts';
import { detectLanguage } from '../answer/detectLanguage.ts';
import type { ConversationState, Turn } from './conversationState.ts';
import { conversationTexts } from './conversationTexts.ts';
import { letterIntentOf, ordinalOf, pointsBack, RESET, substitutionOf, type LetterIntent } from './followUpPatterns.ts';
import type { Rewriter } from './llmRewrite.ts';
import { PlaceNames } from './placeNames.ts';

export interface ConversationOptions {
  /** Quiet period after which the conversation is forgotten, in ms (default 30 minutes). */
  ttlMs?: number;
  /** A follow-up leaning on the previous letter has at most this many Chinese characters (default 18)… */
  maxFollowUpChars?: number;
  /** …or English words (default 9); longer messages carry their own subject. */
  maxFollowUpWords?: number;
  /** Optional LLM help for short messages the rules cannot read (see llmRewrite.ts); none by default. */
  rewrite?: Rewriter;
}

export const DEFAULT_CONVERSATION_OPTIONS: Required<Omit<ConversationOptions, 'rewrite'>> = { ttlMs: 30 * 60_000, maxFollowUpChars: 18, maxFollowUpWords: 9 };

/** How a message was read. */
export interface Reading {
  /** reset: forget the conversation; notice: reply with `notice` and keep the conversation as it is. */
  kind: 'reset' | 'notice' | 'question';
  /** What to reply instead of an answer (kind notice): an ordinal the previous answer has nothing for. */
  notice?: string;
  /** standalone: the message as it is; the others lean on the previous turn. */
  how: 'standalone' | 'substitution' | 'same-letter' | 'ordinal' | 'rewritten';
  /** The standalone question: what is searched. */
  question: string;
  filters?: SearchFilters;
  /** How a follow-up was understood, for the «理解为：…» line; undefined for a standalone question. */
  readAs?: string;
  /** The content question the next substitution rewrites. */
  topic: string;
  lang: AnswerLang;
}

/**
 * Search words for questions about the letter itself, in the wording the answer stage knows (the
 * framing language is passed apart, so an English question gets an English answer all the same).
 */
const LETTER_QUESTIONS: Record<'date' | 'signer' | 'plans', string> = { date: '落款日期', signer: '落款单位', plans: '下一步工作计划' };
const LETTER_QUESTIONS_EN: Record<'date' | 'signer', string> = { date: 'When was the reply letter dated?', signer: 'Who signed the reply letter?' };

const placeNamesOf = new WeakMap<object, { count: number; names: PlaceNames }>();

/**
 * @example
 * const conversation = new Conversation();
 * let state: ConversationState | undefined;
 * const reading = await conversation.read(searcher, '那重庆呢？', state);
 * const answer = await answerQuestion(searcher, reading.question, { filters: reading.filters });
 * state = conversation.remember(state, reading, answer);
 */
export class Conversation {
  readonly options: Required<Omit<ConversationOptions, 'rewrite'>> & Pick<ConversationOptions, 'rewrite'>;

  constructor(options: ConversationOptions = {}) {
    this.options = { ...DEFAULT_CONVERSATION_OPTIONS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
  }

  /** The state's last turn, unless the conversation went quiet for longer than the TTL. */
  liveTurn(state: ConversationState | undefined, now = Date.now()): Turn | undefined {
    if (!state?.turn || now - state.at > this.options.ttlMs) return undefined;
    return state.turn;
  }

  /**
   * Reads a message in the light of the conversation so far. Async because some readings are
   * checked against the index (whether a pronoun alone finds anything in the letter).
   *
   * @param lang framing language when the message has no words to tell (an emoji): the user's.
   */
  async read(searcher: Searcher, message: string, state: ConversationState | undefined, options: { now?: number; lang?: AnswerLang } = {}): Promise<Reading> {
    const text = message.trim();
    const normalized = normalizeForMatch(text);
    const turn = this.liveTurn(state, options.now);
    let lang = /[\p{Script=Han}A-Za-z]/u.test(text) ? detectLanguage(text) : (options.lang ?? detectLanguage(text));
    // 「哪天答覆的？」 has no Simplified-only character: in a Traditional conversation it stays Traditional.
    if (lang === 'zh' && turn?.lang === 'zh-Hant' && sharedByBothScripts(text)) lang = 'zh-Hant';
    const standalone: Reading = { kind: 'question', how: 'standalone', question: text, topic: text, lang };
    if (RESET.test(normalized)) return { ...standalone, kind: 'reset' };
    if (!turn || text === '') return standalone;
    const names = this.placeNames(searcher);

    const ordinal = ordinalOf(normalized);
    if (ordinal) {
      const reading = this.readOrdinal(searcher, turn, ordinal, lang);
      if (reading) return reading;
      // 「第二条」 after a one-quote answer: saying so beats answering "the second letter" from anywhere.
      if (this.isShort(text, 0.8)) {
        const count = ordinal.target === 'quote' ? turn.quotes.length : turn.letters.length;
        return { ...standalone, kind: 'notice', notice: conversationTexts(lang).noSuchItem(ordinal.target, ordinal.n, count) };
      }
    }
    const substituted = substitutionOf(normalized);
    if (substituted !== null) return this.readSubstitution(searcher, turn, originalCase(text, substituted), names, lang);
    const intent = letterIntentOf(normalized);
    if (turn.letters.length === 0 || hasOwnSubject(text, names)) return standalone;
    // A place the conversation's letters never mention (深圳 after 青岛): a new question, not theirs.
    if (names.strangers(text, turn.letters).length > 0) return standalone;
    if (intent && this.isShort(text)) return this.readSameLetter(searcher, turn, text, intent, lang);
    // An elliptic question (「签了多少个？」, "how long?") leans on the last letter only when it
    // finds nothing on its own: one that the letters answer as it stands is a new question.
    if (!intent && this.isShort(text) && !(await answers(searcher, text))) {
      if (this.isShort(text, 0.6)) return this.readSameLetter(searcher, turn, text, 'content', lang);
      const rewritten = await this.options.rewrite?.(text, { previous: turn.topic, letter: letterLabel(searcher, turn.letters[0]!, lang) });
      if (rewritten && (await answers(searcher, rewritten))) {
        return { kind: 'question', how: 'rewritten', question: rewritten, readAs: rewritten, topic: rewritten, lang };
      }
    }
    return standalone;
  }

  /**
   * The state after an answer. A refused follow-up keeps the previous turn (its letters are still
   * what "they" refers to); a refused new question becomes the topic, its nearest letters (which the
   * refusal lists) what "it" refers to.
   */
  remember(state: ConversationState | undefined, reading: Reading, answer: Answer, now = Date.now()): ConversationState {
    if (reading.kind === 'reset') return { at: now };
    const previous = this.liveTurn(state, now);
    if (answer.citations.length === 0) {
      if (reading.how !== 'standalone' && previous) return { turn: previous, at: now };
      // A refusal shows the nearest letters: "who signed it?" then asks about the first of them.
      return { turn: { question: reading.question, topic: reading.topic, letters: answer.nearest.slice(0, 3).map((l) => l.id), quotes: [], lang: reading.lang }, at: now };
    }
    const letters = answer.groups.map((g) => g.letter.id);
    for (const c of answer.citations) if (!letters.includes(c.letter)) letters.push(c.letter);
    const turn: Turn = {
      question: reading.question,
      topic: reading.topic,
      letters,
      quotes: answer.citations.slice(0, 12).map((c) => ({ n: c.n, letter: c.letter, quote: c.quote.slice(0, 300) })),
      lang: reading.lang,
    };
    if (reading.filters) turn.filters = reading.filters;
    return { turn, at: now };
  }

  private placeNames(searcher: Searcher): PlaceNames {
    const letters = searcher.letters();
    const cached = placeNamesOf.get(searcher);
    if (cached && cached.count === letters.length) return cached.names;
    const names = new PlaceNames(letters);
    placeNamesOf.set(searcher, { count: letters.length, names });
    return names;
  }

  private isShort(text: string, share = 1): boolean {
    const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
    const words = text.match(/[A-Za-z]+/g)?.length ?? 0;
    return han <= this.options.maxFollowUpChars * share && words <= this.options.maxFollowUpWords * share;
  }

  private readOrdinal(searcher: Searcher, turn: Turn, ordinal: { target: 'quote' | 'letter'; n: number }, lang: AnswerLang): Reading | undefined {
    const t = conversationTexts(lang);
    if (ordinal.target === 'quote') {
      const quote = ordinal.n === -1 ? turn.quotes[turn.quotes.length - 1] : turn.quotes.find((q) => q.n === ordinal.n);
      if (!quote) return undefined;
      // The quote itself, searched in its letter: the answer opens on it and the sentences around it.
      return {
        kind: 'question',
        how: 'ordinal',
        question: quote.quote,
        filters: { letters: [quote.letter] },
        readAs:
          lang === 'en'
            ? `${t.quoteN(quote.n)} (${letterLabel(searcher, quote.letter, lang)}): ${shorten(quote.quote, 40)}`
            : `${t.quoteN(quote.n)}（${letterLabel(searcher, quote.letter, lang)}）：${shorten(quote.quote, 40)}`,
        topic: turn.topic,
        lang,
      };
    }
    const letter = ordinal.n === -1 ? turn.letters[turn.letters.length - 1] : turn.letters[ordinal.n - 1];
    if (!letter) return undefined;
    return {
      kind: 'question',
      how: 'ordinal',
      question: turn.topic,
      filters: { letters: [letter] },
      readAs: framed(letterLabel(searcher, letter, lang), turn.topic, lang),
      topic: turn.topic,
      lang,
    };
  }

  private async readSubstitution(searcher: Searcher, turn: Turn, x: string, names: PlaceNames, lang: AnswerLang): Promise<Reading> {
    const base = turn.topic;
    const english = detectLanguage(base) === 'en';
    const spans = names.find(base);
    const kind = names.isPlace(x) ? 'place' : names.isIssuer(x) ? 'issuer' : 'topic';
    let question: string;
    let filters: SearchFilters | undefined;
    if (kind !== 'topic') {
      // Put the new place (body) where the old one was; a question that named none gets it added.
      // A place goes where the old place (or body) was; a body only where a body was.
      // (a body that names its own place — 湖南省文化和旅游厅 — may stand where a place was).
      const ownPlace = kind === 'issuer' && names.find(x).some((s) => s.kind === 'place');
      const target = spans.find((s) => s.kind === kind) ?? (kind === 'place' || ownPlace ? spans[0] : undefined);
      if (target) question = base.slice(0, target.start) + x + base.slice(target.end);
      else question = english ? `${base.replace(/[\s?？]+$/u, '')} (${x})?` : `${x}：${base}`;
      // The answer must come from a letter of that place: a confident answer from the old place's
      // letter (which the rest of the question still matches best) is the worst outcome.
      const translations = kind === 'place' && !/\p{Script=Han}/u.test(x) ? names.spellings(x, (await searcher.search(x, { k: 1 })).terms.map((t) => t.text)) : [];
      const own = names.lettersOf(x, { translations });
      if (own.length > 0) {
        filters = { letters: own };
        // What only the old place's letters speak of (MOX for Qingdao) cannot be asked of the new one.
        if (!(await answers(searcher, question, filters))) question = withoutWordsOnlyIn(names, question, turn.letters, own);
      } else if (kind === 'place') {
        // No letter is from that place: those that name it answer the question as asked, or nothing
        // does — never the old place's letter, which the rest of the question still matches best.
        filters = { letters: names.lettersOf(x, { translations, inPassing: true, besides: turn.letters }) };
      }
    } else {
      // A new topic for the same place or body; with none named, for the same letters.
      const anchors = [...new Set(spans.filter((s) => !s.guessed).map((s) => base.slice(s.start, s.end)))];
      if (anchors.length > 0) {
        question = english || detectLanguage(x) === 'en' ? `${x} (${anchors.join(', ')})` : `${anchors.join('')}${x}`;
        // The new topic is searched in the anchor's letters, without the anchor's name: restricted to
        // them the name tells no sentence apart, and it would favour those that mention it in passing.
        const own = [...new Set(anchors.flatMap((a) => names.lettersOf(a)))];
        if (own.length > 0 && (await answers(searcher, x, { letters: own }))) {
          return { kind: 'question', how: 'substitution', question: x, filters: { letters: own }, readAs: question, topic: question, lang };
        }
      } else {
        question = x;
        filters = { letters: turn.letters };
        if (turn.letters.length === 0 || !(await answers(searcher, question, filters))) filters = undefined;
      }
    }
    const readAs = filters && kind === 'topic' ? framed(turn.letters.map((l) => letterLabel(searcher, l, lang)).slice(0, 2).join('、'), question, lang) : question;
    return { kind: 'question', how: 'substitution', question, filters, readAs, topic: question, lang };
  }

  private async readSameLetter(searcher: Searcher, turn: Turn, text: string, intent: LetterIntent, lang: AnswerLang): Promise<Reading> {
    const letter = turn.letters[0]!;
    const filters: SearchFilters = { letters: [letter] };
    // Questions about the letter itself are asked in the words the answer stage knows, with the
    // letter's own name for itself (复函, 答复, 会办意见); content questions as written, then after
    // the previous question when the pronoun alone finds nothing; plans on the topic talked about first.
    const word = /复函|答复函|答复|会办意见|复文|回复/.exec(normalizeForMatch(searcher.letterRef(letter)?.title ?? ''))?.[0] ?? '复函';
    // A letter without a signature block still names its writer at the top: the issuer's name finds it.
    const issuer = intent === 'signer' ? (searcher.letterRef(letter)?.issuer ?? '') : '';
    // A sentence of it the previous answer showed: words sure to reach the letter's body.
    const shownQuote = turn.quotes.find((q) => q.letter === letter)?.quote;
    const candidates =
      intent === 'date' || intent === 'signer'
        ? // The message framed by the letter's name first (青岛市人民政府的复函：哪天回复的？): the answer stage reads
          // questions about the letter (哪天, who signed) as such once the letter is named.
          [
            framed(letterLabel(searcher, letter, lang), text, lang),
            framed(letterLabel(searcher, letter, 'zh'), LETTER_QUESTIONS[intent], 'zh'),
            // With the subject talked about: words that reach the letter's body, where the answer stage
            // finds its sentences (a search that reaches only the header and salutation finds none).
            `${subjectOf(turn.topic)} ${LETTER_QUESTIONS[intent]}`,
            ...(shownQuote ? [`${shownQuote} ${LETTER_QUESTIONS[intent]}`] : []),
            `${word}的${LETTER_QUESTIONS[intent]} ${issuer}`.trim(),
            `复函${LETTER_QUESTIONS[intent]}`,
            LETTER_QUESTIONS_EN[intent],
          ]
        : intent === 'plans'
          ? // The plans word in the answer stage's own terms: "what do they plan?" must list commitments.
            [`${subjectOf(turn.topic)} ${LETTER_QUESTIONS.plans}`, `${text} ${LETTER_QUESTIONS.plans}`, LETTER_QUESTIONS.plans]
          : // A message naming what it asks about (那X现在有几个?) is asked as written first: the previous
            // question's words would pull up the sentences that answered it, not this one.
            pointsBack(normalizeForMatch(text))
            ? [`${turn.topic} ${text}`, text]
            : [text, `${turn.topic} ${text}`];
    let question = candidates[0]!;
    for (const candidate of candidates) {
      if (await answers(searcher, candidate, filters)) {
        question = candidate;
        break;
      }
    }
    return { kind: 'question', how: 'same-letter', question, filters, readAs: framed(letterLabel(searcher, letter, lang), text, lang), topic: turn.topic, lang };
  }
}

let toTraditional: ((text: string) => string) | undefined;

/** True when the text has no character that only Simplified writes (哪天答覆的 has none; 哪天答复的 has 复). */
function sharedByBothScripts(text: string): boolean {
  const convert = (toTraditional ??= OpenCC.Converter({ from: 'cn', to: 'tw' }));
  return convert(text) === text;
}

/** True when the search finds something that answers (the engine's own relevance judgement). */
async function answers(searcher: Searcher, question: string, filters?: SearchFilters): Promise<boolean> {
  // The answer stage, not only the search, decides: it refuses what the letters discuss but do not state.
  const answer = await answerQuestion(searcher, question, { filters, log: () => {} });
  return !answer.refused && answer.citations.length > 0;
}

/**
 * The question without the words that occur in the `from` letters but in none of the `to` letters.
 *
 * @example
 * withoutWordsOnlyIn(names, 'what has Chongqing done with MOX?', [qingdao], chongqingLetters) // → 'what has Chongqing done?'
 */
function withoutWordsOnlyIn(names: PlaceNames, question: string, from: string[], to: string[]): string {
  const textOf = (ids: string[]) => ids.map((id) => names.textOf(id)).join('\n');
  const old = textOf(from);
  const target = textOf(to);
  const normalized = normalizeForMatch(question);
  // …and numbers the new letters never write (13th, 2021): the number rule would refuse the question.
  const words = [...new Set([...latinTokens(normalized), ...chineseWords(normalized)])].filter(
    (w) => [...w].length >= 2 && !target.includes(w) && (old.includes(w) || /\d/.test(w)),
  );
  if (words.length === 0 || normalized.length !== question.length) return question;
  let out = question;
  for (const w of words.sort((a, b) => b.length - a.length)) {
    const at = normalizeForMatch(out).indexOf(w);
    if (at >= 0) out = out.slice(0, at) + out.slice(at + w.length);
  }
  // "…done with ?" → "…done?"
  return out.replace(/\s+(?:with|on|about|for|of|in|to|and)\s*([?？]?)$/iu, '$1').replace(/\s+([?？])$/u, '$1').replace(/\s{2,}/g, ' ').trim();
}

// Question words and scaffolding: what is left of a question is what it is about.
const QUESTION_WORDS_EN = /\b(?:why|how|what|when|where|which|who|whom|whose|does|do|did|is|are|was|were|has|have|had|can|could|will|would|many|much|the|a|an|of|in|on|to|for|with|about|and|or|it|its|they|their|there|this|that)\b/gi;
const QUESTION_WORDS_ZH = /为什么|為什麼|怎么样|怎麼樣|怎么|怎麼|什么|什麼|哪些|哪个|哪個|哪里|哪裡|多少|几个|幾個|是否|有没有|有沒有|吗|嗎|呢|了/gu;

/**
 * The subject of a question: the question without its question words, so a follow-up can carry it
 * without carrying its intent ("why …" would make a plans question a why-question).
 *
 * @example
 * subjectOf('Why does no bus line reach the Fengming Shuian estate?') // → 'no bus line reach Fengming Shuian estate'
 */
function subjectOf(question: string): string {
  return question.replace(QUESTION_WORDS_EN, ' ').replace(QUESTION_WORDS_ZH, ' ').replace(/[?？!！。.,，]/gu, ' ').replace(/\s+/g, ' ').trim();
}

/** A message that names a place, a body or a proposal number has its own subject. */
function hasOwnSubject(text: string, names: PlaceNames): boolean {
  if (names.find(text).length > 0) return true;
  return /第?\s*[a-z]{0,2}\d{2,}\s*[号號]|\b(?:proposal|suggestion|motion|no\.)\s*#?\s*[a-z]{0,2}\d{2,}/iu.test(text);
}

/** The substituted words as the user wrote them (normalising lower-cased them). */
function originalCase(text: string, normalizedPart: string): string {
  const at = normalizeForMatch(text).indexOf(normalizedPart);
  return at >= 0 && normalizeForMatch(text).length === text.length ? text.slice(at, at + normalizedPart.length) : normalizedPart;
}

function letterLabel(searcher: Searcher, letterId: string, lang: AnswerLang): string {
  const ref = searcher.letterRef(letterId);
  // Untitled issuers: the title already says what the letter is (关于…的答复函).
  return ref?.issuer ? conversationTexts(lang).replyOf(ref.issuer) : `《${shorten(ref?.title ?? letterId, 30)}》`;
}

function framed(label: string, question: string, lang: AnswerLang): string {
  return lang === 'en' ? `${question} — in ${label}` : `${label}：${question}`;
}

function shorten(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max).join('')}…`;
}
