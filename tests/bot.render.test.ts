import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Answer, Citation } from '../bot/answerTypes.ts';
import { decodeCallback, encodeCallback } from '../bot/telegram/callbackData.ts';
import { escapeHtml, renderAnswerBlocks, renderLetterBlocks, truncateText } from '../bot/telegram/renderHtml.ts';
import { safeBoundary, splitHtml, splitMessage, TELEGRAM_MESSAGE_LIMIT } from '../bot/telegram/splitMessage.ts';
import type { LetterRef } from '../index/searchTypes.ts';
import type { Letter } from '../corpus/letter.ts';
import { visibleText } from './support/visibleText.ts';

const ALLOWED_TAGS = new Set(['b', 'i', 'u', 's', 'code', 'pre', 'a', 'blockquote', 'tg-spoiler']);

/** Checks a message is Telegram HTML we can send: known tags, balanced, entities only where meant. */
function assertValidTelegramHtml(html: string): void {
  const stack: string[] = [];
  for (const m of html.matchAll(/<(\/?)([a-z-]+)([^<>]*)>|&([#a-z0-9]+);|[<>&]/gi)) {
    if (m[0] === '<' || m[0] === '>' || m[0] === '&') throw new Error(`raw ${m[0]} in ${JSON.stringify(html.slice(Math.max(0, m.index! - 20), m.index! + 20))}`);
    if (m[4] !== undefined) {
      expect(['amp', 'lt', 'gt', 'quot']).toContain(m[4]);
      continue;
    }
    const name = m[2]!.toLowerCase();
    expect(ALLOWED_TAGS.has(name), `tag <${name}>`).toBe(true);
    if (m[1] === '/') expect(stack.pop(), `closing </${name}>`).toBe(name);
    else stack.push(name);
  }
  expect(stack, 'tags left open').toEqual([]);
  // No half of a surrogate pair anywhere (in particular at the cut ends).
  expect(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(html)).toBe(false);
}

const LETTERS_DIR = path.resolve(__dirname, '../corpus/letters');
const qingdaoText = readFileSync(path.join(LETTERS_DIR, 'qingdao-shanghe-mox.txt'), 'utf8');
const MOX_SENTENCE = '上合示范区管委会与中华(澳门)金融资产交易股份有限公司(以下简称“MOX”)签订了全面合作框架协议';

const ref: LetterRef = {
  id: 'qingdao-shanghe-mox',
  doc: 'qingdao-shanghe-mox.txt',
  title: '关于推进上合示范区与澳门联动发展的建议的答复 <b>&',
  issuer: '青岛市人民政府',
  date: '2024-06-28',
  proposal: null,
  source: 'https://www.qingdao.gov.cn/a?b=1&c=2',
};

function citation(n: number, quote: string): Citation {
  const start = Math.max(0, qingdaoText.indexOf(quote));
  return {
    n,
    letter: ref.id,
    doc: ref.doc,
    quote,
    start,
    end: start + quote.length,
    issuer: ref.issuer,
    title: ref.title,
    proposal: null,
    addressees: ['陈捷'],
    date: ref.date,
    section: '一、',
    headings: [],
    source: ref.source,
    passageId: `${ref.id}#${n}`,
  };
}

function answerOf(question: string, citations: Citation[]): Answer {
  return {
    question,
    lang: 'en',
    mode: 'quotes',
    refused: false,
    citations,
    groups: [{ letter: ref, citations: citations.map((c) => c.n) }],
    nearest: [ref],
    text: '',
  };
}

const HOSTILE = [
  '<script>alert("x")</script>',
  '<b>unclosed <i>tags</b></a>',
  '&amp; &lt; & &#x3c; &nbsp',
  '👨‍👩‍👧‍👦🇨🇳🇲🇴1️⃣👍🏽',
  'zero\u200bwidth\u200c\u200d\ufeffchars',
  '\ud800lone surrogate\udc00',
  'a\u0000b\u0007c',
];

describe('escapeHtml', () => {
  it('escapes & < > " and nothing else', () => {
    expect(escapeHtml('<script>alert("x")</script> & co')).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co');
    expect(escapeHtml(MOX_SENTENCE)).toBe(MOX_SENTENCE);
  });

  it('repairs lone surrogates and drops control characters', () => {
    expect(escapeHtml('\ud800x\udc00')).toBe('\ufffdx\ufffd');
    expect(escapeHtml('a\u0000b\u0007c\n')).toBe('abc\n');
    expect(escapeHtml('😀')).toBe('😀');
  });
});

describe('renderAnswerBlocks', () => {
  it('renders a real quote verbatim with its citation line, escaping letter and user text', () => {
    const answer = answerOf('what has Qingdao done with MOX? <script>', [citation(1, MOX_SENTENCE)]);
    const messages = splitMessage(renderAnswerBlocks(answer));
    expect(messages).toHaveLength(1);
    const html = messages[0]!;
    assertValidTelegramHtml(html);
    expect(html).toContain(`<blockquote>${MOX_SENTENCE}</blockquote>`);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('<b>[1]</b> 青岛市人民政府 · 28 Jun 2024 · 一、');
    expect(html).toContain('<a href="https://www.qingdao.gov.cn/a?b=1&amp;c=2">');
    expect(html).toContain('建议的答复 &lt;b&gt;&amp;');
    expect(html).not.toContain('<script>');
  });

  it('keeps every message valid and under 4096 for hostile 10,000-character questions and quotes', () => {
    for (const hostile of HOSTILE) {
      const question = hostile.repeat(Math.ceil(10_000 / hostile.length));
      const quotes = Array.from({ length: 12 }, (_, i) => citation(i + 1, `${hostile} ${qingdaoText.slice(i * 300, i * 300 + 900)}`));
      const messages = splitMessage(renderAnswerBlocks(answerOf(question, quotes)));
      expect(messages.length).toBeGreaterThan(1);
      for (const m of messages) {
        expect(m.length).toBeLessThanOrEqual(TELEGRAM_MESSAGE_LIMIT);
        assertValidTelegramHtml(m);
      }
      // The echoed question is shortened; quotes are complete.
      expect(messages[0]!.length).toBeLessThan(4096);
      const all = messages.join('\n');
      for (const c of quotes) expect(all).toContain(escapeHtml(c.quote.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')));
    }
  });

  it('never separates a quote from its citation line when blocks fit', () => {
    const quotes = Array.from({ length: 20 }, (_, i) => citation(i + 1, qingdaoText.slice(i * 200, i * 200 + 700)));
    const messages = splitMessage(renderAnswerBlocks(answerOf('q', quotes)));
    expect(messages.length).toBeGreaterThan(2);
    for (const m of messages) {
      const opened = (m.match(/<blockquote>/g) ?? []).length;
      const cited = (m.match(/<b>\[\d+\]<\/b>/g) ?? []).length;
      expect(cited).toBe(opened);
    }
  });

  it('links only web sources', () => {
    const evil = { ...ref, source: 'javascript:alert(1)' };
    const html = renderAnswerBlocks({ ...answerOf('q', [citation(1, MOX_SENTENCE)]), groups: [{ letter: evil, citations: [1] }] }).join('\n');
    expect(html).not.toContain('href="javascript');
  });

  it('renders a refusal with the nearest letters', () => {
    const refusal: Answer = { ...answerOf('火星基地建设进展如何？', []), lang: 'zh', refused: true, mode: 'refusal' };
    const [html] = splitMessage(renderAnswerBlocks(refusal));
    assertValidTelegramHtml(html!);
    expect(html).toContain('没有找到能回答这个问题的复函');
    expect(html).toContain('青岛市人民政府');
  });
});

describe('splitHtml', () => {
  it('closes and re-opens tags across a cut inside one long block', () => {
    const block = `<b>${'上合示范区'.repeat(1000)}</b><blockquote expandable>${escapeHtml(qingdaoText)}</blockquote>`;
    const chunks = splitHtml(block, 4096);
    expect(chunks.length).toBeGreaterThan(2);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(4096);
      assertValidTelegramHtml(c);
    }
    expect(chunks[1]!.startsWith('<b>') || chunks[1]!.startsWith('<blockquote expandable>')).toBe(true);
    expect(visibleText(chunks.join('')).replace(/\s/g, '')).toBe(visibleText(block).replace(/\s/g, ''));
  });

  it('prefers sentence ends to mid-sentence cuts', () => {
    const chunks = splitHtml(escapeHtml(qingdaoText), 1000);
    for (const c of chunks.slice(0, -1)) expect(c).toMatch(/[。！？；\n”]$/);
  });

  it('never cuts surrogate pairs, ZWJ sequences or flags, even in one unbroken run', () => {
    const family = '👨‍👩‍👧‍👦';
    for (const text of ['😀'.repeat(5000), family.repeat(800), '🇨🇳🇲🇴'.repeat(1200), `a${'1️⃣'.repeat(2000)}`]) {
      const chunks = splitHtml(escapeHtml(text), 4096);
      expect(chunks.length).toBeGreaterThan(1);
      expect(chunks.join('')).toBe(text);
      for (const c of chunks) {
        expect(c.length).toBeLessThanOrEqual(4096);
        assertValidTelegramHtml(c);
      }
    }
    const families = splitHtml(family.repeat(800), 4096);
    for (const c of families) expect(c.length % family.length).toBe(0);
  });

  it('never cuts inside an entity', () => {
    const chunks = splitHtml(escapeHtml('<&>"'.repeat(3000)), 500);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(500);
      assertValidTelegramHtml(c);
    }
    expect(visibleText(chunks.join(''))).toBe('<&>"'.repeat(3000));
  });

  it('repairs unbalanced markup instead of sending it', () => {
    const chunks = splitHtml('<b>open <i>nested</b> stray</i></u> & < end', 4096);
    expect(chunks).toHaveLength(1);
    assertValidTelegramHtml(chunks[0]!);
  });

  it('holds for arbitrary text, tags and limits (property)', () => {
    const piece = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.constantFrom(...HOSTILE, '。', '\n', ' ', '上合示范区', '👍🏽'),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), fc.integer({ min: 60, max: 600 }), (pieces, limit) => {
        const text = pieces.join('');
        const html = `<b>${escapeHtml(text)}</b> <blockquote>${escapeHtml(text)}</blockquote>`;
        const chunks = splitHtml(html, limit);
        for (const c of chunks) {
          expect(c.length).toBeLessThanOrEqual(limit);
          assertValidTelegramHtml(c);
        }
        expect(visibleText(chunks.join('')).replace(/\s/g, '')).toBe(visibleText(html).replace(/\s/g, ''));
      }),
      { numRuns: 300 },
    );
  });
});

