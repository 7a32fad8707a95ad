/**
 * The web pages and JSON API (`fuhan serve`, and the bot's port in webhook mode) as one Hono app:
 *
 * | route | what |
 * |---|---|
 * | `/` | search box; `?q=` answers with the bot's engine (`&page=` for more) |
 * | `/letters/<id>` | the letter; `?q=<start>-<end>` highlights that quote |
 * | `/commitments` | every commitment as a table (`issuer`, `year`, `words`, `sort`, `dir`); `/commitments.csv` the same as CSV |
 * | `/api/ask?q=` | `fuhan ask --json`'s shape, each citation with its `permalink` |
 * | `/api/search?q=&k=` | `fuhan search --json`'s shape |
 * | `/api/letters/<id>` | `{ letter, passages }` as `fuhan inspect --json` prints them |
 *
 * Every page is rendered on the server with every letter- and user-derived string escaped; the only
 * script is /static/fuhan.js (the Content-Security-Policy allows nothing else, inline or remote).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Hono, type Context } from 'hono';
import { compress } from 'hono/compress';
import type { Searcher } from '../../index/searchTypes.ts';
import { answerQuestion } from '../answer/answerQuestion.ts';
import { letterRefOf } from '../answer/citation.ts';
import { permalink } from '../answer/permalink.ts';
import type { QuoteLogger } from '../answer/verifyQuote.ts';
import { askJson } from '../commands/ask.ts';
import { searchJson } from '../commands/search.ts';
import type { Config } from '../config.ts';
import { commitmentFacets, commitmentRows, commitmentsCsv, filterCommitments, type CommitmentQuery } from './commitmentRows.ts';
import { commitmentsPage } from './commitmentsPage.ts';
import { errorPage, type ErrorPageOptions } from './errorPage.ts';
import type { Html } from './html.ts';
import { letterPage } from './letterPage.ts';
import { RateLimiter, type RateLimitOptions } from './rateLimit.ts';
import { searchPage } from './searchPage.ts';

export interface WebAppOptions {
  /** The engine to answer with; read once per request (the bot swaps it on reload). */
  engine: () => Searcher;
  /** Public address of the pages (FUHAN_PUBLIC_URL); default: the address each request came to. */
  publicUrl?: string;
  /** LLM synthesis, as the bot uses it. */
  llm?: Config['llm'];
  /** Per-client limits; `false` turns limiting off. */
  rateLimit?: RateLimitOptions | false;
  /** Where failures and dropped quotes are reported (default console.error). */
  log?: QuoteLogger;
}

/** Longest question answered; longer ones are refused with a sentence saying so (a pasted article is not a question). */
export const MAX_QUESTION_CHARS = 500;

/**
 * The policy: this server's own script, stylesheet and pages, nothing inline, nothing from elsewhere.
 * `form-action 'self'` keeps the search form from being pointed at another site.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const STATIC_DIR = new URL('./static/', import.meta.url);
const STATIC_TYPES: Record<string, string> = { 'fuhan.css': 'text/css; charset=utf-8', 'fuhan.js': 'text/javascript; charset=utf-8', 'favicon.svg': 'image/svg+xml' };

function loadStatic(): { files: Map<string, string>; version: string } {
  const files = new Map(Object.keys(STATIC_TYPES).map((name) => [name, readFileSync(new URL(name, STATIC_DIR), 'utf8')]));
  const version = createHash('sha256').update([...files.values()].join('\0')).digest('hex').slice(0, 10);
  return { files, version };
}

type ApiError = { status: ErrorPageOptions['status']; zh: string; en: string };

/**
 * @example
 * const app = createWebApp({ engine: () => searcher });
 * serve({ fetch: app.fetch, port: 8080, hostname: '127.0.0.1' });
 */
