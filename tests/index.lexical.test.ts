import { beforeAll, describe, expect, it } from 'vitest';
import { SearchEngine } from '../index/searchEngine.ts';
import { documentTerms } from '../index/lexical/documentTerms.ts';
import { englishKey } from '../index/lexical/englishWords.ts';
import { LexicalIndex } from '../index/lexical/lexicalIndex.ts';
import { normalizeForMatch } from '../index/lexical/normalizeForMatch.ts';
import { buildPinyinTable, namesForPinyin } from '../index/lexical/pinyinNames.ts';
import { cutPassages } from '../corpus/passages.ts';
import { FIXTURE_LETTERS, parsedLetters } from './support/fixtureLetters.ts';

let engine: SearchEngine;

beforeAll(async () => {
  engine = await SearchEngine.fromLetters(await parsedLetters(FIXTURE_LETTERS));
});

/** Letter files of the top hits. */
async function topDocs(question: string, k = 3): Promise<string[]> {
  return (await engine.search(question, { k })).hits.map((h) => h.letter.doc);
}

describe('normalisation', () => {
  it('folds Traditional to Simplified, full width to half width, and drops inline pinyin', () => {
    expect(normalizeForMatch('關(guān)于加強(qiáng)早市車輛停放管理')).toBe('关于加强早市车辆停放管理');
    expect(normalizeForMatch('ＭＯＸ澳交所（以下简称）')).toBe('mox澳交所(以下简称)');
  });

  it('keeps real parentheses', () => {
    expect(normalizeForMatch('中华(澳门)金融')).toBe('中华(澳门)金融');
  });
});

describe('BM25 over words and bigrams', () => {
  it('finds a word inside a longer segmented word (农业 in 中国农业发展银行)', () => {
    const docs = ['中国农业发展银行提供贷款支持', '城市道路交通管理'].map(documentTerms);
    const index = LexicalIndex.fromDocuments(docs);
    const terms = documentTerms('农业');
    const hits = index.search([...terms.words.map((w) => ({ term: 'w:' + w, weight: 1 })), ...terms.bigrams.map((b) => ({ term: 'b:' + b, weight: 0.6 }))], 5);
    expect(hits[0]?.doc).toBe(0);
  });

  it('keeps documents on incremental change without re-tokenising', () => {
    const index = LexicalIndex.fromDocuments(['澳门青年交流', '农村公路建设'].map(documentTerms));
    const next = index.withChanges(Uint8Array.of(0, 1), [documentTerms('校车接送学生')]);
    expect(next.size).toBe(2);
    expect(next.search([{ term: 'w:校车', weight: 1 }], 1)[0].doc).toBe(1);
    expect(next.search([{ term: 'w:公路', weight: 1 }], 1)[0].doc).toBe(0);
    expect(next.df('w:澳门')).toBe(0);
  });
});

describe('incremental postings', () => {
  it('dropping and adding documents gives the postings a build from scratch gives', async () => {
    const letters = await parsedLetters(FIXTURE_LETTERS);
    const texts = letters.flatMap((l) => cutPassages(l).map((p) => p.text));
    const docs = texts.map(documentTerms);
    // Drop every third passage and a run in the middle; add changed versions of some passages.
    const keep = Uint8Array.from(texts, (_, i) => (i % 3 === 0 || (i > 40 && i < 60) ? 0 : 1));
    const added = texts.slice(0, 12).map((t) => documentTerms(`${t}并已列入年度重点工作。`));
    const incremental = LexicalIndex.fromDocuments(docs).withChanges(keep, added).toData();
    const scratch = LexicalIndex.fromDocuments([...docs.filter((_, i) => keep[i]), ...added]).toData();
    expect([...incremental.wordLengths]).toEqual([...scratch.wordLengths]);
    expect([...incremental.bigramLengths]).toEqual([...scratch.bigramLengths]);
    const postings = (d: typeof scratch, term: string) => {
      const t = d.vocab.indexOf(term);
      if (t < 0) return { docs: [], tfs: [] };
      const [from, to] = [d.postingOffsets[t], d.postingOffsets[t + 1]];
      return { docs: [...d.postingDocs.subarray(from, to)], tfs: [...d.postingTfs.subarray(from, to)] };
    };
    // Same postings for every term; terms only the dropped documents had keep an empty list.
    for (const term of new Set([...incremental.vocab, ...scratch.vocab])) expect(postings(incremental, term), term).toEqual(postings(scratch, term));
    expect(incremental.postingDocs.length).toBe(scratch.postingDocs.length);
  });
});

describe('cross-lingual query analysis', () => {
  it('folds English spellings and inflections to one key', () => {
    expect(englishKey('kilometres')).toBe(englishKey('kilometer'));
    expect(englishKey('Macau')).toBe(englishKey('Macao'));
  });

  it('reads pinyin names back to the characters a corpus uses', () => {
    const table = buildPinyinTable('沙坪坝区凤鸣水岸小区青岛市'.split(''));
    const bigrams = new Set(['沙坪', '坪坝', '凤鸣', '鸣水', '水岸', '青岛']);
    const count = (p: string) => (bigrams.has(p) ? 1 : 0);
    expect(namesForPinyin('Shapingba', table, count)).toContain('沙坪坝');
    expect(namesForPinyin('qingdao', table, count)).toEqual(['青岛']);
    expect(namesForPinyin('shuian', table, count)).toContain('水岸');
    expect(namesForPinyin('hello', table, count)).toEqual([]);
  });

  it('translates English questions into the Chinese words of the letters', () => {
    const display = engine.analyze('How many school buses will Jinchuan county run?').display.map((t) => t.text);
    expect(display).toContain('校车');
  });

  it('expands aliases the letters define, both ways', () => {
    const display = engine.analyze('MOX签了什么协议').display.map((t) => t.text);
    expect(display.some((t) => t.includes('金融资产') || t.includes('中华'))).toBe(true);
  });
});

describe('matching letters by names, numbers and scripts', () => {
  it('matches place names written in pinyin', async () => {
    expect((await topDocs('What did Qingdao agree with MOX?'))[0]).toMatch(/qingdao/);
    expect((await topDocs('bus service Shapingba Fengming Shuian estate'))[0]).toMatch(/shapingba/);
  });

  it('matches proposal numbers exactly, however written', async () => {
    expect((await topDocs('第0963号提案'))[0]).toMatch(/0963/);
    expect((await topDocs('reply to proposal 963'))[0]).toMatch(/0963/);
    expect((await topDocs('D022号提案的答复'))[0]).toMatch(/D022/);
    expect((await topDocs('suggestion DH0271'))[0]).toMatch(/DH0271/);
  });

  it('treats Traditional and Simplified questions alike', async () => {
    const simplified = await topDocs('兴隆台区早市车辆停放管理');
    const traditional = await topDocs('興隆臺區早市車輛停放管理');
    expect(simplified[0]).toMatch(/xinglongtai/);
    expect(traditional).toEqual(simplified);
  });
});
