import { chmod, mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawDocument, ReadResult } from '../corpus/letter.ts';
import { readCorpus } from '../corpus/readCorpus.ts';
import { decodeText } from '../corpus/read/decodeText.ts';
import { letterIdFromPath, readLetterFile } from '../corpus/read/readLetterFile.ts';

const here = path.dirname(new URL(import.meta.url).pathname);
const formats = path.join(here, 'fixtures', 'formats');
const letters = path.join(here, 'fixtures', 'letters');
const fixture = (name: string): string => path.join(formats, name);

/** Body lines of a real letter fixture (front matter removed, blank lines dropped). */
async function letterLines(name: string): Promise<string[]> {
  const raw = (await readFile(path.join(letters, name), 'utf8')).replace(/^---\n[\s\S]*?\n---\n/, '');
  return raw.split('\n').map((line) => line.trim()).filter(Boolean);
}

function expectDoc(result: ReadResult): RawDocument {
  if (!result.ok) throw new Error(`expected a document, got: skipped ${result.file}: ${result.reason}`);
  return result.doc;
}

function expectSkipped(result: ReadResult): string {
  if (result.ok) throw new Error(`expected a skip, got document ${result.doc.id}`);
  expect(result.reason).not.toMatch(/\n/);
  return result.reason;
}

let temp: string;
beforeAll(async () => {
  temp = await mkdtemp(path.join(tmpdir(), 'fuhan-read-'));
});
afterAll(async () => {
  await rm(temp, { recursive: true, force: true });
});

describe('letterIdFromPath', () => {
  it('is the path relative to the root without extension, / separated', () => {
    expect(letterIdFromPath('/data/corpus/chongqing-gangao-0963.txt', '/data/corpus')).toBe('chongqing-gangao-0963');
    expect(letterIdFromPath('/data/corpus/cq/2024/0963.html', '/data/corpus')).toBe('cq/2024/0963');
    expect(letterIdFromPath('corpus/letters/qingdao-shanghe-mox.txt')).toBe('qingdao-shanghe-mox');
    expect(letterIdFromPath('a/b.c.txt')).toBe('b.c');
  });
  it('falls back to the basename for files outside the root', () => {
    expect(letterIdFromPath('/elsewhere/x.txt', '/data/corpus')).toBe('x');
  });
});

describe('readLetterFile: text files', () => {
  it('reads every real letter fixture, front matter split off and parsed', async () => {
    const { readdir } = await import('node:fs/promises');
    for (const name of (await readdir(letters)).sort()) {
      const raw = await readFile(path.join(letters, name), 'utf8');
      const doc = expectDoc(await readLetterFile(path.join(letters, name), { root: letters }));
      expect(doc.id).toBe(name.replace(/\.txt$/, ''));
      expect(doc.format).toBe('txt');
      expect(doc.encoding).toBe('UTF-8');
      expect(doc.text.startsWith('---')).toBe(false);
      const source = /^---\nsource: (.*)\n---\n/.exec(raw)?.[1];
      expect(doc.frontMatter.source).toBe(source);
      // Wording untouched: every non-blank line of the body is a line of the text.
      const lines = new Set(doc.text.split('\n'));
      for (const line of raw.replace(/^---\n[\s\S]*?\n---\n/, '').split('\n')) {
        if (line.trim()) expect(lines.has(line.replace(/[ \t\u00a0\u3000]+$/, ''))).toBe(true);
      }
    }
  });

  it('keeps front matter scalars as written (0963 stays a string) and validates them', async () => {
    const file = path.join(temp, 'fm.txt');
    await writeFile(file, '---\nsource: https://example.gov.cn/a.html\nproposal: 0963\ndate: 2024-07-24\nextra: yes\n---\n关于第0963号提案的复函\n');
    const doc = expectDoc(await readLetterFile(file));
    expect(doc.frontMatter).toEqual({ source: 'https://example.gov.cn/a.html', proposal: '0963', date: '2024-07-24', extra: 'yes' });
    expect(doc.text).toBe('关于第0963号提案的复函');

    const bad = path.join(temp, 'fm-bad.txt');
    await writeFile(bad, '---\nsource: [unclosed\n---\n正文\n');
    expect(expectSkipped(await readLetterFile(bad))).toMatch(/^invalid front matter: /);
    const list = path.join(temp, 'fm-list.txt');
    await writeFile(list, '---\ntitle:\n  - a\n  - b\n---\n正文\n');
    expect(expectSkipped(await readLetterFile(list))).toMatch(/^invalid front matter: title/);
  });

  it('reads Markdown: front matter, heading markers removed', async () => {
    const doc = expectDoc(await readLetterFile(fixture('gaoping-71.md')));
    expect(doc.format).toBe('md');
    expect(doc.frontMatter).toMatchObject({ proposal: '71', issuer: '高平市卫生健康和体育局' });
    expect(doc.text.split('\n')[0]).toBe('高平市卫生健康和体育局关于对市七届人大五次会议第71号建议的');
    expect(doc.text).toContain('您好!您所提的“关于改善神农卫生院就医环境的建议”已收悉,我局高度重视,召开会议专题讨论研究,并确定专人负责答复落实。现答复如下:');
  });
});

