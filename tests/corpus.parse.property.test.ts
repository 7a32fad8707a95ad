/**
 * Hostile input: random CJK, punctuation and heading markers, huge lines, only newlines, 100k
 * characters. parseLetter and cutPassages must not throw or hang, and every span must be valid.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LetterSchema, type RawDocument } from '../corpus/letter.ts';
import { parseLetter, parseLetterStrict } from '../corpus/parseLetter.ts';
import { cutPassages } from '../corpus/passages.ts';

const PIECES = [
  '一、', '二、', '三、', '(一)', '（二）', '1.', '2、', '(1)', '一是', '二是', '三是', '①', '。', '，', '；', '！', '？', '.', ';',
  '\n', '\n\n', ' ', '\u3000', '：', ':', '“', '”', '《', '》', '(', ')', '以下简称“', '下一步', '我局将继续', '计划',
  '委员:', '代表:', '尊敬的', '第0963号', '提案', '建议', '2024年5月27日', '二〇一七年三月五日', '2023518', '58.781',
  '[ 索引号 ] |', '扫一扫在手机打开当前页', '版权所有', '關(guān)于', '联系人:', '\r\n', '\ud83d\ude00', '\ud800',
];
const cjk = fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCharCode(c));
const token = fc.oneof(fc.constantFrom(...PIECES), cjk, fc.string({ maxLength: 4 }));
const hostileText = fc.array(token, { maxLength: 400 }).map((t) => t.join(''));

function doc(text: string): RawDocument {
  return { file: 'x.txt', id: 'x', format: 'txt', text, frontMatter: {} };
}

function checkAll(text: string): void {
  const letter = parseLetterStrict(doc(text));
  expect(() => LetterSchema.parse(letter)).not.toThrow();
  for (const s of letter.sections) {
    expect(s.start).toBeLessThanOrEqual(s.end);
    expect(s.end).toBeLessThanOrEqual(letter.text.length);
  }
  for (const c of letter.commitments) expect(letter.text.slice(c.start, c.end)).toBe(c.text);
  const passages = cutPassages(letter);
  let last = 0;
  for (const p of passages) {
    expect(p.start).toBeGreaterThanOrEqual(last);
    expect(p.end).toBeGreaterThan(p.start);
    expect(p.text).toBe(letter.text.slice(p.start, p.end));
    last = p.end;
  }
  const small = cutPassages(letter, { min: 1, target: 5, max: 10 });
  for (const p of small) expect(p.text).toBe(letter.text.slice(p.start, p.end));
}

describe('parseLetter and cutPassages on hostile input', () => {
  it('random CJK, punctuation and heading markers', () => {
    fc.assert(fc.property(hostileText, (text) => checkAll(text)), { numRuns: 300 });
  });

  it('arbitrary unicode strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 500 }), (text) => checkAll(text)), { numRuns: 200 });
  });

  it('degenerate pages: empty, only newlines, only whitespace, only markers', () => {
    for (const text of ['', '\n', '\n\n\n\n', '   \n\t\n\u3000', '一、\n二、\n三、', '一是二是三是', '。。。。', '委员:', '(一)\n(二)']) checkAll(text);
  });

  it('a 100k-character line with no sentence end, and 100k of sentences, in bounded time', () => {
    const t0 = Date.now();
    checkAll('关'.repeat(100_000));
    checkAll('王义代表:\n' + '我局将继续推进工作，加强交流。'.repeat(7_000));
    checkAll(('一是加强合作。二是' + '推进'.repeat(50) + '。\n').repeat(500));
    const letter = parseLetterStrict(doc('关'.repeat(100_000)));
    const passages = cutPassages(letter);
    expect(Math.max(...passages.map((p) => p.text.length))).toBeLessThanOrEqual(800);
    expect(Date.now() - t0).toBeLessThan(20_000);
  });
});
