/**
 * The web pages and JSON API over HTTP: a real server (`startWebServer` on 127.0.0.1, a free port)
 * answering from a real index of the shipped letters built in a temp folder, through `fetch`.
 */
import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Letter } from '../corpus/letter.ts';
import { buildIndex } from '../index/buildIndex.ts';
import { openIndex } from '../index/openIndex.ts';
import type { Searcher } from '../index/searchTypes.ts';
import { answerQuestion } from '../bot/answer/answerQuestion.ts';
import { formatCitationLine } from '../bot/answer/citation.ts';
import { letterPath, permalink } from '../bot/answer/permalink.ts';
import { answerText, renderPlain } from '../bot/answer/renderPlain.ts';
import { askJson } from '../bot/commands/ask.ts';
import { loadConfig } from '../bot/config.ts';
import { renderAnswerBlocks } from '../bot/telegram/renderHtml.ts';
import { commitmentRows, commitmentsCsv, filterCommitments } from '../bot/web/commitmentRows.ts';
import { RateLimiter } from '../bot/web/rateLimit.ts';
import { answerView } from '../bot/web/searchPage.ts';
import { CONTENT_SECURITY_POLICY, MAX_QUESTION_CHARS } from '../bot/web/webApp.ts';
import { startWebServer, type RunningWebServer } from '../bot/web/webServer.ts';
import { FIXTURE_LETTERS, REPO, SHIPPED_CORPUS } from './support/fixtureLetters.ts';
import { runNode } from './support/runNode.ts';
import { visibleText } from './support/visibleText.ts';

const MOX = 'what has Qingdao done with MOX?';
const MOX_SENTENCE = '上合示范区管委会与中华(澳门)金融资产交易股份有限公司(以下简称“MOX”)签订了全面合作框架协议';
const silent = () => undefined;
const SUB_DIR = '2023 批次';
const SUB_ID = `${SUB_DIR}/重庆 0726`;
// A letter whose every field tries to inject markup (made here: no real letter is this hostile).
const HOSTILE_LETTER = `---
source: javascript:alert(1)
title: 关于<script>alert(1)</script>的复函
issuer: 测试市<b>人民政府</b>
date: 2024-03-01
---
张三委员:
您提出的关于测试的建议收悉。现答复如下:
一、工作情况
我们对<img src=x onerror=alert(1)>进行了研究 & 处理。
二、下一步工作计划
下一步,我们将继续推进<script>alert(2)</script>相关工作。
测试市人民政府
2024年3月1日
`;

let work: string;
let corpus: string;
let indexDir: string;
let engine: Searcher;
let server: RunningWebServer;

async function open(): Promise<Searcher> {
  return openIndex({ corpusDirs: [corpus], indexDir, dense: 'off', log: silent });
}

async function get(url: string, init?: RequestInit): Promise<{ status: number; body: string; headers: Headers }> {
  const res = await fetch(new URL(url, server.url), init);
  return { status: res.status, body: await res.text(), headers: res.headers };
}

/** The text inside `<mark id="quote">…</mark>` of a letter page. */
function markedQuote(page: string): string | undefined {
  const m = /<mark id="quote">([\s\S]*?)<\/mark>/.exec(page);
  return m ? visibleText(m[1]) : undefined;
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'fuhan-web-'));
  corpus = path.join(work, 'letters');
  indexDir = path.join(work, 'index');
  await mkdir(corpus);
  for (const f of ['qingdao-shanghe-mox.txt', 'chongqing-gangao-0963.txt']) await copyFile(path.join(SHIPPED_CORPUS, f), path.join(corpus, f));
  // A letter in a sub-folder, with a space and Chinese in its path: its id has a slash and needs encoding.
  await mkdir(path.join(corpus, SUB_DIR));
  await copyFile(path.join(FIXTURE_LETTERS, '005_chongqing-gangao-0726hao-tian.txt'), path.join(corpus, SUB_DIR, '重庆 0726.txt'));
  await writeFile(path.join(corpus, 'hostile.txt'), HOSTILE_LETTER);
  await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', progress: false, log: silent });
  engine = await open();
  server = await startWebServer({ engine: () => engine, port: 0, log: silent, rateLimit: false });
});