export function createWebApp(options: WebAppOptions): Hono {
  const log = options.log ?? ((line: string) => console.error(line));
  const { files, version } = loadStatic();
  const limiter = options.rateLimit === false ? undefined : new RateLimiter(options.rateLimit);
  const app = new Hono();

  const base = (c: Context) => options.publicUrl ?? new URL(c.req.url).origin;
  const page = (c: Context, body: Html, status: ErrorPageOptions['status'] | 200 = 200) => c.html(body.value, status);
  const fail = (c: Context, e: ApiError, api: boolean) =>
    api ? c.json({ error: e.en }, e.status) : page(c, errorPage({ ...e, assetVersion: version }), e.status);
  const isApi = (c: Context) => new URL(c.req.url).pathname.startsWith('/api/');

  // Chinese text is three bytes a character in UTF-8 and compresses about 3:1 (see the README's page weights).
  app.use('*', compress());
  app.use('*', async (c, next) => {
    await next();
    c.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'same-origin');
    c.header('X-Frame-Options', 'DENY');
  });

  app.get('/static/:name', (c) => {
    const name = c.req.param('name');
    const body = files.get(name);
    if (body === undefined) return fail(c, { status: 404, zh: '没有这个文件。', en: 'There is no such file.' }, false);
    c.header('Content-Type', STATIC_TYPES[name]);
    c.header('Cache-Control', c.req.query('v') === version ? 'public, max-age=31536000, immutable' : 'no-cache');
    return c.body(body);
  });

  // Browsers ask for it whatever the page says.
  app.get('/favicon.ico', (c) => c.redirect(`/static/favicon.svg?v=${version}`, 301));

  app.use('*', async (c, next) => {
    if (!limiter) return next();
    const decision = limiter.take(clientAddress(c));
    if (decision.ok) return next();
    c.header('Retry-After', String(decision.retryAfterSeconds));
    return fail(
      c,
      { status: 429, zh: `请求过于频繁，请 ${decision.retryAfterSeconds} 秒后再试。`, en: `Too many requests from your address; please try again in ${decision.retryAfterSeconds} s.` },
      isApi(c),
    );
  });

  /** The question of `?q=`, or an error when it is too long. */
  const question = (c: Context): { q: string; error?: ApiError } => {
    const q = (c.req.query('q') ?? '').trim();
    if (q.length <= MAX_QUESTION_CHARS) return { q };
    return {
      q,
      error: {
        status: 400,
        zh: `问题太长（${q.length} 个字符），请控制在 ${MAX_QUESTION_CHARS} 字以内。`,
        en: `That question is too long (${q.length} characters); please keep it under ${MAX_QUESTION_CHARS}.`,
      },
    };
  };
  const pageNumber = (c: Context) => Math.min(50, Math.max(1, Math.floor(Number(c.req.query('page') ?? 1)) || 1));

  app.get('/', async (c) => {
    const { q, error } = question(c);
    if (error) return page(c, searchPage({ question: '', notice: error, assetVersion: version }), 400);
    if (!q) return page(c, searchPage({ question: '', assetVersion: version }));
    const answer = await answerQuestion(options.engine(), q, { page: pageNumber(c), llm: options.llm, log });
    return page(c, searchPage({ question: q, answer, assetVersion: version }));
  });

  app.get('/api/ask', async (c) => {
    const { q, error } = question(c);
    if (error) return fail(c, error, true);
    if (!q) return fail(c, { status: 400, zh: '请给出问题。', en: 'Give a question: /api/ask?q=…' }, true);
    const answer = await answerQuestion(options.engine(), q, { page: pageNumber(c), llm: options.llm, log });
    return c.json(askJson(answer, base(c)));
  });

  app.get('/api/search', async (c) => {
    const { q, error } = question(c);
    if (error) return fail(c, error, true);
    if (!q) return fail(c, { status: 400, zh: '请给出问题。', en: 'Give a question: /api/search?q=…' }, true);
    const k = Number(c.req.query('k') ?? 10);
    if (!Number.isInteger(k) || k < 1 || k > 100) return fail(c, { status: 400, zh: 'k 应为 1 到 100 的整数。', en: 'k must be a whole number from 1 to 100.' }, true);
    return c.json(searchJson(await options.engine().search(q, { k })));
  });

  const letterOf = (c: Context, prefix: string) => {
    const raw = new URL(c.req.url).pathname.slice(prefix.length);
    let id: string;
    try {
      id = raw.split('/').map(decodeURIComponent).join('/');
    } catch {
      return { error: { status: 400, zh: '复函编号无法解析。', en: 'That letter id is not a valid address.' } as ApiError };
    }
    const engine = options.engine();
    const letter = id ? engine.letter(id) : undefined;
    if (!letter) return { error: { status: 404, zh: `没有编号为「${id}」的复函。`, en: `There is no letter with the id "${id}".` } as ApiError };
    return { engine, letter };
  };

  app.get('/api/letters/*', (c) => {
    const found = letterOf(c, '/api/letters/');
    if (found.error) return fail(c, found.error, true);
    const { engine, letter } = found;
    const passages = engine.passagesOf(letter.id).map((p) => ({ section: p.section, start: p.start, end: p.end, text: p.text }));
    // The file is named as the citation names it, not by its path on this server.
    return c.json({ letter: { ...letter, file: letterRefOf(letter).doc }, passages });
  });

  app.get('/letters/*', (c) => {
    const found = letterOf(c, '/letters/');
    if (found.error) return fail(c, found.error, false);
    const { engine, letter } = found;
    const range = c.req.query('q');
    let highlight: { start: number; end: number } | undefined;
    if (range !== undefined) {
      const m = /^(\d{1,9})-(\d{1,9})$/.exec(range.trim());
      const start = m ? Number(m[1]) : NaN;
      const end = m ? Number(m[2]) : NaN;
      if (!m || start >= end || end > letter.text.length) {
        return fail(
          c,
          {
            status: 400,
            zh: `引文范围「${range}」不在这封复函之内（全文共 ${letter.text.length} 字，范围应为 起点-终点）。`,
            en: `The quote range "${range}" is not inside this letter (it has ${letter.text.length} characters; give start-end).`,
          },
          false,
        );
      }
      highlight = { start, end };
    }
    const link = highlight ? permalink(base(c), { letter: letter.id, ...highlight }) : undefined;
    return page(c, letterPage({ letter, passages: engine.passagesOf(letter.id), highlight, permalink: link, assetVersion: version }));
  });

  const commitmentQuery = (c: Context): CommitmentQuery => {
    const year = Number(c.req.query('year'));
    const sort = c.req.query('sort');
    const dir = c.req.query('dir');
    return {
      issuer: c.req.query('issuer')?.slice(0, 200) || undefined,
      year: Number.isInteger(year) && year > 0 ? year : undefined,
      words: c.req.query('words')?.trim().slice(0, 200) || undefined,
      sort: sort === 'date' || sort === 'issuer' || sort === 'letter' ? sort : undefined,
      dir: dir === 'asc' || dir === 'desc' ? dir : undefined,
    };
  };

  app.get('/commitments', (c) => {
    const all = commitmentRows(options.engine().letters());
    const query = commitmentQuery(c);
    return page(c, commitmentsPage({ rows: filterCommitments(all, query), total: all.length, facets: commitmentFacets(all), query, assetVersion: version }));
  });

  app.get('/commitments.csv', (c) => {
    const rows = filterCommitments(commitmentRows(options.engine().letters()), commitmentQuery(c));
    const origin = base(c);
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', 'attachment; filename="fuhan-commitments.csv"');
    return c.body(commitmentsCsv(rows, (r) => permalink(origin, r)));
  });

  app.notFound((c) => fail(c, { status: 404, zh: '没有这个页面。', en: 'There is no such page.' }, isApi(c)));
  app.onError((err, c) => {
    log(`fuhan web: ${c.req.method} ${new URL(c.req.url).pathname} failed: ${err instanceof Error ? err.message : String(err)}`);
    return fail(c, { status: 500, zh: '处理这个请求时出错了，请稍后再试。', en: 'Something went wrong while answering; please try again later.' }, isApi(c));
  });
  return app;
}

/** The client's address as the socket saw it (behind a reverse proxy: the proxy's). */
function clientAddress(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}
