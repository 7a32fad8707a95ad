/**
 * Which proposal a letter answers: its number as written (0963, D022, DH0271, 2023J0612, 27),
 * the session it was raised at (市政协六届二次会议), and whether it is a CPPCC 提案 or an NPC 建议.
 */
import type { LetterKind } from '../letter.ts';

/** A number as pages write it: 0963, 20190084, or with spaces inside (2019 0084). */
const DIGITS = String.raw`\d(?:\s?\d){0,7}`;
const NUMBER_PATTERNS: RegExp[] = [
  // 第0963号 / 第D022号 / 第DH0271号 / 第 12 号 / 提案第 20190084 号
  new RegExp(String.raw`第\s*([A-Za-z]{0,3}${DIGITS}|\d{4}[A-Za-z]{1,2}\d{2,6})\s*号`),
  // 2023J0612 standing alone
  /(?<![A-Za-z0-9])(\d{4}[A-Za-z]{1,2}\d{3,6})(?![A-Za-z0-9])/,
  // (27号) / (第27号建议) printed after the proposal's title
  new RegExp(String.raw`[(]\s*第?\s*([A-Za-z]{0,3}${DIGITS})\s*号`),
  // 第182号 without 第 before 提案/建议: 12号提案
  new RegExp(String.raw`(?<![\dA-Za-z〔\]])([A-Za-z]{0,3}${DIGITS})\s*号\s*(?:代表)?(?:提案|建议)`),
  // 第30 代表建议 — the 号 lost in scraping, the kind right after the number
  new RegExp(String.raw`第\s*([A-Za-z]{0,3}${DIGITS})\s*(?:代表|委员)?\s*(?:提案|建议)`),
  // 提案号: 123 / 建议编号：D12 / 提案编号 20190084
  new RegExp(String.raw`(?:提案|建议)\s*(?:编号|号)\s*[:：]?\s*([A-Za-z]{0,3}${DIGITS})`),
];

/**
 * The proposal number in a string (search form), as written, or null.
 * @example findProposalNumber('关于市政协六届二次会议第0963号提案的复函') // '0963'
 */
export function findProposalNumber(s: string): string | null {
  for (const re of NUMBER_PATTERNS) {
    const m = re.exec(s);
    if (m) return m[1].replace(/\s+/g, '').toUpperCase();
  }
  return null;
}

const CN_NUM = '[一二三四五六七八九十〇零0-9]';
/** The core of a session name: …届…次会议, with the body (人大/政协/委员会) on either side. */
const SESSION_CORE = new RegExp(
  `第?${CN_NUM}{1,3}届(?:[\\u4e00-\\u9fa5]{0,10}?委员会|人大|政协|人民代表大会|人大常委会)?(?:第)?${CN_NUM}{1,3}次(?:全体)?会议`,
);
/** Words that end the place/body prefix to the left of a session core. */
const LEFT_STOP = /[关于对在的期间提出你您我们年日月号\s,，。:：、“”《》()]/;

/**
 * The session a proposal was raised at, e.g. `市政协六届二次会议`, `县九届政协二次会议`,
 * `政协某某市江北区第五届委员会第二次会议`, or null.
 * @example findSession('遂宁市安居区交通运输局关于区人大四届二次会议第48号建议的复函') // '区人大四届二次会议'
 */
export function findSession(s: string): string | null {
  const m = SESSION_CORE.exec(s);
  if (!m) return null;
  let start = m.index;
  let steps = 0;
  while (start > 0 && steps < 12 && !LEFT_STOP.test(s[start - 1]) && /[\u4e00-\u9fa5]/.test(s[start - 1])) {
    start--;
    steps++;
  }
  const session = s.slice(start, m.index + m[0].length).replace(/\s+/g, '');
  return session;
}

/** What a letter's kind was told by. */
export type KindEvidence = 'metadata table' | 'title' | 'opening' | 'salutation' | 'unknown';

/**
 * CPPCC proposal (提案/政协/委员) vs NPC suggestion (建议/人大/代表) vs other, and what told it.
 * Strongest evidence first: the page's genre/category field, the session's body, then the words of
 * the title and the letter's opening (政协/提案 → proposal, 人大 → suggestion: the body decides over
 * the salutation's 代表/委员, which pages get wrong), then the salutation, then a bare 建议.
 * @example letterKind({ genre: '政协提案办理', session: null, addressees: [], title: '', opening: '' }).kind // 'cppcc-proposal'
 * @example letterKind({ genre: null, session: null, addressees: ['张三代表'], title: '', opening: '您提出的关于…的提案收悉' }).kind // 'cppcc-proposal'
 */
export function letterKind(evidence: {
  genre: string | null;
  session: string | null;
  addressees: string[];
  title: string;
  opening: string;
  category?: string | null;
}): { kind: LetterKind; from: KindEvidence } {
  for (const t of [evidence.genre, evidence.category]) {
    if (!t) continue;
    if (/政协|提案/.test(t)) return { kind: 'cppcc-proposal', from: 'metadata table' };
    if (/人大|建议|人民代表/.test(t)) return { kind: 'npc-suggestion', from: 'metadata table' };
  }
  if (evidence.session) {
    if (/政协/.test(evidence.session)) return { kind: 'cppcc-proposal', from: 'title' };
    if (/人大|人民代表/.test(evidence.session)) return { kind: 'npc-suggestion', from: 'title' };
  }
  for (const [text, from] of [[evidence.title, 'title'], [evidence.opening, 'opening']] as const) {
    if (/政协/.test(text)) return { kind: 'cppcc-proposal', from };
    if (/人大|人民代表大会/.test(text)) return { kind: 'npc-suggestion', from };
  }
  for (const [text, from] of [[evidence.title, 'title'], [evidence.opening, 'opening']] as const) {
    if (/提案/.test(text)) return { kind: 'cppcc-proposal', from };
  }
  const roles = evidence.addressees.join('');
  if (/委员/.test(roles) && !/代表/.test(roles)) return { kind: 'cppcc-proposal', from: 'salutation' };
  if (/代表/.test(roles) && !/委员/.test(roles)) return { kind: 'npc-suggestion', from: 'salutation' };
  if (/建议/.test(evidence.title)) return { kind: 'npc-suggestion', from: 'title' };
  if (/建议/.test(evidence.opening)) return { kind: 'npc-suggestion', from: 'opening' };
  return { kind: 'other', from: 'unknown' };
}
