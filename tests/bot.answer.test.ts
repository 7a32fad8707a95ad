/**
 * The answer stage on real letters (tests/fixtures/letters, parsed and indexed in memory):
 * quote selection, verification, citations, refusals, commitments, languages, listings.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseLetter } from '../corpus/parseLetter.ts';
import { readCorpus } from '../corpus/readCorpus.ts';
import { SearchEngine } from '../index/searchEngine.ts';
import type { Citation } from '../bot/answerTypes.ts';
import { answerQuestion } from '../bot/answer/answerQuestion.ts';
import { finishCitations } from '../bot/answer/assembleAnswer.ts';
import { bookTitle, buildCitation, citationTitle, formatCitationLine, sectionAt } from '../bot/answer/citation.ts';
import { isPlansQuestion } from '../bot/answer/commitments.ts';
import { detectLanguage } from '../bot/answer/detectLanguage.ts';
import { describeLetter, listLetters, renderLetterDescription, renderLetterRows } from '../bot/answer/letterListing.ts';
import { listCommitments } from '../bot/answer/listCommitments.ts';
import { splitSentences } from '../bot/answer/splitSentences.ts';
import { keepVerifiedQuotes, verifyQuote } from '../bot/answer/verifyQuote.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'letters');
const QINGDAO = '000b_qingdao-shanghe-mox-tian';
const CHONGQING = '000a_chongqing-gangao-0963hao-tian';
const MOX_SENTENCE = '上合示范区管委会与中华(澳门)金融资产交易股份有限公司(以下简称“MOX”)签订了全面合作框架协议';
const YOUTH_ITEM = '二是进一步加强渝澳青年交流工作';

let engine: SearchEngine;
const silent = () => {};

/** Every citation is the exact slice of its letter. */
function expectVerbatim(citations: Citation[]) {
  for (const c of citations) {
    const letter = engine.letter(c.letter)!;
    expect(c.quote.length).toBeGreaterThan(0);
    expect(letter.text.slice(c.start, c.end)).toBe(c.quote);
  }
}

/** Span of the numbered item (一是/二是…) that starts with `heading`, up to the next item. */
function itemSpan(letterId: string, heading: string) {
  const section = engine.letter(letterId)!.sections.find((s) => s.heading.startsWith(heading));
  if (!section) throw new Error(`no section ${heading}`);
  return section;
}

beforeAll(async () => {
  const { docs } = await readCorpus(FIXTURES);
  engine = await SearchEngine.fromLetters(docs.map((d) => parseLetter(d)));
});

