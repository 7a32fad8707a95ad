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
import { commitmentFacets, commitmentRows, commitmentsCsv, filterCommitments } from './commitmentRows.ts';
import { commitmentsPage } from './commitmentsPage.ts';
import { errorPage } from './errorPage.ts';
import type { Html } from './html.ts';
import { letterPage } from './letterPage.ts';
import { RateLimiter, type RateLimitOptions } from './rateLimit.ts';
import { findLetter, readCommitmentQuery, readK, readPage, readQuestion, readRange, RequestProblem } from './requestInput.ts';
import { searchPage } from './searchPage.ts';

export { MAX_QUESTION_CHARS } from './requestInput.ts';

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

/**
 * The policy: this server's own script, stylesheet and pages, nothing inline, nothing from elsewhere.
 * `form-action 'self'` keeps the search form from being pointed at another site.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const STATIC_DIR = new URL('./static/', import.meta.url);
const STATIC_TYPES: Record<string, string> = { 'fuhan.css': 'text/css; charset=utf-8', 'fuhan.js': 'text/javascript; charset=utf-8', 'favicon.svg': 'image/svg+xml' };

/** The static files, read once, and a hash of them that versions their URLs. */
function loadStatic(): { files: Map<string, string>; version: string } {
  const files = new Map(Object.keys(STATIC_TYPES).map((name) => [name, readFileSync(new URL(name, STATIC_DIR), 'utf8')]));
  const version = createHash('sha256').update([...files.values()].join('\0')).digest('hex').slice(0, 10);
  return { files, version };
}

const pathOf = (c: Context) => new URL(c.req.url).pathname;

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
  const page = (c: Context, body: Html, status: 200 | 400 = 200) => c.html(body.value, status);
  const answer = (c: Context, q: string) => answerQuestion(options.engine(), q, { page: readPage(c.req.query('page')), llm: options.llm, log });
  const problem = (c: Context, p: RequestProblem) =>
    pathOf(c).startsWith('/api/') ? c.json({ error: p.en }, p.status) : c.html(errorPage({ status: p.status, zh: p.zh, en: p.en, assetVersion: version }).value, p.status);

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
    if (body === undefined) throw new RequestProblem(404, '没有这个文件。', 'There is no such file.');
    c.header('Content-Type', STATIC_TYPES[name]);
    c.header('Cache-Control', c.req.query('v') === version ? 'public, max-age=31536000, immutable' : 'no-cache');
    return c.body(body);
  });
  // Browsers ask for it whatever the page says.
  app.get('/favicon.ico', (c) => c.redirect(`/static/favicon.svg?v=${version}`, 301));

  // Everything below the static files counts against the client's budget.
  app.use('*', async (c, next) => {
    const decision = limiter?.take(clientAddress(c)) ?? { ok: true };
    if (decision.ok) return next();
    c.header('Retry-After', String(decision.retryAfterSeconds));
    throw new RequestProblem(429, `请求过于频繁，请 ${decision.retryAfterSeconds} 秒后再试。`, `Too many requests from your address; please try again in ${decision.retryAfterSeconds} s.`);
  });

  app.get('/', async (c) => {
    let q: string;
    try {
      q = readQuestion(c.req.query('q'));
    } catch (err) {
      // Refused on the search page itself, so the reader can shorten the question there.
      if (!(err instanceof RequestProblem)) throw err;
      return page(c, searchPage({ question: '', notice: err, assetVersion: version }), 400);
    }
    if (!q) return page(c, searchPage({ question: '', assetVersion: version }));
    return page(c, searchPage({ question: q, answer: await answer(c, q), assetVersion: version }));
  });

  app.get('/letters/*', (c) => {
    const engine = options.engine();
    const letter = findLetter(engine, pathOf(c).slice('/letters/'.length));
    const highlight = readRange(c.req.query('q'), letter);
    const link = highlight ? permalink(base(c), { letter: letter.id, ...highlight }) : undefined;
    return page(c, letterPage({ letter, passages: engine.passagesOf(letter.id), highlight, permalink: link, assetVersion: version }));
  });

  app.get('/commitments', (c) => {
    const all = commitmentRows(options.engine().letters());
    const query = readCommitmentQuery((name) => c.req.query(name));
    return page(c, commitmentsPage({ rows: filterCommitments(all, query), total: all.length, facets: commitmentFacets(all), query, assetVersion: version }));
  });

  app.get('/commitments.csv', (c) => {
    const rows = filterCommitments(commitmentRows(options.engine().letters()), readCommitmentQuery((name) => c.req.query(name)));
    const origin = base(c);
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', 'attachment; filename="fuhan-commitments.csv"');
    return c.body(commitmentsCsv(rows, (r) => permalink(origin, r)));
  });

  const requiredQuestion = (c: Context, route: string) => {
    const q = readQuestion(c.req.query('q'));
    if (!q) throw new RequestProblem(400, '请给出问题。', `Give a question: ${route}?q=…`);
    return q;
  };

  app.get('/api/ask', async (c) => c.json(askJson(await answer(c, requiredQuestion(c, '/api/ask')), base(c))));

  app.get('/api/search', async (c) => {
    const q = requiredQuestion(c, '/api/search');
    return c.json(searchJson(await options.engine().search(q, { k: readK(c.req.query('k')) })));
  });

  app.get('/api/letters/*', (c) => {
    const engine = options.engine();
    const letter = findLetter(engine, pathOf(c).slice('/api/letters/'.length));
    const passages = engine.passagesOf(letter.id).map((p) => ({ section: p.section, start: p.start, end: p.end, text: p.text }));
    // The file is named as citations name it, not by its path on this server.
    return c.json({ letter: { ...letter, file: letterRefOf(letter).doc }, passages });
  });

  app.notFound((c) => problem(c, new RequestProblem(404, '没有这个页面。', 'There is no such page.')));
  app.onError((err, c) => {
    if (err instanceof RequestProblem) return problem(c, err);
    log(`fuhan web: ${c.req.method} ${pathOf(c)} failed: ${err instanceof Error ? err.message : String(err)}`);
    return problem(c, new RequestProblem(500, '处理这个请求时出错了，请稍后再试。', 'Something went wrong while answering; please try again later.'));
  });
  return app;
}

/** The client's address as the socket saw it (behind a reverse proxy: the proxy's). */
function clientAddress(c: Context): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}
