/**
 * A complete, junk-free citation line for every letter: a title and an issuer that are clean or
 * explicitly unknown (never page furniture or a breadcrumb), a date wherever the letter or page
 * states one, and a record of where each field was read. Run over the fixture letters, the shipped
 * corpus, and — as a corpus read like any other, when it is present — the dev letters.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Letter, RawDocument } from '../corpus/letter.ts';
import { cleanIssuer } from '../corpus/parse/detectIssuer.ts';
import { cleanTitle } from '../corpus/parse/detectTitle.ts';
import { isFurnitureLine, isJunkName, isSiteFooterLine } from '../corpus/parse/furniture.ts';
import { findDate } from '../corpus/parse/parseDate.ts';
import { searchForm } from '../corpus/parse/searchForm.ts';
import { parseLetterStrict } from '../corpus/parseLetter.ts';
import { readCorpus } from '../corpus/readCorpus.ts';
import { FIXTURE_LETTERS, REPO, SHIPPED_CORPUS } from './support/fixtureLetters.ts';

const DEV_LETTERS = path.join(REPO, '..', 'shared', 'eval', 'dev', 'letters');

/** Words and marks that never belong in a title or an issuer. */
const FURNITURE_WORDS = /首页|当前位置|您的位置|字体|字号|打印|关闭窗口|收藏|分享|下载|编辑[:：]|审核[:：]|来源[:：]|浏览|公文时效|主办单位|承办单位|网站标识码|ICP|地址[:：]|联系电话|上一篇|下一篇|相关链接|退出|换肤|标题[:：]|发布单位|发布时间|索引号|[|>•]/;

function checkCitation(name: string, doc: RawDocument, letter: Letter): void {
  const p = letter.provenance!;
  expect(p, name).toBeDefined();
  // Title: present, clean, and its origin recorded.
  expect(letter.title.trim().length, `${name}: title`).toBeGreaterThan(4);
  expect(FURNITURE_WORDS.test(letter.title), `${name}: junk title 「${letter.title}」`).toBe(false);
  expect(isJunkName(searchForm(letter.title)), `${name}: junk title 「${letter.title}」`).toBe(false);
  expect(p.title?.from, `${name}: title provenance`).toBeDefined();
  // Issuer: a clean body name, or unknown with the reason.
  if (letter.issuer) {
    expect(FURNITURE_WORDS.test(letter.issuer), `${name}: junk issuer 「${letter.issuer}」`).toBe(false);
    expect(letter.issuer.length, `${name}: issuer`).toBeLessThanOrEqual(60);
    expect(['signature', 'title', 'metadata table', 'site owner', 'front matter'], `${name}: issuer provenance`).toContain(p.issuer?.from);
  } else {
    expect(p.issuer?.from, `${name}: issuer provenance`).toBe('unknown');
    expect(p.issuer?.reason, `${name}: why no issuer`).toBeTruthy();
  }
  // Date: wherever a line of the page is a date (the signature's) or a labelled date field, a date is kept.
  const stated = doc.text.split('\n').some((line) => {
    const norm = searchForm(line).trim();
    const found = findDate(norm);
    return found !== null && (norm.length - found.length <= 4 || /(成文|发布|发文|印发)(日期|时间)/.test(norm));
  });
  if (stated) expect(letter.date ?? letter.published, `${name}: a date is stated but none was kept`).not.toBeNull();
  for (const field of ['date', 'published', 'proposal', 'session', 'addressees', 'kind'] as const) {
    expect(p[field]?.from, `${name}: ${field} provenance`).toBeDefined();
    if (p[field]?.from === 'unknown') expect(p[field]?.reason, `${name}: why no ${field}`).toBeTruthy();
  }
}

async function checkCorpus(dir: string, atLeast: number): Promise<void> {
  const { docs } = await readCorpus([dir]);
  expect(docs.length).toBeGreaterThanOrEqual(atLeast);
  for (const doc of docs) checkCitation(path.basename(doc.file), doc, parseLetterStrict(doc));
}

describe('a clean citation line for every letter', () => {
  it('fixture letters and the shipped corpus', async () => {
    await checkCorpus(FIXTURE_LETTERS, 14);
    await checkCorpus(SHIPPED_CORPUS, 2);
  });

  it.skipIf(!existsSync(DEV_LETTERS))('the dev letters, read as a corpus (skipped where ../shared is absent)', async () => {
    await checkCorpus(DEV_LETTERS, 27);
  });
});

