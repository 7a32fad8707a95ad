import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadResult } from '../corpus/letter.ts';
import { decodeText } from '../corpus/read/decodeText.ts';
import { htmlToText } from '../corpus/read/htmlToText.ts';
import { readLetterFile } from '../corpus/read/readLetterFile.ts';

let temp: string;
let counter = 0;
beforeAll(async () => {
  temp = await mkdtemp(path.join(tmpdir(), 'fuhan-read-prop-'));
});
afterAll(async () => {
  await rm(temp, { recursive: true, force: true });
});

const EXTENSIONS = ['.txt', '.md', '.html', '.htm', '.pdf', '.docx', '.TXT', '.xyz', ''];

/** Write bytes under a fresh name and read them back through the public entry point. */
async function readBytes(bytes: Uint8Array | string, extension: string): Promise<ReadResult> {
  const file = path.join(temp, `f${counter++}${extension}`);
  await writeFile(file, bytes);
  return readLetterFile(file, { minCjkChars: 1 });
}

/** The contract every result must keep, whatever the input. */
function checkResult(result: ReadResult): void {
  if (result.ok) {
    expect(typeof result.doc.text).toBe('string');
    expect(result.doc.text).not.toContain('\u0000');
    expect(result.doc.text.trim()).not.toBe('');
    expect(result.doc.id.length).toBeGreaterThan(0);
  } else {
    expect(result.reason.length).toBeGreaterThan(0);
    expect(result.reason).not.toContain('\n');
  }
}

const han = fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((code) => String.fromCharCode(code));
const chineseText = fc.array(fc.oneof(han, han, han, fc.constantFrom(',', '。', '\n', ' ', '、', '(', ')', '1', 'A', '\r\n')), { maxLength: 300 }).map((parts) => parts.join(''));

/** Hostile HTML: deep nesting, unclosed tags, huge attributes, stray entities and scripts. */
const hostileHtml = fc.oneof(
  fc.integer({ min: 1, max: 3000 }).map((depth) => `${'<div>'.repeat(depth)}关于第1号提案的答复${'</div>'.repeat(Math.floor(depth / 2))}`),
  fc.integer({ min: 1, max: 200_000 }).map((depth) => `${'<span><b>'.repeat(depth)}复函${'<i>x</i>'.repeat(depth)}`),
  fc.integer({ min: 1, max: 100_000 }).map((size) => '<a'.repeat(size)),
  fc.integer({ min: 1, max: 2000 }).map((depth) => `<table>${'<tr><td><table>'.repeat(depth)}索引号 | 发文字号`),
  fc.integer({ min: 1, max: 200_000 }).map((size) => `<p title="${'x'.repeat(size)}">张委员:</p><p class="${'nav '.repeat(size / 50)}">菜单</p>`),
  fc.array(fc.constantFrom('<p>', '</p>', '<br>', '<td>', '<tr>', '<script>', '</script>', '<!--', '-->', '&nbsp;', '&#x4E2D;', '&amp', '<a href=x>', '</a>', '<nav>', '<', '>', '"', '复函', '委员', '\u0000'), { maxLength: 400 }).map((parts) => parts.join('')),
  fc.string({ maxLength: 500 }),
);

describe('readLetterFile never throws and keeps its contract', () => {
  it('random bytes under any extension', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), fc.constantFrom(...EXTENSIONS), async (bytes, extension) => {
        checkResult(await readBytes(bytes, extension));
      }),
      { numRuns: 150 },
    );
  });

  it('random Chinese text in any encoding round-trips when read', async () => {
    const encodings = ['utf8', 'gb18030', 'utf16le-bom', 'utf8-bom'] as const;
    // Without a byte-order mark, a handful of bytes is genuinely ambiguous (GB18030 "一" is two bytes that
    // are also valid Cyrillic); letters are hundreds of characters, so the property is stated for texts
    // with at least a sentence of Chinese in them.
    const sentenceOrMore = fc
      .tuple(fc.array(han, { minLength: 12, maxLength: 120 }), chineseText)
      .map(([sentence, rest]) => sentence.join('') + rest);
    await fc.assert(
      fc.asyncProperty(sentenceOrMore, fc.constantFrom(...encodings), async (text, encoding) => {
        const bytes =
          encoding === 'utf16le-bom' ? Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf16le')])
          : encoding === 'utf8-bom' ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])
          : iconv.encode(text, encoding);
        const result = await readBytes(bytes, '.txt');
        checkResult(result);
        const expected = text.replace(/\r\n?/g, '\n').replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n').replace(/^\n+|\n+$/g, '');
        if (expected.trim() === '') expect(result.ok).toBe(false);
        else if (result.ok) expect(result.doc.text).toBe(expected);
        else throw new Error(`skipped: ${result.reason}`);
      }),
      { numRuns: 150 },
    );
  });

  it('random strings as .txt/.md/.html, including fake front matter', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 400 }), fc.string({ maxLength: 200 }).map((s) => `---\n${s}\n---\n正文`), chineseText),
        fc.constantFrom('.txt', '.md', '.html'),
        async (text, extension) => {
          checkResult(await readBytes(text, extension));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('hostile HTML finishes quickly', async () => {
    await fc.assert(
      fc.asyncProperty(hostileHtml, async (html) => {
        const started = Date.now();
        checkResult(await readBytes(html, '.html'));
        expect(Date.now() - started).toBeLessThan(10_000); // generous: the machine may be busy; a hang takes minutes
      }),
      { numRuns: 40 },
    );
  });

  it('random file names (unicode, spaces, dots, no extension) give a stable non-empty id', async () => {
    const name = fc.string({ minLength: 1, maxLength: 30 }).map((s) => s.replace(/[/\\\u0000]/g, '_')).filter((s) => s !== '.' && s !== '..');
    await fc.assert(
      fc.asyncProperty(name, fc.constantFrom(...EXTENSIONS), async (base, extension) => {
        const file = path.join(temp, `${base}${extension}`);
        try {
          await writeFile(file, '关于第1号提案的答复\n');
        } catch {
          return; // names the file system refuses (too long in bytes…) are not the reader's concern
        }
        const result = await readLetterFile(file, { root: temp });
        checkResult(result);
        if (result.ok) expect(result.doc.id).not.toMatch(/\\/);
      }),
      { numRuns: 100 },
    );
  });
});

describe('decoders are total', () => {
  it('decodeText and htmlToText never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1024 }), fc.option(fc.constantFrom('gbk', 'big5', 'utf-8', 'bogus', 'shift_jis')), (bytes, hint) => {
        const result = decodeText(bytes, hint ?? undefined);
        if (result.ok) expect(typeof result.text).toBe('string');
        const page = htmlToText(Buffer.from(bytes).toString('latin1'));
        if (page.ok) expect(page.text).not.toContain('\u0000');
      }),
      { numRuns: 200 },
    );
  });
});
