/**
 * The site owner (主办单位 in the footer, 欢迎来到… in the header) kept as letter metadata: county
 * pages often name their county nowhere else.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LetterSchema } from '../corpus/letter.ts';
import { parseLetter } from '../corpus/parseLetter.ts';
import { cleanPage } from '../corpus/parse/cleanPage.ts';
import { siteOwner } from '../corpus/parse/siteOwner.ts';
import { readLetterFile } from '../corpus/read/readLetterFile.ts';
import { FIXTURE_LETTERS } from './support/fixtureLetters.ts';

async function parsedFixture(name: string) {
  const r = await readLetterFile(path.join(FIXTURE_LETTERS, name), { root: FIXTURE_LETTERS });
  if (!r.ok) throw new Error(r.reason);
  return parseLetter(r.doc);
}

describe('site owner on real pages', () => {
  it('reads the footer sponsor, as the page writes it, and keeps it out of the letter text', async () => {
    const letter = await parsedFixture('024_panshan-19hao-jianyi-xuexiao-yongdu.txt');
    expect(letter.site).toBe('盤山縣人民政府');
    expect(letter.text).not.toContain('主辦單位');
    expect(LetterSchema.parse(letter).site).toBe('盤山縣人民政府');
  });

  it('is null when the page has no site footer or header', async () => {
    expect((await parsedFixture('000a_chongqing-gangao-0963hao-tian.txt')).site).toBeNull();
    expect((await parsedFixture('022_xinbin-jiaoyu-27hao-tian-qunuanfei.txt')).site).toBeNull();
  });
});

describe('site owner on forms seen on scraped pages', () => {
  const owner = (page: string) => siteOwner(cleanPage(page).lines);

  it('prefers the sponsor to the copyright holder, and takes the holder when alone', () => {
    expect(owner('王义代表:\n您的建议收悉。\n主办单位:盘山县人民政府 版权所有:盘锦市人民政府办公室 网站地图')).toBe('盘山县人民政府');
    expect(owner('王义代表:\n您的建议收悉。\n版权所有:新宾满族自治县人民政府 ICP备12345678号')).toBe('新宾满族自治县人民政府');
  });

  it('reads a welcome header', () => {
    expect(owner('欢迎来到平川县人民政府门户网站\n尊敬的张娟委员:\n您提出的提案已收悉。')).toBe('平川县人民政府');
  });

  it('does not take the handling body named inside the letter for the site', () => {
    // 主办单位: inside the letter (before any footer) names who handled the proposal.
    expect(owner('陈兰委员:\n您的建议收悉,现答复如下。\n主办单位:县教育局\n会办单位:县交通运输局')).toBeNull();
  });

  it('ignores sponsors that name no body', () => {
    expect(owner('王义代表:\n您的建议收悉。\n主办:张三 版权所有 ICP备1号')).toBeNull();
  });

  it('leaves letters without a page around them alone', () => {
    const letter = parseLetter({ file: 'a.txt', id: 'a', format: 'txt', text: '王义代表:\n您的建议收悉。', frontMatter: {} });
    expect(letter.site).toBeNull();
  });
});
