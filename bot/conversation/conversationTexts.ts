/**
 * The conversation's own words, in the three framing languages: the «理解为：…» line, the reset
 * confirmation, paging labels and the /new command's description.
 */
import type { AnswerLang } from '../answerTypes.ts';

export interface ConversationTexts {
  /** Prefix of the line saying how a follow-up was read. */
  readAs: string;
  /** Reply to /new or 「换个问题」. */
  reset: string;
  /** Reply to a message with no question in it (only spaces). */
  blank: string;
  /** Button to the previous page of an answer. */
  previous: string;
  /** Button to the next page of a commitments listing. */
  more: string;
  /** /new in the command menu. */
  newCommand: string;
  /** "the reply of X" for a reading restricted to one letter. */
  replyOf: (issuer: string) => string;
  /** "quote [n]" in a reading. */
  quoteN: (n: number) => string;
  /** Reply to an ordinal the previous answer has no such item for (「第二条」 after a one-quote answer). */
  noSuchItem: (target: 'quote' | 'letter', n: number, count: number) => string;
}

const TEXTS: Record<AnswerLang, ConversationTexts> = {
  zh: {
    readAs: '理解为：',
    reset: '好的，重新开始。请提新的问题。',
    blank: '请直接输入问题，例如：青岛和MOX合作做了什么？',
    previous: '◀ 上一页',
    more: '更多 ▶',
    newCommand: '开始新的对话（忘记之前的问题）',
    replyOf: (issuer) => `${issuer}的复函`,
    quoteN: (n) => `第${n}条引文`,
    noSuchItem: (target, n, count) =>
      `上一个回答里没有${n === -1 ? '可指的' : `第${n}`}${target === 'quote' ? '条引文' : '封复函'}（只有 ${count} ${target === 'quote' ? '条' : '封'}）。`,
  },
  'zh-Hant': {
    readAs: '理解為：',
    reset: '好的，重新開始。請提新的問題。',
    blank: '請直接輸入問題，例如：青島和MOX合作做了什麼？',
    previous: '◀ 上一頁',
    more: '更多 ▶',
    newCommand: '開始新的對話（忘記之前的問題）',
    replyOf: (issuer) => `${issuer}的復函`,
    quoteN: (n) => `第${n}條引文`,
    noSuchItem: (target, n, count) =>
      `上一個回答裡沒有${n === -1 ? '可指的' : `第${n}`}${target === 'quote' ? '條引文' : '封復函'}（只有 ${count} ${target === 'quote' ? '條' : '封'}）。`,
  },
  en: {
    readAs: 'Read as: ',
    reset: 'OK, starting over. Ask a new question.',
    blank: 'Type a question, e.g. what has Qingdao done with MOX?',
    previous: '◀ Previous',
    more: 'More ▶',
    newCommand: 'start a new conversation (forget the previous questions)',
    replyOf: (issuer) => `the reply of ${issuer}`,
    quoteN: (n) => `quote [${n}]`,
    noSuchItem: (target, n, count) =>
      `The previous answer has no ${target === 'quote' ? (n === -1 ? 'quote' : `quote [${n}]`) : n === -1 ? 'letter' : `letter ${n}`} (it has ${count}).`,
  },
};

/**
 * @example
 * conversationTexts('zh').readAs // → '理解为：'
 */
export function conversationTexts(lang: AnswerLang): ConversationTexts {
  return TEXTS[lang];
}