describe('quote selection', () => {
  it('answers "what has Qingdao done with MOX?" with the MOX framework agreement sentence', async () => {
    const answer = await answerQuestion(engine, 'what has Qingdao done with MOX?', { log: silent });
    expect(answer.mode).toBe('quotes');
    expect(answer.lang).toBe('en');
    expect(answer.citations[0].letter).toBe(QINGDAO);
    expect(answer.citations[0].quote).toContain(MOX_SENTENCE);
    expect(answer.citations.length).toBeLessThanOrEqual(4);
    expect(answer.citations.map((c) => c.n)).toEqual(answer.citations.map((_, i) => i + 1));
    expectVerbatim(answer.citations);
    expect(answer.text).toContain('[1]');
    expect(answer.text).toContain(MOX_SENTENCE);
    expect(answer.text).toContain('青岛市人民政府');
  });

  it('answers a Chongqing–Macau youth question from the 二是进一步加强渝澳青年交流工作 item', async () => {
    const answer = await answerQuestion(engine, '重庆和澳门青年交流有哪些安排？', { log: silent });
    expect(answer.mode).toBe('quotes');
    expect(answer.lang).toBe('zh');
    const item = itemSpan(CHONGQING, YOUTH_ITEM);
    const first = answer.citations[0];
    expect(first.letter).toBe(CHONGQING);
    expect(first.start).toBeGreaterThanOrEqual(item.start);
    expect(first.end).toBeLessThanOrEqual(item.end);
    const inItem = answer.citations.filter((c) => c.letter === CHONGQING && c.start >= item.start && c.end <= item.end);
    expect(inItem.length).toBeGreaterThanOrEqual(2);
    expectVerbatim(answer.citations);
  });

  it('gives the same quotes to the question in Traditional Chinese, framed in Traditional', async () => {
    const simplified = await answerQuestion(engine, '重庆和澳门青年交流有哪些安排？', { log: silent });
    const traditional = await answerQuestion(engine, '重慶和澳門青年交流有哪些安排？', { log: silent });
    expect(traditional.lang).toBe('zh-Hant');
    expect(traditional.citations.map((c) => c.quote)).toEqual(simplified.citations.map((c) => c.quote));
    expect(traditional.text).toContain('2024年5月27日');
  });

  it('pages: page 2 continues the numbering with other quotes', async () => {
    const q = '重庆和澳门青年交流有哪些安排？';
    const one = await answerQuestion(engine, q, { perPage: 2, log: silent });
    const two = await answerQuestion(engine, q, { perPage: 2, page: 2, log: silent });
    expect(one.hasMore).toBe(true);
    expect(two.citations[0].n).toBe(3);
    const firstSpans = new Set(one.citations.map((c) => `${c.letter}:${c.start}`));
    for (const c of two.citations) expect(firstSpans.has(`${c.letter}:${c.start}`)).toBe(false);
    expectVerbatim(two.citations);
  });
});

describe('questions about the letter itself', () => {
  it('answers "when was it dated" with the signature date line and "who signed" with the signing line', async () => {
    const when = await answerQuestion(engine, '青岛市政府关于上合示范区的那封复函落款日期是哪天？', { log: silent });
    expect(when.citations[0]).toMatchObject({ letter: QINGDAO, quote: '2024年6月28日' });
    const who = await answerQuestion(engine, 'Who signed the Qingdao reply about MOX?', { log: silent });
    expect(who.citations[0]).toMatchObject({ letter: QINGDAO, quote: '青岛市人民政府' });
  });

  it('puts a sentence with a number first for a how-many question', async () => {
    const answer = await answerQuestion(engine, 'How many Macau youths joined the Chongqing youth federation?', { log: silent });
    expect(answer.citations[0].quote).toContain('推荐7名澳门青年加入市青年联合会');
  });
});

describe('refusal', () => {
  it('says so in Chinese and lists the nearest letters', async () => {
    const answer = await answerQuestion(engine, '火星探测器什么时候发射？', { log: silent });
    expect(answer.mode).toBe('refusal');
    expect(answer.refused).toBe(true);
    expect(answer.citations).toEqual([]);
    expect(answer.nearest.length).toBeGreaterThan(0);
    expect(answer.text.startsWith('没有找到能回答这个问题的复函。最接近的复函：')).toBe(true);
    expect(answer.text).toContain(answer.nearest[0].issuer ?? '');
    // Titles are shown in book-title marks, nested ones turned to 〈〉 (Chinese typography).
    expect(answer.text).toContain(bookTitle(answer.nearest[0].title));
  });

  it('says so in English (framing language given explicitly)', async () => {
    const answer = await answerQuestion(engine, '火星探测器什么时候发射？', { lang: 'en', log: silent });
    expect(answer.mode).toBe('refusal');
    expect(answer.text.startsWith('No letter in the collection answers this. Nearest letters:')).toBe(true);
    expect(answer.text).toMatch(/\n {2}1\. .+\(\d{1,2} [A-Z][a-z]{2} \d{4}\)/);
  });
});