describe('readLetterFile: encodings', () => {
  const variants: [string, string][] = [
    ['hengyang-268.gb18030.txt', 'GB18030'],
    ['hengyang-268.utf8-bom.txt', 'UTF-8'],
    ['hengyang-268.utf16le-bom.txt', 'UTF-16LE'],
    ['hengyang-268.utf16be-bom.txt', 'UTF-16BE'],
  ];
  it.each(variants)('%s decodes to the same text as the UTF-8 letter (%s)', async (name, encoding) => {
    const reference = expectDoc(await readLetterFile(path.join(letters, '011_hengyang-gongan-268hao-tian.txt')));
    const doc = expectDoc(await readLetterFile(fixture(name)));
    expect(doc.encoding).toBe(encoding);
    expect(doc.text).toBe(reference.text);
    expect(doc.frontMatter).toEqual(reference.frontMatter);
    expect(doc.text).not.toContain('\uFEFF');
  });

  it('detects GBK for every real letter, long or short, and prefers valid UTF-8', async () => {
    const { readdir } = await import('node:fs/promises');
    for (const name of await readdir(letters)) {
      const text = await readFile(path.join(letters, name), 'utf8');
      const lines = text.split('\n').filter((line) => /[\u4e00-\u9fff]{4}/.test(line));
      for (const sample of [text, lines[0]!, lines[lines.length - 1]!]) {
        // GB18030 encodes GBK characters with GBK's bytes and also covers the odd U+00A0 in scraped text.
        const gbk = decodeText(iconv.encode(sample, 'gb18030'));
        expect(gbk).toEqual({ ok: true, text: sample, encoding: 'GB18030' });
        expect(decodeText(Buffer.from(sample, 'utf8'))).toEqual({ ok: true, text: sample, encoding: 'UTF-8' });
      }
    }
  });

  it('detects Big5 for traditional-script letters', async () => {
    const { readdir } = await import('node:fs/promises');
    const { Converter } = await import('opencc-js');
    const toTraditional = Converter({ from: 'cn', to: 'tw' });
    for (const name of await readdir(letters)) {
      const traditional = toTraditional((await readFile(path.join(letters, name), 'utf8')).replace(/\u00a0/g, ' '));
      const lines = traditional.split('\n').filter((line: string) => /[\u4e00-\u9fff]{6}/.test(line));
      for (const sample of [traditional, lines[0]!]) {
        const bytes = iconv.encode(sample, 'big5');
        expect(decodeText(bytes)).toEqual({ ok: true, text: iconv.decode(bytes, 'big5'), encoding: 'Big5' });
      }
    }
  });

  it('reads BOM-less UTF-16 and reports undecodable bytes', () => {
    const sample = '关于第12号提案的答复\n张委员:\n';
    expect(decodeText(iconv.encode(sample, 'utf16le'))).toEqual({ ok: true, text: sample, encoding: 'UTF-16LE' });
    // Lead bytes with no valid trail byte in any CJK encoding.
    const garbage = Buffer.from(Array.from({ length: 64 }, (_, i) => (i % 2 ? 0x20 : 0xff)));
    expect(decodeText(garbage)).toEqual({ ok: false, reason: 'undecodable encoding' });
  });
});

