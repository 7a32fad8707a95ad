/**
 * Passages and spans on every real letter (fixtures and founding letters): exact slices, whole
 * sentences, sensible lengths, full coverage of the prose, and no page noise in the text.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Letter, Passage } from '../corpus/letter.ts';
import { bodyStart, PassageSchema } from '../corpus/letter.ts';
import { parseLetter, parseLetterStrict } from '../corpus/parseLetter.ts';
import { cutPassages } from '../corpus/passages.ts';
import { readLetterFile } from '../corpus/read/readLetterFile.ts';

const ROOT = path.join(import.meta.dirname, '..');
const DIRS = [path.join(ROOT, 'tests', 'fixtures', 'letters'), path.join(ROOT, 'corpus', 'letters')];
const FILES = DIRS.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.txt')).map((f) => ({ dir: d, name: f })));

const SENTENCE_END = /[。！？；!?;]/;

interface Parsed {
  name: string;
  letter: Letter;
  passages: Passage[];
}
const parsed: Parsed[] = [];

beforeAll(async () => {
  for (const { dir, name } of FILES) {
    const read = await readLetterFile(path.join(dir, name), { root: dir });
    if (!read.ok) throw new Error(`${name}: ${read.reason}`);
    const letter = parseLetterStrict(read.doc);
    parsed.push({ name, letter, passages: cutPassages(letter) });
  }
});

/** Offsets of the heading-only lines (a section heading that is a whole line). */
function headingLineSpans(letter: Letter): { start: number; end: number }[] {
  return letter.sections
    .filter((s) => letter.text.slice(s.start).split('\n')[0] === s.heading && !/[。！？；;]$/.test(s.heading))
    .map((s) => ({ start: s.start, end: s.start + s.heading.length }));
}