describe('small pieces', () => {
  it('safeBoundary and truncateText keep emoji whole', () => {
    expect(safeBoundary('a😀b', 2)).toBe(1);
    expect(truncateText('😀😀😀😀', 4)).toBe('😀…');
    expect(truncateText(MOX_SENTENCE, 8)).toBe('上合示范区管委…');
  });

  it('callback data round-trips, stays under 64 bytes and rejects anything else', () => {
    const data = encodeCallback({ action: 'm', answer: 'zz1234567890', n: 9999 });
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    expect(decodeCallback(data)).toEqual({ action: 'm', answer: 'zz1234567890', n: 9999 });
    for (const bad of [undefined, '', 'x:1:1', 'm:k3:0', 'm:k3:-1', 'm:K3:1', '<script>', 'm:k3:1:extra', 'p:'.padEnd(80, 'a')]) {
      expect(decodeCallback(bad)).toBeNull();
    }
  });

  it('renders a whole real letter in paragraphs under the limit', () => {
    const letter = { id: ref.id, text: qingdaoText } as Letter;
    const messages = splitMessage(renderLetterBlocks(letter, ref, 'zh'));
    for (const m of messages) {
      expect(m.length).toBeLessThanOrEqual(4096);
      assertValidTelegramHtml(m);
    }
    expect(visibleText(messages.join('\n')).replace(/\s/g, '')).toContain(MOX_SENTENCE);
  });
});