describe('readLetterFile: HTML', () => {
  it('extracts the letter from a government page and drops the chrome', async () => {
    const doc = expectDoc(await readLetterFile(fixture('chongqing-0726.html')));
    expect(doc.format).toBe('html');
    expect(doc.encoding).toBe('UTF-8');
    expect(doc.containerTitle).toBe('重庆市人民政府港澳事务办公室关于市政协六届三次会议第0726号提案的复函');
    const lines = doc.text.split('\n');
    for (const line of (await letterLines('005_chongqing-gangao-0726hao-tian.txt')).slice(4)) expect(lines).toContain(line);
    // Metadata table rows survive as `cell | cell` lines for the parser.
    const source = await letterLines('005_chongqing-gangao-0726hao-tian.txt');
    expect(lines.slice(0, 4)).toEqual([source[0], source[1], '[ 发布机构 ] | | | |', source[3]]);
    expect(lines[0]).toBe('[ 索引号 ] | 11500000MB1670436T/2025-00013 | [ 发文字号 ] | |');
    for (const noise of ['脚本中的中文', '动态写入', '样式表', '首页', '机构职能', '您当前的位置', '政府信息公开指南', '分享到', '微博',
      '打印本页', '关闭窗口', '相关链接', 'ICP', '主办单位', '请输入关键字', '无障碍', '中国政府网', '_建议提案公开栏']) {
      expect(doc.text).not.toContain(noise);
    }
    expect(lines[4]).toBe('重庆市人民政府港澳事务办公室关于市政协六届三次会议第0726号提案的复函');
  });

  it('decodes a GBK table-layout page, <br> and &nbsp; indents becoming clean lines', async () => {
    const doc = expectDoc(await readLetterFile(fixture('miluo-12.gbk.html')));
    expect(doc.encoding).toBe('GB18030');
    expect(doc.containerTitle).toBe('关于汨罗市政协十一届二次会议 第12号提案的答复');
    const lines = doc.text.split('\n');
    const expected = (await letterLines('012_miluo-jiaojing-12hao-tian.txt')).filter((line) => !line.startsWith('来源'));
    for (const line of expected) expect(lines).toContain(line.replace(/\s+/g, ' '));
    for (const noise of ['网站首页', '当前位置', '打印', '关闭', 'ICP', '版权所有', '技术支持', 'doZoom', '字号']) expect(doc.text).not.toContain(noise);
  });

  it('refuses hostile nesting fast instead of parsing for minutes', async () => {
    const file = path.join(temp, 'deep.html');
    await writeFile(file, `${'<div>'.repeat(100_000)}关于第1号提案的答复`);
    const started = Date.now();
    expect(expectSkipped(await readLetterFile(file))).toBe('unreadable HTML (nested about 100000 levels deep)');
    expect(Date.now() - started).toBeLessThan(10_000); // parsing it would take minutes
  });

  it('reads a page whose tag carries a million attributes in linear time (parse5 hung on it)', async () => {
    // parse5 checks each attribute against the ones before it: 40,000 took 2.9 s, 1M never finished.
    const file = path.join(temp, 'attributes.html');
    const attributes = Array.from({ length: 1_000_000 }, (_, i) => `a${i}="x"`).join(' ');
    await writeFile(file, `<html><body><div ${attributes}><p>王义代表:</p><p>${'您提出的建议收悉，现答复如下。'.repeat(8)}</p></div></body></html>`);
    const started = Date.now();
    const doc = expectDoc(await readLetterFile(file));
    expect(Date.now() - started).toBeLessThan(30_000); // ~1.5 s here under load; a quadratic parser takes hours
    expect(doc.text.split('\n')[0]).toBe('王义代表:');
  });

  it('drops a footer inside the article column by structure (<footer>, id="footer", class="bottom"), keeps a signature box', async () => {
    const prose = `<p>王义代表:</p><p>${'您提出的关于加快道路改造的建议收悉，现答复如下。我局已完成改造。'.repeat(4)}</p>`;
    for (const footer of ['<footer>欢迎您提出宝贵意见 某某市某某路某号</footer>', '<div id="footer">欢迎您提出宝贵意见 某某市某某路某号</div>', '<div class="bottom">欢迎您提出宝贵意见 某某市某某路某号</div>']) {
      const file = path.join(temp, 'footer-inside.html');
      await writeFile(file, `<html><body><div class="col"><h1>关于第1号建议的答复</h1><div class="text">${prose}</div><div class="sign-bottom">某某局<br>2024年5月27日</div>${footer}</div></body></html>`);
      const doc = expectDoc(await readLetterFile(file));
      expect(doc.text).not.toContain('欢迎您提出宝贵意见');
      expect(doc.text).toContain('某某局\n2024年5月27日');
    }
  });

  it('skips a page that has navigation but no letter', async () => {
    expect(expectSkipped(await readLetterFile(fixture('nav-only.html')))).toMatch(/^no letter text in page/);
  });
});