describe('passages of the real letters', () => {
  it('reads all letters', () => {
    expect(parsed.length).toBe(FILES.length);
    expect(parsed.length).toBeGreaterThanOrEqual(16);
  });

  it('every passage is exactly letter.text.slice(start, end), trimmed, with a unique id', () => {
    for (const { name, letter, passages } of parsed) {
      const ids = new Set<string>();
      passages.forEach((p, n) => {
        expect(() => PassageSchema.parse(p)).not.toThrow();
        expect(p.text, name).toBe(letter.text.slice(p.start, p.end));
        expect(p.text.trim(), name).toBe(p.text);
        expect(p.text.length, name).toBeGreaterThan(0);
        expect(p.id).toBe(`${letter.id}#${n}`);
        expect(p.letter).toBe(letter.id);
        ids.add(p.id);
      });
      expect(ids.size).toBe(passages.length);
      // In order, not overlapping.
      for (let i = 1; i < passages.length; i++) expect(passages[i].start, name).toBeGreaterThanOrEqual(passages[i - 1].end);
    }
  });

  it('never splits a sentence: a passage ends at a sentence end or a line end', () => {
    for (const { name, letter, passages } of parsed) {
      for (const p of passages) {
        const next = letter.text[p.end];
        const endsSentence = SENTENCE_END.test(p.text.replace(/[”’」』）)】》]+$/, '').slice(-1));
        expect(endsSentence || next === undefined || next === '\n', `${name} #${p.id}: …${p.text.slice(-20)}`).toBe(true);
        const prev = letter.text[p.start - 1];
        const prevText = letter.text.slice(0, p.start).trimEnd();
        expect(prev === undefined || prev === '\n' || SENTENCE_END.test(prevText.replace(/[”’」』）)】》]+$/, '').slice(-1)), `${name} #${p.id} starts mid-sentence`).toBe(true);
      }
    }
  });

  it('keeps passage lengths mostly within 20–450 characters', () => {
    const all = parsed.flatMap((p) => p.passages);
    const longOnes = all.filter((p) => p.text.length > 450);
    // Only a single sentence may run over the limit (never split inside a sentence).
    for (const p of longOnes) expect(p.text.includes('。') ? p.text.indexOf('。') : p.text.length).toBeGreaterThanOrEqual(p.text.length - 2);
    const inRange = all.filter((p) => p.text.length >= 20 && p.text.length <= 450).length;
    expect(inRange / all.length).toBeGreaterThan(0.85);
  });

  it('covers every non-heading character of the text', () => {
    for (const { name, letter, passages } of parsed) {
      const covered = new Uint8Array(letter.text.length);
      for (const p of passages) covered.fill(1, p.start, p.end);
      for (const h of headingLineSpans(letter)) covered.fill(1, h.start, h.end);
      // The header section (metadata lines) is never cut into passages.
      covered.fill(1, 0, bodyStart(letter));
      const missing: string[] = [];
      for (let i = 0; i < letter.text.length; i++) if (!covered[i] && !/\s/.test(letter.text[i])) missing.push(letter.text[i]);
      expect(missing.join(''), name).toBe('');
    }
  });

  it('puts the salutation, the signature date and the contact in some passage', () => {
    for (const { name, letter, passages } of parsed) {
      const first = letter.text.slice(bodyStart(letter)).split('\n')[0];
      expect(passages.some((p) => p.text.includes(first)), name).toBe(true);
      if (letter.contact) expect(passages.some((p) => p.text.includes(letter.contact!.slice(0, 8))), name).toBe(true);
    }
    const cq = parsed.find((p) => p.name === 'chongqing-gangao-0963.txt')!;
    expect(cq.passages.some((p) => p.text.includes('2024年5月27日'))).toBe(true);
  });

  it('has valid spans for sections and commitments, and headings that name the section chain', () => {
    for (const { name, letter, passages } of parsed) {
      for (const s of letter.sections) {
        expect(s.start, name).toBeLessThan(s.end);
        expect(s.end, name).toBeLessThanOrEqual(letter.text.length);
        expect(letter.text.slice(s.start, s.start + s.heading.length), name).toBe(s.heading);
      }
      for (const c of letter.commitments) {
        expect(letter.text.slice(c.start, c.end), name).toBe(c.text);
      }
      for (const p of passages) {
        if (p.section === '') continue;
        const sec = letter.sections.find((s) => s.path === p.section && s.start <= p.start && p.end <= s.end);
        expect(sec, `${name} ${p.id} in ${p.section}`).toBeDefined();
        expect(p.headings[p.headings.length - 1]).toBe(sec!.heading);
      }
    }
  });

  it('keeps page noise out of the text, and metadata lines out of the letter proper', () => {
    for (const { name, letter } of parsed) {
      const body = letter.text.slice(bodyStart(letter));
      for (const noise of ['索引号', '发布时间']) expect(body.includes(noise), `${name}: ${noise}`).toBe(false);
      for (const noise of ['扫一扫在手机打开当前页', '微博 微信', '友情链接', '您当前的位置', '当前位置', 'ICP', '浏览次数']) {
        expect(letter.text.includes(noise), `${name}: ${noise}`).toBe(false);
      }
    }
  });

  it('cuts every passage from one stretch of the source page (whitespace aside: Ctrl-F finds it)', async () => {
    const { readFile } = await import('node:fs/promises');
    const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
    for (const { dir, name } of FILES) {
      const source = squash((await readFile(path.join(dir, name), 'utf8')).replace(/^---\n[\s\S]*?\n---\n/, ''));
      const { letter, passages } = parsed.find((p) => p.name === name)!;
      for (const p of passages) expect(source.includes(squash(p.text)), `${name} ${p.id}: ${p.text.slice(0, 40)}`).toBe(true);
      for (const c of letter.commitments) expect(source.includes(squash(c.text)), `${name} commitment: ${c.text.slice(0, 40)}`).toBe(true);
    }
  });

  it('never joins two lines across a page line that was dropped', () => {
    const text = ['王义代表:', '您提出的建议收悉。现答复如下:', '一是已完成道路改造。', '关闭窗口', '二是将继续推进。', '下载Word 下载PDF', '某某局', '2024年5月27日'].join('\n');
    const letter = parseLetterStrict({ file: 'a.txt', id: 'a', format: 'txt', text, frontMatter: {} });
    expect(letter.text).not.toContain('关闭窗口');
    expect(letter.text).not.toContain('下载Word');
    expect(letter.breaks?.length).toBe(2);
    const squashed = text.replace(/\s+/g, ' ');
    for (const p of cutPassages(letter)) expect(squashed.includes(p.text.replace(/\s+/g, ' ')), p.text).toBe(true);
  });

  it('respects custom length options', () => {
    const cq = parsed.find((p) => p.name === 'chongqing-gangao-0963.txt')!;
    const small = cutPassages(cq.letter, { min: 40, target: 80, max: 120 });
    expect(small.length).toBeGreaterThan(cq.passages.length);
    for (const p of small) expect(p.text).toBe(cq.letter.text.slice(p.start, p.end));
  });
});