describe('commitments', () => {
  it('recognises questions about plans, in both scripts and English, but not a why-question', () => {
    expect(isPlansQuestion('上合示范区下一步有什么计划？')).toBe(true);
    expect(isPlansQuestion('重慶今後有什麼打算？')).toBe(true);
    expect(isPlansQuestion('What will Chongqing do next for youth exchanges?')).toBe(true);
    expect(isPlansQuestion('What did they promise?')).toBe(true);
    expect(isPlansQuestion('MOX是什么？')).toBe(false);
    expect(isPlansQuestion('这条路为何迟迟没进建设计划？')).toBe(false);
    expect(isPlansQuestion('Which regional plan lists the scenic spot?')).toBe(false);
  });

  it('answers a plans question with the letter\'s own commitments, verbatim', async () => {
    const answer = await answerQuestion(engine, '上合示范区下一步有什么计划？', { log: silent });
    expect(answer.mode).toBe('commitments');
    expect(answer.citations[0].letter).toBe(QINGDAO);
    expectVerbatim(answer.citations);
    for (const c of answer.citations) {
      const commitments = engine.letter(c.letter)!.commitments;
      expect(commitments.some((m) => m.start <= c.start && c.end <= m.end)).toBe(true);
    }
    expect(answer.text.split('\n')[0]).toBe('复函中的下一步工作承诺：');
  });

  it('lists every letter\'s commitments newest first, or a topic\'s', async () => {
    const all = await listCommitments(engine, undefined, 'zh', silent);
    expect(all.mode).toBe('commitments');
    const dates = all.groups.map((g) => g.letter.date ?? '');
    expect(dates).toEqual([...dates].sort().reverse());
    expectVerbatim(all.citations);
    const youth = await listCommitments(engine, '澳门青年交流', undefined, silent);
    expect(youth.citations[0].letter).toBe(CHONGQING);
    expectVerbatim(youth.citations);
  });
});

describe('verification', () => {
  it('drops a tampered quote and logs it; keeps the true one', () => {
    const letter = engine.letter(QINGDAO)!;
    const start = letter.text.indexOf(MOX_SENTENCE);
    const good = buildCitation(1, letter, { start, end: start + MOX_SENTENCE.length, ...sectionAt(letter, start), passageId: '' });
    const tampered: Citation = { ...good, n: 2, quote: good.quote.replace('全面合作框架协议', '战略合作协议') };
    const shifted: Citation = { ...good, n: 3, start: good.start + 1 };
    const empty: Citation = { ...good, n: 4, quote: '', end: good.start };
    const logs: string[] = [];
    const kept = finishCitations(engine, [tampered, good, shifted, empty], 0, (l) => logs.push(l));
    expect(kept).toHaveLength(1);
    expect(kept[0].quote).toBe(MOX_SENTENCE);
    expect(kept[0].n).toBe(1);
    expect(logs).toHaveLength(3);
    expect(logs[0]).toContain(QINGDAO);
    expect(verifyQuote(letter, tampered)).toMatchObject({ ok: false });
    expect(verifyQuote(undefined, good)).toMatchObject({ ok: false });
    expect(keepVerifiedQuotes([{ ...good, letter: 'no-such-letter' }], (id) => engine.letter(id), silent)).toEqual([]);
  });
});