describe('readLetterFile: PDF and DOCX', () => {
  it('reads a PDF text layer, re-joining wrapped paragraph lines verbatim', async () => {
    const doc = expectDoc(await readLetterFile(fixture('anju-48.pdf')));
    expect(doc.format).toBe('pdf');
    expect(doc.containerTitle).toBe('遂宁市安居区交通运输局关于区人大四届二次会议第48号建议的复函');
    const lines = doc.text.split('\n');
    expect(lines[0]).toBe('遂宁市安居区交通运输局关于区人大四届二次会议第48号建议的复函');
    const body = (await letterLines('003_anju-jiaotong-48hao-jianyi.txt')).slice(4);
    for (const paragraph of body) expect(lines).toContain(paragraph);
  });

  it('skips a PDF with no text layer', async () => {
    expect(expectSkipped(await readLetterFile(fixture('no-text-layer.pdf')))).toBe('no text layer (scanned PDF?)');
  });

  it('reads a DOCX, one paragraph per line, title from its properties', async () => {
    const doc = expectDoc(await readLetterFile(fixture('hunan-1342.docx')));
    expect(doc.format).toBe('docx');
    expect(doc.containerTitle).toBe('湖南省文化和旅游厅对省十三届人大四次会议第1342号建议的会办意见');
    const lines = doc.text.split('\n');
    const source = await letterLines('009_hunan-wenlv-1342hao-jianyi-huiban.txt');
    for (const line of source.slice(4, source.indexOf('友情链接') - 2)) expect(lines).toContain(line);
    expect(doc.text).not.toMatch(/\n\n/);
  });
});