/** Runs `fuhan inspect` with these arguments; its exit code and what it printed, line by line. */
async function inspect(args: string[]): Promise<{ code: number; out: string[] }> {
  const { run } = await import('../bot/commands/inspect.ts');
  const { vi } = await import('vitest');
  const out: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: unknown) => void out.push(String(line)));
  try {
    return { code: await run(args), out };
  } finally {
    log.mockRestore();
  }
}

describe('fuhan inspect --json', () => {
  it('prints one object per file with the letter and its passages, and one per skipped file', async () => {
    const { code, out } = await inspect([path.join(ROOT, 'corpus', 'letters'), path.join(ROOT, 'no-such-letter.txt'), '--json']);
    // A path that does not exist is reported and makes the exit code 1 (issue #17), the rest is still printed.
    expect(code).toBe(1);
    const rows = out.map((l) => JSON.parse(l) as Record<string, unknown>);
    const letters = rows.filter((r) => 'letter' in r);
    expect(letters).toHaveLength(2);
    for (const row of letters) {
      const letter = row.letter as Letter;
      expect(Object.keys(row).sort()).toEqual(['file', 'letter', 'passages']);
      const passages = row.passages as { section: string; start: number; end: number; text: string }[];
      for (const p of passages) {
        expect(Object.keys(p).sort()).toEqual(['end', 'section', 'start', 'text']);
        expect(letter.text.slice(p.start, p.end)).toBe(p.text);
      }
      expect(Object.keys(letter.sections[0]).sort()).toEqual(['end', 'heading', 'level', 'path', 'start']);
    }
    expect(rows.find((r) => 'skipped' in r)).toMatchObject({ file: expect.stringContaining('no-such-letter.txt') });
  });
});

describe('fuhan inspect', () => {
  it('shows per field where it was read, and the header fields with their spans', async () => {
    const { code, out } = await inspect([path.join(ROOT, 'tests', 'fixtures', 'letters', '018_chongqing-wenlv-1153hao-jianyi-diaoyucheng.txt')]);
    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text).toMatch(/title {7}重庆市文化和旅游发展委员会关于.*← title/);
    expect(text).toMatch(/issuer {6}重庆市文化和旅游发展委员会 {3}← title/);
    expect(text).toMatch(/date {8}2025-05-13 {3}← metadata table/);
    expect(text).toMatch(/\[\d+–\d+\] 成文日期 {2}2025-05-13/);
  });
});

describe('letter lines that merely mention page-chrome words stay in the text', () => {
  it('keeps 无障碍 / ICP / 扫一扫 / 时间: lines that belong to the letter', () => {
    const text = [
      '您当前的位置: 首页>建议提案',
      '王义代表:',
      '您提出的建议收悉。现答复如下:',
      '一、无障碍设施建设',
      '无障碍设施建设已纳入城市更新计划',
      '二、关于ICP许可管理',
      '扫一扫二维码即可查询办理进度',
      '时间:2024年6月至12月',
      '某某局',
      '2024年5月27日',
      '扫一扫在手机打开当前页',
      '版权所有 某某市人民政府 ICP备12345号',
    ].join('\n');
    const letter = parseLetterStrict({ file: 'a.txt', id: 'a', format: 'txt', text, frontMatter: {} });
    for (const kept of ['一、无障碍设施建设', '无障碍设施建设已纳入城市更新计划', '二、关于ICP许可管理', '扫一扫二维码即可查询办理进度', '时间:2024年6月至12月']) {
      expect(letter.text).toContain(kept);
    }
    expect(letter.text).not.toContain('扫一扫在手机打开当前页');
    expect(letter.text).not.toContain('版权所有');
    expect(letter.text).not.toContain('您当前的位置');
    expect(letter.date).toBe('2024-05-27');
    expect(letter.issuer).toBe('某某局');
  });
});