afterAll(async () => {
  await server?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('security headers and escaping', () => {
  it('every page carries the Content-Security-Policy and loads only its own script, never inline', async () => {
    for (const url of ['/', `/?q=${encodeURIComponent(MOX)}`, '/commitments', '/letters/qingdao-shanghe-mox', '/letters/none', '/api/ask?q=MOX']) {
      const { headers, body } = await get(url);
      expect(headers.get('content-security-policy'), url).toBe(CONTENT_SECURITY_POLICY);
      expect(headers.get('x-content-type-options'), url).toBe('nosniff');
      const scripts = body.match(/<script\b[^>]*>/g) ?? [];
      for (const s of scripts) expect(s, url).toMatch(/^<script src="\/static\/fuhan\.js\?v=[0-9a-f]+" defer>$/);
      expect(body, url).not.toMatch(/\son[a-z]+=/i);
    }
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
  });

  it('a hostile question is shown as text, in the page and in the search box', async () => {
    const hostile = '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes"';
    const { status, body } = await get(`/?q=${encodeURIComponent(hostile)}`);
    expect(status).toBe(200);
    expect(body).not.toContain('<script>alert');
    expect(body).not.toContain('<img src=x');
    expect(body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(body).toContain('value="&lt;script&gt;');
  });

  it('a hostile letter id in the address is escaped on the 404 page', async () => {
    const { status, body } = await get(`/letters/${encodeURIComponent('<script>x</script>')}`);
    expect(status).toBe(404);
    expect(body).not.toContain('<script>x');
    expect(body).toContain('&lt;script&gt;x&lt;/script&gt;');
  });

  it('a letter\'s own markup is text everywhere: its page, the commitments table, search; a javascript: source is no link', async () => {
    expect(engine.letter('hostile')!.title).toContain('<script>');
    const pages = [await get('/letters/hostile'), await get('/commitments'), await get(`/?q=${encodeURIComponent('测试市 研究')}`)];
    for (const { status, body } of pages) {
      expect(status).toBe(200);
      expect(body).not.toMatch(/<script>alert|<img src=x|<b>人民政府|href="javascript:/);
    }
    expect(pages[0].body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(pages[0].body).toContain('javascript:alert(1)');
    expect(pages[0].body).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('static files are served with their types, long-cached when versioned', async () => {
    const page = (await get('/')).body;
    const js = /src="(\/static\/fuhan\.js\?v=[0-9a-f]+)"/.exec(page)![1];
    const res = await get(js);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(res.headers.get('cache-control')).toContain('immutable');
    expect((await get('/static/nope.js')).status).toBe(404);
  });
});

describe('/ (search)', () => {
  it('without a question: the form, working without JavaScript (a GET form to /)', async () => {
    const { status, body } = await get('/');
    expect(status).toBe(200);
    expect(body).toMatch(/<form class="search" method="get" action="\/"/);
    expect(body).toContain('name="q"');
  });

  it('answers with the bot\'s engine: the MOX quote first, its citation linking to the highlighted letter page', async () => {
    const { status, body } = await get(`/?q=${encodeURIComponent(MOX)}`);
    expect(status).toBe(200);
    const answer = await answerQuestion(engine, MOX, { log: silent });
    expect(answer.citations[0].quote).toContain(MOX_SENTENCE);
    const first = /<figure class="citation" id="c1">([\s\S]*?)<\/figure>/.exec(body)![1];
    expect(visibleText(first)).toContain(MOX_SENTENCE);
    const link = /<a class="permalink" href="([^"]+)"/.exec(first)![1].replace(/&amp;/g, '&');
    const c = answer.citations[0];
    expect(link).toBe(`${letterPath(c.letter)}?q=${c.start}-${c.end}#quote`);
    // Every citation of the answer is on the page, each with its link.
    for (const citation of answer.citations) expect(body).toContain(`href="${letterPath(citation.letter)}?q=${citation.start}-${citation.end}#quote"`);
  });

  it('a question nothing answers: the refusal and the nearest letters, linked', async () => {
    const { status, body } = await get(`/?q=${encodeURIComponent('火星探测器的燃料补贴标准是多少？')}`);
    expect(status).toBe(200);
    expect(body).toContain('class="refusal"');
    expect(body).not.toContain('class="citation"');
  });

  it('a "not stated" answer (refused, with the closest quote) shows the engine\'s sentence, then the quote labelled as not answering', async () => {
    const answer = await answerQuestion(engine, MOX, { log: silent });
    const notStated = { ...answer, mode: 'refusal' as const, refused: true, text: 'The letter does not state <the amount>.\nClosest:' };
    const view = answerView(notStated).value;
    expect(view).toContain('<p class="not-stated">The letter does not state &lt;the amount&gt;.</p>');
    expect(view).toContain('does not answer the question');
    expect(view.indexOf('not-stated')).toBeLessThan(view.indexOf('class="citation"'));
    expect(view).not.toContain('class="refusal"');
  });

  it('a very long question is refused politely (400), with the limit named', async () => {
    const { status, body } = await get(`/?q=${'长'.repeat(MAX_QUESTION_CHARS + 1)}`);
    expect(status).toBe(400);
    expect(body).toContain(String(MAX_QUESTION_CHARS));
    expect(body).toContain('class="notice"');
    const api = await get(`/api/ask?q=${'x'.repeat(MAX_QUESTION_CHARS + 1)}`);
    expect(api.status).toBe(400);
    expect(JSON.parse(api.body).error).toMatch(/too long/);
  });
});

describe('/letters/<id>', () => {
  it('the letter as a page: issuer, title, addressee, dates, archived-copy wording, section tree, passages and commitments marked', async () => {
    const letter = engine.letter('qingdao-shanghe-mox')!;
    const { status, body } = await get('/letters/qingdao-shanghe-mox');
    expect(status).toBe(200);
    expect(body).toContain(`<h1>${letter.title}</h1>`.replace(/"/g, '&quot;'));
    expect(body).toContain(letter.issuer!);
    expect(body).toContain(letter.addressees[0]);
    expect(body).toContain('datetime="2024-06-28"');
    expect(body).toMatch(/存档副本|archived copy|collected file/);
    expect(body).toContain('<nav class="toc"');
    for (const s of letter.sections) expect(body).toContain(`href="#s-${s.start}"`);
    expect((body.match(/class="passage-start"/g) ?? []).length).toBe(engine.passagesOf(letter.id).length);
    expect((body.match(/<span class="commitment">/g) ?? []).length).toBeGreaterThanOrEqual(letter.commitments.length);
    expect(body).not.toContain('<mark');
    // The page's text is the letter's text, every character once, in order.
    const article = /<div class="text">([\s\S]*?)<\/div>\n<\/article>/.exec(body)![1];
    expect(visibleText(article).replace(/\n/g, '')).toBe(letter.text.replace(/\n/g, ''));
  });

  it('?q=start-end: exactly that quote inside <mark id="quote">, repeated above with its permalink', async () => {
    const answer = await answerQuestion(engine, MOX, { log: silent });
    const c = answer.citations[0];
    const { status, body } = await get(`${letterPath(c.letter)}?q=${c.start}-${c.end}`);
    expect(status).toBe(200);
    expect(markedQuote(body)).toBe(c.quote);
    expect(body).toContain(`value="${server.url}${letterPath(c.letter)}?q=${c.start}-${c.end}"`);
  });

  it('an unknown id is a 404 page, a range outside the letter a 400 page, never a stack trace', async () => {
    const length = engine.letter('qingdao-shanghe-mox')!.text.length;
    const cases: [string, number][] = [
      ['/letters/no-such-letter', 404],
      ['/letters/', 404],
      ['/letters/%E0%A4%A', 400],
      [`/letters/qingdao-shanghe-mox?q=0-${length + 1}`, 400],
      ['/letters/qingdao-shanghe-mox?q=50-10', 400],
      ['/letters/qingdao-shanghe-mox?q=10-10', 400],
      ['/letters/qingdao-shanghe-mox?q=abc', 400],
      ['/letters/qingdao-shanghe-mox?q=-5-10', 400],
      ['/nowhere', 404],
    ];
    for (const [url, code] of cases) {
      const { status, body, headers } = await get(url);
      expect(status, url).toBe(code);
      expect(headers.get('content-type'), url).toMatch(/^text\/html/);
      expect(body, url).toContain('role="alert"');
      expect(body, url).not.toMatch(/\bat .+\.ts:\d+|Error:/);
    }
    expect((await get(`/letters/qingdao-shanghe-mox?q=0-${length}`)).status).toBe(200);
  });

  it('the permalink is stable across an incremental rebuild that adds another letter', async () => {
    const before = JSON.parse((await get(`/api/ask?q=${encodeURIComponent(MOX)}`)).body) as ReturnType<typeof askJson>;
    const pageBefore = await get(new URL(before.citations[0].permalink!).pathname + new URL(before.citations[0].permalink!).search);
    await copyFile(path.join(FIXTURE_LETTERS, '003_anju-jiaotong-48hao-jianyi.txt'), path.join(corpus, '003_anju-jiaotong-48hao-jianyi.txt'));
    const report = await buildIndex({ corpusDirs: [corpus], indexDir, dense: 'off', progress: false, log: silent });
    expect(report.added).toBe(1);
    expect(report.unchanged).toBe(4);
    const previous = engine;
    engine = await open();
    expect(engine.letters().length).toBe(previous.letters().length + 1);
    for (const c of before.citations) {
      const url = new URL(c.permalink!);
      const page = await get(url.pathname + url.search);
      expect(page.status).toBe(200);
      expect(markedQuote(page.body)).toBe(c.quote);
    }
    const pageAfter = await get(new URL(before.citations[0].permalink!).pathname + new URL(before.citations[0].permalink!).search);
    expect(markedQuote(pageAfter.body)).toBe(markedQuote(pageBefore.body));
    const after = JSON.parse((await get(`/api/ask?q=${encodeURIComponent(MOX)}`)).body) as ReturnType<typeof askJson>;
    expect(after.citations[0].permalink).toBe(before.citations[0].permalink);
  });
});

describe('/commitments', () => {
  it('every commitment of every letter, verbatim, each linked to it highlighted in its letter', async () => {
    const letters = engine.letters();
    const total = letters.reduce((n, l) => n + l.commitments.length, 0);
    const { status, body } = await get('/commitments');
    expect(status).toBe(200);
    const rows = body.match(/<tr>\n<td class="issuer">/g) ?? [];
    expect(rows.length).toBe(total);
    const letter = letters.find((l) => l.commitments.length > 0)!;
    const c = letter.commitments[0];
    expect(body).toContain(`href="${letterPath(letter.id)}?q=${c.start}-${c.end}#quote"`);
    const page = await get(`${letterPath(letter.id)}?q=${c.start}-${c.end}`);
    expect(markedQuote(page.body)).toBe(c.text);
  });

  it('filters by issuer, year and words (Traditional folds to Simplified), and sorts', async () => {
    const all = commitmentRows(engine.letters());
    const issuer = all[0].issuer;
    const byIssuer = await get(`/commitments?issuer=${encodeURIComponent(issuer)}`);
    expect((byIssuer.body.match(/<td class="issuer">/g) ?? []).length).toBe(all.filter((r) => r.issuer === issuer).length);
    const year = all[0].date.slice(0, 4);
    const byYear = await get(`/commitments?year=${year}`);
    expect((byYear.body.match(/<td class="issuer">/g) ?? []).length).toBe(all.filter((r) => r.date.startsWith(year)).length);
    const words = await get(`/commitments?words=${encodeURIComponent('培訓')}`);
    const expected = all.filter((r) => r.text.includes('培训') || r.title.includes('培训'));
    expect(expected.length).toBeGreaterThan(0);
    expect((words.body.match(/<td class="issuer">/g) ?? []).length).toBe(expected.length);
    const none = await get(`/commitments?words=${encodeURIComponent('<b>没有这个词</b>')}`);
    expect(none.body).toContain('class="empty"');
    expect(none.body).toContain('&lt;b&gt;没有这个词&lt;/b&gt;');
    const asc = filterCommitments(all, { sort: 'issuer', dir: 'asc' }).map((r) => r.issuer);
    expect(asc).toEqual([...asc].sort((a, b) => a.localeCompare(b, 'zh-Hans-CN')));
    const sorted = await get('/commitments?sort=issuer&dir=desc');
    expect(sorted.body).toContain('aria-sort="descending"');
  });

  it('downloads as CSV: BOM, header, one line per commitment with its permalink; formulas defused', async () => {
    const res = await get('/commitments.csv?year=2024');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toContain('attachment');
    // Response.text() drops a byte-order mark: look at the bytes.
    const bytes = new Uint8Array(await (await fetch(`${server.url}/commitments.csv?year=2024`)).arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(res.body.startsWith('issuer,letter,proposal,date,section,commitment,link\r\n')).toBe(true);
    const rows = filterCommitments(commitmentRows(engine.letters()), { year: 2024 });
    expect(res.body.trimEnd().split('\r\n').length).toBe(rows.length + 1);
    expect(res.body).toContain(`${server.url}${letterPath(rows[0].letter)}?q=${rows[0].start}-${rows[0].end}`);
    const hostile = commitmentsCsv([{ ...rows[0], text: '=HYPERLINK("http://x")', issuer: 'a,"b"' }], () => 'l');
    expect(hostile).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(hostile).toContain('"a,""b"""');
  });
});

describe('JSON API', () => {
  it('/api/ask: the shape `fuhan ask --json` prints, each citation with its permalink', async () => {
    const { status, body, headers } = await get(`/api/ask?q=${encodeURIComponent(MOX)}`);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^application\/json/);
    const json = JSON.parse(body);
    expect(Object.keys(json)).toEqual(['refused', 'answer', 'citations']);
    expect(json.refused).toBe(false);
    expect(Object.keys(json.citations[0])).toEqual(['n', 'doc', 'quote', 'start', 'end', 'issuer', 'title', 'date', 'section', 'source', 'permalink']);
    expect(json.citations[0].quote).toContain(MOX_SENTENCE);
    expect(json.citations[0].permalink).toBe(`${server.url}/letters/${json.citations[0].doc.replace(/\.txt$/, '')}?q=${json.citations[0].start}-${json.citations[0].end}`);
    expect((await get('/api/ask')).status).toBe(400);
  });

  it('/api/search: the shape `fuhan search --json` prints', async () => {
    const json = JSON.parse((await get(`/api/search?q=${encodeURIComponent(MOX)}&k=3`)).body);
    expect(Object.keys(json)).toEqual(['refused', 'passages']);
    expect(json.passages.length).toBe(3);
    expect(Object.keys(json.passages[0])).toEqual(['doc', 'letter', 'section', 'start', 'end', 'text', 'score']);
    const letter = engine.letter(json.passages[0].letter)!;
    expect(letter.text.slice(json.passages[0].start, json.passages[0].end)).toBe(json.passages[0].text);
    expect((await get('/api/search?q=MOX&k=0')).status).toBe(400);
  });

  it('/api/letters/<id>: the letter and its passages (as `fuhan inspect --json`), 404 as JSON', async () => {
    const json = JSON.parse((await get('/api/letters/qingdao-shanghe-mox')).body) as { letter: Letter; passages: { start: number; end: number; text: string }[] };
    expect(json.letter.id).toBe('qingdao-shanghe-mox');
    expect(json.letter.file).toBe('qingdao-shanghe-mox.txt');
    expect(json.passages.length).toBe(engine.passagesOf('qingdao-shanghe-mox').length);
    for (const p of json.passages) expect(json.letter.text.slice(p.start, p.end)).toBe(p.text);
    const missing = await get('/api/letters/nope');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body).error).toContain('nope');
  });
});

describe('rate limit', () => {
  it('a client past its budget gets 429 with Retry-After (pages and API); static files are not counted', async () => {
    const limited = await startWebServer({ engine: () => engine, port: 0, log: silent, rateLimit: { perMinute: 6, burst: 3 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await fetch(`${limited.url}/commitments`)).status);
      expect(statuses).toEqual([200, 200, 200]);
      const page = await fetch(`${limited.url}/commitments`);
      expect(page.status).toBe(429);
      expect(Number(page.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await page.text()).toContain('role="alert"');
      const api = await fetch(`${limited.url}/api/ask?q=MOX`);
      expect(api.status).toBe(429);
      expect(JSON.parse(await api.text()).error).toMatch(/Too many requests/);
      expect((await fetch(`${limited.url}/static/fuhan.css`)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('tokens come back with time, per client', () => {
    let now = 0;
    const limiter = new RateLimiter({ perMinute: 60, burst: 2, now: () => now });
    expect([limiter.take('a').ok, limiter.take('a').ok, limiter.take('a').ok]).toEqual([true, true, false]);
    expect(limiter.take('b').ok).toBe(true);
    now += 1000;
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterSeconds: 1 });
  });
});

describe('permalinks in the other front-ends (FUHAN_PUBLIC_URL)', () => {
  it('FUHAN_PUBLIC_URL is validated and loses its trailing slash', () => {
    expect(loadConfig({ FUHAN_PUBLIC_URL: 'https://fuhan.example.org/' }).publicUrl).toBe('https://fuhan.example.org');
    expect(loadConfig({}).publicUrl).toBeUndefined();
    expect(() => loadConfig({ FUHAN_PUBLIC_URL: 'fuhan.example.org' })).toThrow(/FUHAN_PUBLIC_URL/);
    expect(() => loadConfig({ FUHAN_PUBLIC_URL: 'javascript:alert(1)' })).toThrow(/FUHAN_PUBLIC_URL/);
  });

  it('ask --json, the plain text (terminal) and Telegram HTML carry the permalink when a public URL is set, and not otherwise', async () => {
    const answer = await answerQuestion(engine, MOX, { log: silent });
    const c = answer.citations[0];
    const link = permalink('https://fuhan.example.org', c);
    expect(link).toBe(`https://fuhan.example.org/letters/${c.letter}?q=${c.start}-${c.end}`);
    expect(askJson(answer, 'https://fuhan.example.org').citations[0].permalink).toBe(link);
    expect('permalink' in askJson(answer).citations[0]).toBe(false);
    expect(answerText(answer, 'https://fuhan.example.org')).toContain(link);
    expect(answerText(answer)).toBe(answer.text);
    expect(renderPlain(answer)).not.toContain('https://fuhan.example.org');
    expect(renderAnswerBlocks(answer, { publicUrl: 'https://fuhan.example.org' }).join('\n')).toContain(`href="${link}"`);
    expect(renderAnswerBlocks(answer).join('\n')).not.toContain('/letters/');
    // The one-line citation (/cite): the permalink alone, or after the source as its archived copy.
    expect(formatCitationLine({ ...c, source: null }, 'zh', 'https://fuhan.example.org')).toMatch(new RegExp(`，${link.replace(/[?.]/g, '\\$&')}$`));
    expect(formatCitationLine({ ...c, source: 'https://gov.example/a.html' }, 'en', 'https://fuhan.example.org')).toMatch(/, https:\/\/gov\.example\/a\.html \(archived: https:\/\/fuhan\.example\.org\/letters\/.+\)$/);
    expect(formatCitationLine(c, 'zh')).not.toContain('fuhan.example.org');
  });

  it('letter ids in sub-folders keep their slashes; other characters are encoded; such a letter is served', async () => {
    expect(letterPath('2024/重庆 0963')).toBe('/letters/2024/%E9%87%8D%E5%BA%86%200963');
    expect(engine.letter(SUB_ID)).toBeDefined();
    const p = engine.passagesOf(SUB_ID)[1];
    const page = await get(`${letterPath(SUB_ID)}?q=${p.start}-${p.end}`);
    expect(page.status).toBe(200);
    expect(markedQuote(page.body)).toBe(p.text);
    expect(JSON.parse((await get(`/api${letterPath(SUB_ID)}`)).body).letter.id).toBe(SUB_ID);
    expect((await get(`/letters/${encodeURIComponent(SUB_ID)}`)).status).toBe(200);
  });
});

describe('fuhan serve', () => {
  it('refuses a bad port with exit code 2, and --help says how to bind elsewhere', async () => {
    const bad = await runNode(['--import', 'tsx', 'bot/cli.ts', 'serve', '--port', 'eighty'], { cwd: REPO });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--port');
    const help = await runNode(['--import', 'tsx', 'bot/cli.ts', 'serve', '--help'], { cwd: REPO });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--host 0.0.0.0');
  });

  it('serves on 127.0.0.1 until SIGTERM, then exits 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bot/cli.ts', 'serve', '--port', '0'], {
      cwd: REPO,
      env: { ...process.env, FUHAN_CORPUS: corpus, FUHAN_INDEX: indexDir, FUHAN_DENSE: 'off' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 60_000;
      while (!/pages at (http:\/\/127\.0\.0\.1:\d+)/.test(stderr) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const url = /pages at (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)![1];
      const res = await fetch(`${url}/api/ask?q=${encodeURIComponent(MOX)}`);
      expect(res.status).toBe(200);
      expect(JSON.stringify(await res.json())).toContain('MOX');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
