/**
 * The header section: the page's metadata lines kept verbatim at the head of the letter text, with
 * a span for every field, and never cut into passages.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bodyStart, LetterSchema, type Letter } from '../corpus/letter.ts';
import { parseLetterStrict } from '../corpus/parseLetter.ts';
import { cutPassages } from '../corpus/passages.ts';
import { readCorpus } from '../corpus/readCorpus.ts';
import { FIXTURE_LETTERS, SHIPPED_CORPUS } from './support/fixtureLetters.ts';

function parse(text: string): Letter {
  return parseLetterStrict({ file: 'a.txt', id: 'a', format: 'txt', text, frontMatter: {} });
}

function field(letter: Letter, label: string) {
  return letter.header?.fields.find((f) => f.label === label);
}

/** The header contract, on any letter. */
function checkHeader(name: string, letter: Letter, sourceLines: string[]): void {
  const header = letter.header!;
  expect(header, name).toBeDefined();
  const start = bodyStart(letter);
  if (header.end === 0) expect(start, name).toBe(0);
  else expect(letter.text[header.end], name).toBe('\n');
  // Every header line is one stretch of one line of the source.
  for (const line of letter.text.slice(0, header.end).split('\n').filter(Boolean)) {
    expect(sourceLines.some((s) => s.includes(line)), `${name}: ${line}`).toBe(true);
  }
  for (const f of header.fields) {
    expect(f.end, name).toBeLessThanOrEqual(header.end);
    expect(f.start, name).toBeLessThanOrEqual(f.valueStart);
    expect(letter.text.slice(f.valueStart, f.end), name).toBe(f.value);
    expect(letter.text.slice(f.start, f.end), name).toContain(f.value);
  }
  // No passage comes from the header; the letter proper is untouched by it.
  for (const p of cutPassages(letter)) expect(p.start, name).toBeGreaterThanOrEqual(start);
  for (const s of letter.sections) expect(s.start, name).toBeGreaterThanOrEqual(start);
  for (const c of letter.commitments) expect(c.start, name).toBeGreaterThanOrEqual(start);
}

describe('header section on the real letters', () => {
  it('keeps the metadata block as quotable fields and cuts no passage from it', async () => {
    const { docs } = await readCorpus([FIXTURE_LETTERS, SHIPPED_CORPUS]);
    expect(docs.length).toBeGreaterThan(10);
    let withHeader = 0;
    for (const doc of docs) {
      const letter = parseLetterStrict(doc);
      expect(() => LetterSchema.parse(letter)).not.toThrow();
      checkHeader(doc.file, letter, readFileSync(doc.file, 'utf8').split(/\r?\n/));
      if (letter.header!.end > 0) withHeader++;
    }
    expect(withHeader).toBeGreaterThanOrEqual(8);
  });

  it('gives 成文日期, 发布日期, 发文字号 and 索引号 with exact spans (the block printed twice is kept once)', async () => {
    const { docs } = await readCorpus([path.join(FIXTURE_LETTERS, '018_chongqing-wenlv-1153hao-jianyi-diaoyucheng.txt')]);
    const letter = parseLetterStrict(docs[0]);
    expect(field(letter, '成文日期')?.value).toBe('2025-05-13');
    expect(field(letter, '发布日期')?.value).toBe('2025-07-09');
    expect(field(letter, '发文字号')?.value).toBe('渝文旅函字〔2025〕283号');
    expect(field(letter, '索引号')?.value).toBe('11500000MB19069553/2025-00185');
    const written = field(letter, '成文日期')!;
    expect(letter.text.slice(written.start, written.end)).toBe('[ 成文日期 ] | 2025-05-13');
    expect(letter.header!.fields.filter((f) => f.label === '成文日期')).toHaveLength(1);
    expect(letter.text.slice(bodyStart(letter)).startsWith('刘汉席代表:') || letter.text.slice(bodyStart(letter)).includes('刘汉席代表')).toBe(true);
  });

  it('keeps a document number line of its own as 发文字号', async () => {
    const { docs } = await readCorpus([path.join(FIXTURE_LETTERS, '010_gaoping-weijian-71hao-jianyi.txt')]);
    const letter = parseLetterStrict(docs[0]);
    expect(field(letter, '发文字号')?.value).toBe('高卫体发〔2023〕148号');
    expect(letter.docNumber).toBe('高卫体发〔2023〕148号');
  });
});

describe('header section on forms seen on government pages', () => {
  const page = [
    '首页 > 政府信息公开 > 建议提案办理',
    '索引号: | 620000-0012/2018-00431 | 发文机关: | 某某省文化厅 |',
    '成文日期: | 2018-12-14 | 发布日期: | 2018-12-20 |',
    '发文字号: | 某文函〔2018〕212号 | 签 发 人: | 伏瑞峰 |',
    '领导署名:王某某 办理结果:A类',
    '发布时间:2018-12-20 10:00 来源:某某省文化厅 浏览次数: 128 字号:大 中 小 打印',
    '王义代表:',
    '您提出的关于加强文物保护的建议收悉。现答复如下:',
    '一、工作情况',
    '我厅已完成全省文物普查。',
    '某某省文化厅',
    '2018年12月14日',
  ].join('\n');
  const letter = parse(page);

  it('reads every labelled field, spaced labels included, as written', () => {
    const got = Object.fromEntries(letter.header!.fields.map((f) => [f.label, f.value]));
    expect(got).toMatchObject({
      索引号: '620000-0012/2018-00431', 发文机关: '某某省文化厅', 成文日期: '2018-12-14', 发布日期: '2018-12-20',
      发文字号: '某文函〔2018〕212号', 签发人: '伏瑞峰', 领导署名: '王某某', 办理结果: 'A类', 发布时间: '2018-12-20 10:00', 来源: '某某省文化厅',
    });
    const signer = field(letter, '签发人')!;
    expect(letter.text.slice(signer.start, signer.end)).toBe('签 发 人: | 伏瑞峰');
  });

  it('leaves page furniture and the breadcrumb out of the header', () => {
    const head = letter.text.slice(0, letter.header!.end);
    for (const furniture of ['浏览次数', '字号:大', '打印', '首页']) expect(head).not.toContain(furniture);
    expect(letter.header!.fields.map((f) => f.label)).not.toContain('浏览次数');
  });

  it('starts the letter proper at the salutation and keeps its metadata', () => {
    expect(letter.text.slice(bodyStart(letter)).split('\n')[0]).toBe('王义代表:');
    expect(letter.date).toBe('2018-12-14');
    expect(letter.published).toBe('2018-12-20');
    expect(letter.docNumber).toBe('某文函〔2018〕212号');
    expect(letter.indexNumber).toBe('620000-0012/2018-00431');
    expect(letter.sections.map((s) => letter.text.slice(s.start, s.start + s.heading.length))).toEqual(['一、工作情况']);
    const passages = cutPassages(letter);
    expect(passages.map((p) => p.text).join('\n')).not.toContain('索引号');
    expect(passages[0].text.startsWith('王义代表:')).toBe(true);
  });

  it('has an empty header when the page prints no metadata', () => {
    const plain = parse('王义代表:\n您提出的建议收悉。\n某某局\n2024年5月27日');
    expect(plain.header).toEqual({ end: 0, fields: [] });
    expect(bodyStart(plain)).toBe(0);
    expect(plain.text.startsWith('王义代表:')).toBe(true);
  });
});