describe('citations', () => {
  it('formats one pasteable line in Chinese and English', () => {
    const letter = engine.letter(CHONGQING)!;
    const text = '推荐7名澳门青年加入市青年联合会';
    const start = letter.text.indexOf(text);
    const c = { ...buildCitation(1, letter, { start, end: start + text.length, section: '三、二是', headings: [], passageId: '' }), source: 'https://example.gov.cn/a.html' };
    expect(formatCitationLine(c, 'zh')).toBe(
      '「推荐7名澳门青年加入市青年联合会」——重庆市人民政府港澳事务办公室《重庆市人民政府港澳事务办公室关于市政协六届二次会议第0963号提案的复函》(2024年5月27日)，https://example.gov.cn/a.html',
    );
    expect(formatCitationLine(c, 'en')).toBe(
      '"推荐7名澳门青年加入市青年联合会" — 重庆市人民政府港澳事务办公室, "重庆市人民政府港澳事务办公室关于市政协六届二次会议第0963号提案的复函" (27 May 2024), https://example.gov.cn/a.html',
    );
    expect(formatCitationLine({ ...c, source: null, date: null }, 'zh')).toBe(
      '「推荐7名澳门青年加入市青年联合会」——重庆市人民政府港澳事务办公室《重庆市人民政府港澳事务办公室关于市政协六届二次会议第0963号提案的复函》',
    );
  });

  it('composes a title from session and proposal when the letter has none', () => {
    expect(citationTitle({ title: '', session: '市政协六届二次会议', proposal: '0963', kind: 'cppcc-proposal' })).toBe('市政协六届二次会议第0963号提案');
    expect(citationTitle({ title: ' ', session: '区人大四届二次会议', proposal: '48', kind: 'npc-suggestion' })).toBe('区人大四届二次会议第48号建议');
  });

  it('carries issuer, addressee, date and section path', async () => {
    const answer = await answerQuestion(engine, '进入市青联的澳门青年有几名？', { log: silent });
    const c = answer.citations[0];
    expect(c.quote).toContain('推荐7名澳门青年');
    expect(c).toMatchObject({ letter: CHONGQING, doc: `${CHONGQING}.txt`, issuer: '重庆市人民政府港澳事务办公室', addressees: ['贾瑞委员'], date: '2024-05-27', section: '三、二是' });
    expect(answer.text).toContain('(2024年5月27日)');
  });
});

describe('language and sentences', () => {
  it('detects English, Traditional and Simplified questions', () => {
    expect(detectLanguage('what has Qingdao done with MOX?')).toBe('en');
    expect(detectLanguage('重慶港澳辦對0963號提案嘅答覆講咗渝澳專班喺邊啲領域合作？')).toBe('zh-Hant');
    expect(detectLanguage('重庆和澳门青年交流有哪些安排？')).toBe('zh');
    expect(detectLanguage('效果显著吗')).toBe('zh');
    expect(detectLanguage('MOX是什么')).toBe('zh');
  });

  it('splits a letter into sentences whose spans are exact', () => {
    const letter = engine.letter(CHONGQING)!;
    const spans = splitSentences(letter.text);
    expect(spans.length).toBeGreaterThan(40);
    for (const s of spans) {
      const t = letter.text.slice(s.start, s.end);
      expect(t).toBe(t.trim());
      expect(t).not.toContain('\n');
    }
    expect(spans.map((s) => letter.text.slice(s.start, s.end))).toContain('推进两地青年人文交流合作。');
  });
});

describe('letter listing', () => {
  it('filters by issuer in either script, by year and by proposal number', () => {
    const all = listLetters(engine);
    expect(all.map((r) => r.n)).toEqual(all.map((_, i) => i + 1));
    const cq = listLetters(engine, '重慶 港澳');
    expect(cq.map((r) => r.id)).toContain(CHONGQING);
    expect(cq.every((r) => r.issuer?.includes('港澳'))).toBe(true);
    expect(listLetters(engine, '0963').map((r) => r.id)).toEqual([CHONGQING]);
    expect(listLetters(engine, '2024').map((r) => r.id)).toEqual(expect.arrayContaining([CHONGQING, QINGDAO]));
    expect(renderLetterRows(listLetters(engine, 'no-such-thing'), 'en')).toBe('No letters match.');
  });

  it('describes a letter by number or id with its section tree', () => {
    const n = listLetters(engine).find((r) => r.id === CHONGQING)!.n;
    const d = describeLetter(engine, n)!;
    expect(d.row.id).toBe(CHONGQING);
    expect(describeLetter(engine, CHONGQING)!.row.n).toBe(n);
    expect(d.sections.map((s) => s.heading)).toContain('五、下一步工作计划');
    const text = renderLetterDescription(d, 'zh');
    expect(text).toContain('贾瑞委员');
    expect(text).toContain('五、下一步工作计划');
    expect(describeLetter(engine, 999)).toBeUndefined();
  });
});