describe('readLetterFile: bad input gives a one-line reason, never a throw', () => {
  it('names each problem', async () => {
    expect(expectSkipped(await readLetterFile(fixture('empty.txt')))).toBe('empty file');
    expect(expectSkipped(await readLetterFile(fixture('binary.txt')))).toBe('binary file');
    expect(expectSkipped(await readLetterFile(fixture('unknown.xyz')))).toBe('unknown extension .xyz');
    expect(expectSkipped(await readLetterFile(path.join(temp, 'missing.txt')))).toBe('unreadable file (ENOENT)');
    const dir = path.join(temp, 'folder.txt');
    await mkdir(dir, { recursive: true });
    expect(expectSkipped(await readLetterFile(dir))).toBe('unreadable file (is a directory)');
    expect(expectSkipped(await readLetterFile(fixture('chongqing-0726.html'), { maxBytes: 1024 }))).toMatch(/^file too large \(.* MB > 0 MB limit\)$/);
    expect(expectSkipped(await readLetterFile('letter.doc'))).toBe('unsupported format: old Word .doc (save as .docx)');
    const blank = path.join(temp, 'blank.txt');
    await writeFile(blank, ' \n\t\r\n\u3000\n');
    expect(expectSkipped(await readLetterFile(blank))).toBe('empty file (no text)');
    const notPdf = path.join(temp, 'fake.pdf');
    await writeFile(notPdf, '关于第1号提案的答复');
    expect(expectSkipped(await readLetterFile(notPdf))).toMatch(/^unreadable PDF \(/);
    const notDocx = path.join(temp, 'fake.docx');
    await writeFile(notDocx, '关于第1号提案的答复');
    expect(expectSkipped(await readLetterFile(notDocx))).toBe('unreadable DOCX (not a zip archive)');
  });

  it.skipIf(process.getuid?.() === 0)('reports a file without read permission', async () => {
    const locked = path.join(temp, 'locked.txt');
    await writeFile(locked, '关于第1号提案的答复');
    await chmod(locked, 0o000);
    expect(expectSkipped(await readLetterFile(locked))).toBe('unreadable file (EACCES)');
  });
});

describe('readCorpus', () => {
  it('reads a directory: good documents in path order, bad files skipped with reasons, generators ignored', async () => {
    const { docs, skipped } = await readCorpus(formats);
    expect(docs.map((doc) => doc.id)).toEqual([
      'anju-48', 'chongqing-0726', 'gaoping-71', 'hengyang-268.gb18030', 'hengyang-268.utf16be-bom',
      'hengyang-268.utf16le-bom', 'hengyang-268.utf8-bom', 'hunan-1342', 'miluo-12.gbk',
    ]);
    expect(skipped.map((s) => [path.basename(s.file), s.reason.replace(/ \(.*/, '')])).toEqual([
      ['binary.txt', 'binary file'],
      ['empty.txt', 'empty file'],
      ['nav-only.html', 'no letter text in page'],
      ['no-text-layer.pdf', 'no text layer'],
      ['unknown.xyz', 'unknown extension .xyz'],
    ]);
  });

  it('walks recursively, skips dotfiles/node_modules/README, makes ids unique, reads overlapping inputs once', async () => {
    const root = path.join(temp, 'corpus');
    await mkdir(path.join(root, 'cq', 'node_modules'), { recursive: true });
    await mkdir(path.join(root, '.git'), { recursive: true });
    const letter = await readFile(path.join(letters, '011_hengyang-gongan-268hao-tian.txt'));
    await writeFile(path.join(root, 'cq', '0963.txt'), letter);
    await writeFile(path.join(root, 'cq', '0963.md'), letter);
    await writeFile(path.join(root, 'cq', 'node_modules', 'x.txt'), letter);
    await writeFile(path.join(root, '.git', 'y.txt'), letter);
    await writeFile(path.join(root, '.hidden.txt'), letter);
    await writeFile(path.join(root, 'README.md'), '# 本目录说明\n');
    await writeFile(path.join(root, 'questions.jsonl'), '{}\n');
    await writeFile(path.join(root, 'a.doc'), 'x');
    const { docs, skipped } = await readCorpus([root, path.join(root, 'cq', '0963.txt'), path.join(temp, 'nope')]);
    expect(docs.map((doc) => [doc.id, path.basename(doc.file)])).toEqual([['cq/0963', '0963.md'], ['cq/0963~2', '0963.txt']]);
    expect(skipped).toEqual([
      { file: path.join(root, 'a.doc'), reason: 'unsupported format: old Word .doc (save as .docx)' },
      { file: path.join(temp, 'nope'), reason: 'unreadable file (ENOENT)' },
    ]);
    const again = await readCorpus([root], { concurrency: 1 });
    expect(again.docs.map((doc) => doc.id)).toEqual(['cq/0963', 'cq/0963~2']);
  });
});
