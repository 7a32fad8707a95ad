/**
 * Sections, aliases and commitments of the two founding letters (corpus/letters/).
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bodyStart, type Letter } from '../corpus/letter.ts';
import { parseLetter, parseLetterStrict } from '../corpus/parseLetter.ts';
import { readLetterFile } from '../corpus/read/readLetterFile.ts';

const DIR = path.join(import.meta.dirname, '..', 'corpus', 'letters');

async function load(name: string): Promise<Letter> {
  const read = await readLetterFile(path.join(DIR, name), { root: DIR });
  if (!read.ok) throw new Error(read.reason);
  return parseLetterStrict(read.doc);
}

function commitmentStarting(letter: Letter, prefix: string) {
  return letter.commitments.find((c) => c.text.startsWith(prefix));
}

describe('Chongqing 0963 (chongqing-gangao-0963.txt)', () => {
  let letter: Letter;
  beforeAll(async () => {
    letter = await load('chongqing-gangao-0963.txt');
  });

  it('has the five top-level sections with their 一是… items', () => {
    const top = letter.sections.filter((s) => s.level === 1);
    expect(top.map((s) => s.path)).toEqual(['一、', '二、', '三、', '四、', '五、']);
    expect(top[4].heading).toBe('五、下一步工作计划');
    expect(letter.sections.filter((s) => s.path.startsWith('五、') && s.level === 4).map((s) => s.path)).toEqual([
      '五、一是', '五、二是', '五、三是', '五、四是',
    ]);
    expect(letter.sections.filter((s) => s.path.startsWith('三、') && s.level === 4)).toHaveLength(4);
    for (const s of letter.sections) expect(letter.text.slice(s.start, s.start + s.heading.length)).toBe(s.heading);
  });

  it('lists all four 下一步工作计划 items as whole commitments', () => {
    const items = [
      ['一是继续发挥渝澳合作平台作用', '引入更多优质项目和合作机会。'],
      ['二是进一步加强渝澳青年交流工作', '文化传承等方面的双向交流。'],
      ['三是稳步推进两地青年人才协同发展', '吸引更多优秀澳门人才来渝创业发展。'],
      ['四是积极推动渝澳多元产业合作', '助力渝港澳多元产业交流。'],
    ] as const;
    for (const [head, tail] of items) {
      const c = commitmentStarting(letter, head);
      expect(c, head).toBeDefined();
      expect(c!.section.startsWith('五、')).toBe(true);
      expect(c!.text.includes(tail) || c!.text.endsWith(tail)).toBe(true);
      expect(letter.text.slice(c!.start, c!.end)).toBe(c!.text);
    }
    // The whole item, including the 25th-anniversary exhibition promised inside 二是.
    expect(commitmentStarting(letter, '二是进一步加强渝澳青年交流工作')!.text).toContain('举办庆祝澳门回归祖国25周年暨第二届渝澳青年书法展');
  });

  it('does not take past work (三是实施引才计划) for a plan', () => {
    expect(letter.commitments.filter((c) => c.section.startsWith('三、'))).toEqual([]);
  });

  it('keeps the signature and date in the text, and drops page noise', () => {
    expect(letter.text).toContain('重庆市人民政府港澳事务办公室\n2024年5月27日');
    for (const noise of ['扫一扫在手机打开当前页', '微博', '您当前的位置', '无障碍']) expect(letter.text).not.toContain(noise);
    // The metadata block heads the text as the header section; the letter proper starts at the salutation.
    expect(letter.text.slice(0, letter.header!.end)).toContain('[ 索引号 ] 11500000MB1670436T/2024-00024');
    expect(letter.text.slice(bodyStart(letter)).startsWith('贾瑞委员:')).toBe(true);
    expect(letter.text.slice(bodyStart(letter))).not.toContain('索引号');
  });
});

describe('Qingdao MOX (qingdao-shanghe-mox.txt)', () => {
  let letter: Letter;
  beforeAll(async () => {
    letter = await load('qingdao-shanghe-mox.txt');
  });

  it('defines MOX', () => {
    expect(letter.aliases).toContainEqual({ short: 'MOX', full: '中华(澳门)金融资产交易股份有限公司' });
  });

  it('has the 一、/(一)/(二) tree with 一是… items', () => {
    const paths = letter.sections.map((s) => s.path);
    for (const p of ['一、', '一、(一)', '一、(二)', '二、', '二、(一)', '三、', '三、(一)', '三、(二)', '三、(二)一是', '三、(二)四是']) {
      expect(paths).toContain(p);
    }
    const plan = letter.sections.find((s) => s.path === '一、(二)')!;
    expect(plan.heading).toBe('(二)下步工作计划');
    expect(plan.level).toBe(2);
    const outer = letter.sections.find((s) => s.path === '一、')!;
    expect(plan.start).toBeGreaterThanOrEqual(outer.start);
    expect(plan.end).toBeLessThanOrEqual(outer.end);
  });

  it('finds the 下步工作计划 commitments', () => {
    const want: [string, string][] = [
      ['上合示范区计划与MOX澳交所合作设立国际资产交易服务平台', '一、(二)'],
      ['今后学院将继续', '三、(二)'],
      ['一是加强与澳门商务、教育等部门对接', '三、(二)一是'],
      ['二是积极开展“引进来”“走出去”商务研学培训活动', '三、(二)二是'],
      ['三是探索多种形式的人才联合培养机制', '三、(二)三是'],
      ['四是持续完善学院体制机制建设', '三、(二)四是'],
    ];
    for (const [prefix, section] of want) {
      const c = commitmentStarting(letter, prefix);
      expect(c, prefix).toBeDefined();
      expect(c!.section).toBe(section);
      expect(letter.text.slice(c!.start, c!.end)).toBe(c!.text);
    }
    // An item is whole: it runs up to the next item.
    expect(commitmentStarting(letter, '一是加强与澳门商务')!.text).toBe(
      '一是加强与澳门商务、教育等部门对接。加深对澳门教育培训资源的了解，统筹师资等培训力量，探索共同面向上合组织国家开展培训项目。'.replace(/，/g, ','),
    );
  });

  it('finds plans stated outside plan sections (后期…将全力推动…)', () => {
    expect(commitmentStarting(letter, '后期,上合示范区将全力推动')).toBeDefined();
    // A past agreement is not a commitment.
    expect(commitmentStarting(letter, '2023年12月')).toBeUndefined();
  });

  it('keeps the contact line quotable', () => {
    expect(letter.text.endsWith('(联系人:王尚,电话:0532—85270905)')).toBe(true);
    expect(letter.contact).toBe('联系人:王尚,电话:0532—85270905');
  });
});
