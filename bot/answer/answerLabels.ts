/**
 * The framing words around quotes, in each answer language. Quotes themselves are never translated;
 * only these labels, headers and refusal sentences follow the asker's language.
 */
import type { AnswerLang } from '../answerTypes.ts';

export interface AnswerLabels {
  question: string;
  refusal: string;
  /** The letter (named) discusses the topic but does not state `missing`. */
  notStated: (letter: string, missing: string) => string;
  /** Above the closest quote of a not-stated answer. */
  closestQuote: string;
  nearest: string;
  noNearest: string;
  commitmentsHeader: string;
  noCommitments: string;
  synthesisHeader: string;
  quotesHeader: string;
  issuer: string;
  title: string;
  proposal: string;
  addressees: string;
  date: string;
  section: string;
  source: string;
  seeAlso: string;
  noMore: string;
  unknownIssuer: string;
  /** Opening and closing quotation marks around a verbatim quote. */
  open: string;
  close: string;
  /** Separator between the quote and its attribution in a one-line citation. */
  dash: string;
  listSep: string;
}

const zh: AnswerLabels = {
  question: '问',
  refusal: '没有找到能回答这个问题的复函。',
  notStated: (letter, missing) => `${letter}谈到了这个问题，但没有写明${missing}。`,
  closestQuote: '最接近的原文（并未回答这个问题）：',
  nearest: '最接近的复函：',
  noNearest: '（语料中没有相关复函）',
  commitmentsHeader: '复函中的下一步工作承诺：',
  noCommitments: '没有找到相关的下一步工作承诺。',
  synthesisHeader: '摘要',
  quotesHeader: '原文摘录',
  issuer: '发文单位',
  title: '标题',
  proposal: '提案/建议',
  addressees: '致',
  date: '日期',
  section: '位置',
  source: '来源',
  seeAlso: '另见',
  noMore: '没有更多结果了。',
  unknownIssuer: '（发文单位不详）',
  open: '「',
  close: '」',
  dash: '——',
  listSep: '、',
};

const zhHant: AnswerLabels = {
  ...zh,
  question: '問',
  refusal: '沒有找到能回答這個問題的復函。',
  notStated: (letter, missing) => `${letter}談到了這個問題，但沒有寫明${missing}。`,
  closestQuote: '最接近的原文（並未回答這個問題）：',
  nearest: '最接近的復函：',
  noNearest: '（語料中沒有相關復函）',
  commitmentsHeader: '復函中的下一步工作承諾：',
  noCommitments: '沒有找到相關的下一步工作承諾。',
  synthesisHeader: '摘要',
  quotesHeader: '原文摘錄',
  issuer: '發文單位',
  title: '標題',
  proposal: '提案/建議',
  addressees: '致',
  date: '日期',
  section: '位置',
  source: '來源',
  seeAlso: '另見',
  noMore: '沒有更多結果了。',
  unknownIssuer: '（發文單位不詳）',
};

const en: AnswerLabels = {
  question: 'Q',
  refusal: 'No letter in the collection answers this.',
  notStated: (letter, missing) => `The letter from ${letter} discusses this but does not state ${missing}.`,
  closestQuote: 'Closest quote (it does not answer the question):',
  nearest: 'Nearest letters:',
  noNearest: '(no related letters in the collection)',
  commitmentsHeader: 'What the letters commit to doing next:',
  noCommitments: 'No matching commitments found.',
  synthesisHeader: 'Summary',
  quotesHeader: 'Quotes',
  issuer: 'Issuer',
  title: 'Title',
  proposal: 'Proposal',
  addressees: 'To',
  date: 'Date',
  section: 'Section',
  source: 'Source',
  seeAlso: 'See also',
  noMore: 'No more results.',
  unknownIssuer: '(issuer unknown)',
  open: '"',
  close: '"',
  dash: ' — ',
  listSep: ', ',
};

const LABELS: Record<AnswerLang, AnswerLabels> = { zh, 'zh-Hant': zhHant, en };

/**
 * Labels for one language.
 *
 * @example
 * labelsFor('en').refusal // → 'No letter in the collection answers this.'
 */
export function labelsFor(lang: AnswerLang): AnswerLabels {
  return LABELS[lang];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * An ISO date as a reader expects it: 2024年5月27日 in Chinese, 27 May 2024 in English.
 *
 * @example
 * formatDate('2024-05-27', 'zh') // → '2024年5月27日'
 * formatDate('2024-05-27', 'en') // → '27 May 2024'
 */
export function formatDate(iso: string, lang: AnswerLang): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const [, y, mo, d] = m;
  if (lang === 'en') return `${Number(d)} ${MONTHS[Number(mo) - 1]} ${y}`;
  return `${y}年${Number(mo)}月${Number(d)}日`;
}