describe('furniture never becomes a title or an issuer (forms seen on government pages)', () => {
  it('cleans titles down to the title proper, or drops them', () => {
    expect(cleanTitle('首页 > 政府信息公开 > 建议提案办理')).toBeNull();
    expect(cleanTitle('•答复内容•建议内容对区人大第30号代表建议的答复')).toBe('对区人大第30号代表建议的答复');
    expect(cleanTitle('退出帮助换肤对县政协第5号提案的答复')).toBe('对县政协第5号提案的答复');
    expect(cleanTitle('标题: | 关于县政协第94号提案的答复')).toBe('关于县政协第94号提案的答复');
    expect(cleanTitle('- 2023-06-16 - 发布单位: -')).toBeNull();
    expect(cleanTitle('某某县文物局关于第12号提案的答复 公文时效: 长期公开')).toBe('某某县文物局关于第12号提案的答复');
    expect(cleanTitle('重庆市人民政府港澳事务办公室关于市政协六届二次会议第0963号提案的复函')).toBe('重庆市人民政府港澳事务办公室关于市政协六届二次会议第0963号提案的复函');
  });

  it('cleans issuers down to a body name, or drops them', () => {
    expect(cleanIssuer('省文物局 公文时效: 长期公开')).toBe('省文物局');
    expect(cleanIssuer('编辑:某某市商务局 审核: 系统管理员')).toBeNull();
    expect(cleanIssuer('- 2023-06-16 - 发布单位: -')).toBeNull();
    expect(cleanIssuer('安居区')).toBeNull();
    expect(cleanIssuer('興隆臺區城市管理行政執法局')).toBe('興隆臺區城市管理行政執法局');
  });

  it('takes the title from the metadata table, and the issuer from it or the site, saying where', () => {
    const page = [
      '首页 > 政府信息公开 > 建议提案',
      '标题: | 关于县政协十届二次会议第94号提案的答复 |',
      '发布机构: | 某某县文化旅游局 | 公文时效: | 长期公开 |',
      '张三委员:',
      '您提出的关于加强文物保护的提案收悉。现答复如下:',
      '我局已完成全县文物普查。',
    ].join('\n');
    const letter = parseLetterStrict({ file: 'a.txt', id: 'a', format: 'txt', text: page, frontMatter: {} });
    expect(letter.title).toBe('关于县政协十届二次会议第94号提案的答复');
    expect(letter.provenance?.title?.from).toBe('metadata table');
    expect(letter.issuer).toBe('某某县文化旅游局');
    expect(letter.provenance?.issuer?.from).toBe('metadata table');

    const bare = parseLetterStrict({
      file: 'b.txt', id: 'b', format: 'txt', frontMatter: {},
      text: ['李四代表:', '您提出的关于修缮村道的建议收悉。我县已安排资金。', '主办单位：某某县人民政府 承办单位：某某县大数据中心', '地址：某某县人民路1号 联系电话：0412-1234567'].join('\n'),
    });
    expect(bare.issuer).toBe('某某县人民政府');
    expect(bare.provenance?.issuer?.from).toBe('site owner');
    expect(bare.title).toBe('某某县人民政府关于《关于修缮村道的建议》的复函');
    expect(bare.provenance?.title?.from).toBe('composed');
    expect(bare.text).not.toContain('0412-1234567');
  });

  it('recognises furniture lines and site footers by their words', () => {
    for (const line of ['下载Word 下载PDF', '退出 帮助 换肤', '【字体：大 中 小】【打印本页】【关闭窗口】', '编辑：办公室 审核：管理员 浏览次数：321', '上一篇：关于做好防汛工作的通知', '分享到：微信 微博']) {
      expect(isFurnitureLine(searchForm(line)), line).toBe(true);
    }
    for (const line of ['我局将帮助企业退出落后产能。', '打印机采购已完成', '主办单位:县教育局']) expect(isFurnitureLine(searchForm(line)), line).toBe(false);
    for (const line of ['主办单位：某某市人民政府办公室 承办单位：某某市大数据中心', '地址：某某市中山路1号 联系电话：0412-1234567', '网站标识码：2103000001']) {
      expect(isSiteFooterLine(searchForm(line)), line).toBe(true);
    }
    for (const line of ['主办单位:县教育局', '联系人:王尚 联系电话:0532-85270905', '承办单位: (公章) 承办负责人: (签字)']) expect(isSiteFooterLine(searchForm(line)), line).toBe(false);
  });
});
