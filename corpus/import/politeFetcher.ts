/**
 * HTTP for the importer: one request at a time per host with a pause between them, robots.txt
 * obeyed, conditional requests, bounded retries with backoff (Retry-After honoured), redirects
 * followed only within the site, a timeout on every wait and a size limit enforced while the body
 * streams in (a 30 MB page is cut off at the limit, never buffered whole).
 *
 * Built on undici (Node's own HTTP client: `request` gives the raw status, headers and body
 * stream, so redirects, validators and size limits stay in our hands), p-queue (the per-host
 * queue) and robots-parser (the robots.txt rules, including wildcards and Crawl-delay).
 */
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';
import PQueue from 'p-queue';
import robotsParserModule from 'robots-parser';
import { Agent, request, type Dispatcher } from 'undici';
import { sameSite } from './siteUrl.ts';

/** The User-Agent sent with every request: names the product and what it does. */
export const DEFAULT_USER_AGENT = 'FuhanBot/0.1 (Fuhan reply-letter importer; polite: robots.txt, 1 request at a time)';

/** Options of a `PoliteFetcher`; every field has a documented default. */
export interface FetcherOptions {
  /** Default `DEFAULT_USER_AGENT`. */
  userAgent?: string;
  /** Pause between the end of one request to a host and the start of the next. Default 1000 ms (robots.txt Crawl-delay wins when longer, up to 60 s). */
  delayMs?: number;
  /** Longest wait for the connection, the headers, or the next chunk of a body. Default 30 s. */
  timeoutMs?: number;
  /** Retries after a 429, a 5xx or a network error/timeout. Default 3. */
  retries?: number;
  /** First backoff; doubled for each further retry. Default 2000 ms. */
  backoffMs?: number;
  /** A Retry-After longer than this is not waited for: the URL is given up. Default 120 s. */
  maxRetryAfterMs?: number;
  /** Largest response body accepted (after decompression). Default 20 MB, the readers' limit. */
  maxBytes?: number;
  /** Redirect hops followed (within the site). Default 5. */
  maxRedirects?: number;
}

const DEFAULTS: Required<FetcherOptions> = {
  userAgent: DEFAULT_USER_AGENT,
  delayMs: 1000,
  timeoutMs: 30_000,
  retries: 3,
  backoffMs: 2000,
  maxRetryAfterMs: 120_000,
  maxBytes: 20 * 1024 * 1024,
  maxRedirects: 5,
};

/** HTTP validators of a response, sent back as If-None-Match / If-Modified-Since. */
export interface Validators {
  etag?: string;
  lastModified?: string;
}

/** A fetched URL: its body, or "not modified" for a conditional request. */
export type Fetched =
  | { status: 'ok'; url: string; contentType: string; bytes: Uint8Array; validators: Validators; fetchedAt: string }
  | { status: 'not-modified'; url: string; validators: Validators; fetchedAt: string };

export type FetchFailure = 'robots' | 'off-site' | 'http' | 'timeout' | 'network' | 'too-large' | 'redirects';

/**
 * Why a URL could not be fetched; `message` is one line for reports.
 *
 * @example
 * try { await fetcher.fetch(url); } catch (e) { if (e instanceof FetchError && e.kind === 'robots') … }
 */
export class FetchError extends Error {
  constructor(
    readonly url: string,
    readonly kind: FetchFailure,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'FetchError';
  }
}

interface Robots {
  isAllowed(url: string, ua?: string): boolean | undefined;
  getCrawlDelay(ua?: string): number | undefined;
}

/** One attempt's outcome, before retries are decided. */
type Attempt = { done: Fetched } | { redirect: string } | { retry: FetchError; afterMs?: number };

/** robots-parser is CommonJS with loose typings: its export is the parse function. */
const robotsParser = robotsParserModule as unknown as (url: string, text: string) => Robots;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @example
 * const fetcher = new PoliteFetcher({ delayMs: 1000 });
 * const page = await fetcher.fetch('https://www.example.gov.cn/jyta/index.html', { etag: '"abc"' });
 * if (page.status === 'not-modified') …
 * await fetcher.close();
 */
export class PoliteFetcher {
  readonly options: Required<FetcherOptions>;
  private readonly agent: Agent;
  private readonly queues = new Map<string, PQueue>();
  private readonly lastEnd = new Map<string, number>();
  private readonly robots = new Map<string, Promise<Robots | FetchError>>();

  constructor(options: FetcherOptions = {}) {
    this.options = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
    this.agent = new Agent({ connect: { timeout: this.options.timeoutMs }, keepAliveTimeout: 4000 });
  }

  /** Fetches `url` (conditionally when validators are given), following same-site redirects. Throws `FetchError`. */
  async fetch(url: string, validators: Validators = {}): Promise<Fetched> {
    let current = url;
    for (let hop = 0; hop <= this.options.maxRedirects; hop++) {
      await this.checkRobots(current);
      const result = await this.withRetries(current, validators);
      if ('done' in result) return result.done;
      const next = result.redirect;
      if (!sameSite(next, url)) throw new FetchError(url, 'off-site', `redirected off the site to ${next}`);
      current = next;
    }
    throw new FetchError(url, 'redirects', `more than ${this.options.maxRedirects} redirects`);
  }

  /** Whether robots.txt lets us fetch `url` (fetching robots.txt once per origin). */
  async allowed(url: string): Promise<boolean> {
    try {
      await this.checkRobots(url);
      return true;
    } catch (err) {
      if (err instanceof FetchError && err.kind === 'robots') return false;
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private async checkRobots(url: string): Promise<void> {
    const origin = new URL(url).origin;
    let rules = this.robots.get(origin);
    if (!rules) {
      rules = this.loadRobots(origin);
      this.robots.set(origin, rules);
    }
    const robots = await rules;
    if (robots instanceof FetchError) throw new FetchError(url, 'robots', robots.message);
    if (robots.isAllowed(url, this.options.userAgent) === false) throw new FetchError(url, 'robots', 'disallowed by robots.txt');
  }

  /** robots.txt: 4xx means no rules; an unreachable one (5xx, network) means stay away, as search engines do. */
  private async loadRobots(origin: string): Promise<Robots | FetchError> {
    const url = `${origin}/robots.txt`;
    let text = '';
    try {
      const result = await this.withRetries(url, {}, true);
      if ('done' in result && result.done.status === 'ok') text = Buffer.from(result.done.bytes).toString('utf8');
    } catch (err) {
      if (!(err instanceof FetchError && err.kind === 'http' && err.status !== undefined && err.status < 500)) {
        return new FetchError(url, 'robots', `robots.txt unreachable (${err instanceof Error ? err.message : String(err)})`);
      }
    }
    return robotsParser(url, text);
  }

  private queueFor(host: string): PQueue {
    let queue = this.queues.get(host);
    if (!queue) {
      queue = new PQueue({ concurrency: 1 });
      this.queues.set(host, queue);
    }
    return queue;
  }

  /** The host's pause: our delay, or robots.txt's Crawl-delay when longer (capped at a minute). */
  private async delayFor(origin: string): Promise<number> {
    const robots = await this.robots.get(origin);
    const crawlDelay = robots && !(robots instanceof FetchError) ? robots.getCrawlDelay(this.options.userAgent) : undefined;
    return Math.max(this.options.delayMs, Math.min(60_000, (crawlDelay ?? 0) * 1000));
  }

  /** One URL, retried on 429/5xx/network errors, all inside the host's queue slot (one request at a time). */
  private async withRetries(url: string, validators: Validators, isRobots = false): Promise<{ done: Fetched } | { redirect: string }> {
    const { host, origin } = new URL(url);
    return this.queueFor(host).add(
      async () => {
        for (let attempt = 0; ; attempt++) {
          const pause = (this.lastEnd.get(host) ?? 0) + (isRobots ? this.options.delayMs : await this.delayFor(origin)) - Date.now();
          if (pause > 0) await sleep(pause);
          let result: Attempt;
          try {
            result = await this.attempt(url, validators);
          } finally {
            this.lastEnd.set(host, Date.now());
          }
          if (!('retry' in result)) return result;
          if (attempt >= this.options.retries) throw result.retry;
          const wait = result.afterMs ?? this.options.backoffMs * 2 ** attempt;
          if (wait > this.options.maxRetryAfterMs) throw new FetchError(url, result.retry.kind, `${result.retry.message}; asked to wait ${Math.round(wait / 1000)} s`, result.retry.status);
          await sleep(wait);
        }
      },
    ) as Promise<{ done: Fetched } | { redirect: string }>;
  }

  private async attempt(url: string, validators: Validators): Promise<Attempt> {
    const { timeoutMs } = this.options;
    const headers: Record<string, string> = {
      'user-agent': this.options.userAgent,
      accept: 'text/html,application/xhtml+xml,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document;q=0.9,*/*;q=0.8',
      'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5',
      'accept-encoding': 'gzip, deflate, br',
    };
    if (validators.etag) headers['if-none-match'] = validators.etag;
    if (validators.lastModified) headers['if-modified-since'] = validators.lastModified;
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, {
        method: 'GET',
        headers,
        dispatcher: this.agent,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        // A body that trickles in below the idle timeout must still end some time.
        signal: AbortSignal.timeout(timeoutMs * 4),
      });
    } catch (err) {
      return { retry: networkError(url, err, timeoutMs) };
    }
    const { statusCode: status } = response;
    // A body we drop (redirect, 304, error, over the limit) must not surface as an uncaught abort.
    response.body.on('error', () => undefined);
    const drop = (): void => void response.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
    const header = (name: string): string | undefined => {
      const value = response.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const fetchedAt = new Date().toISOString();
    const found: Validators = {};
    const etag = header('etag');
    const lastModified = header('last-modified');
    if (etag) found.etag = etag;
    if (lastModified) found.lastModified = lastModified;

    if (status >= 300 && status < 400 && status !== 304) {
      drop();
      const location = header('location');
      if (!location) throw new FetchError(url, 'http', `HTTP ${status}: redirect without a Location`, status);
      return { redirect: new URL(location, url).href };
    }
    if (status === 304) {
      drop();
      return { done: { status: 'not-modified', url, validators: { ...validators, ...found }, fetchedAt } };
    }
    if (status === 429 || status >= 500) {
      drop();
      return { retry: new FetchError(url, 'http', `HTTP ${status}`, status), afterMs: retryAfterMs(header('retry-after')) };
    }
    if (status < 200 || status >= 300) {
      drop();
      throw new FetchError(url, 'http', `HTTP ${status}`, status);
    }
    const declared = Number(header('content-length') ?? 'NaN');
    if (declared > this.options.maxBytes) {
      response.body.destroy();
      throw tooLarge(url, this.options.maxBytes);
    }
    let bytes: Uint8Array;
    try {
      bytes = await readLimited(response.body, header('content-encoding'), this.options.maxBytes, url);
    } catch (err) {
      if (err instanceof FetchError) throw err;
      return { retry: networkError(url, err, timeoutMs) };
    }
    return { done: { status: 'ok', url, contentType: header('content-type') ?? '', bytes, validators: found, fetchedAt } };
  }
}

function tooLarge(url: string, maxBytes: number): FetchError {
  return new FetchError(url, 'too-large', `larger than the ${(maxBytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB limit`);
}

/** The body, decompressed, stopped (and the connection dropped) as soon as it passes `maxBytes`. */
async function readLimited(body: Readable, encoding: string | undefined, maxBytes: number, url: string): Promise<Uint8Array> {
  const coding = encoding?.trim().toLowerCase();
  const decoder = coding === 'gzip' || coding === 'x-gzip' ? createGunzip() : coding === 'deflate' ? createInflate() : coding === 'br' ? createBrotliDecompress() : null;
  const source: Readable = decoder ? body.pipe(decoder) : body;
  if (decoder) body.on('error', (err) => decoder.destroy(err));
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBytes) throw tooLarge(url, maxBytes);
      chunks.push(chunk);
    }
  } finally {
    if (total > maxBytes || !body.readableEnded) body.destroy();
  }
  return Buffer.concat(chunks);
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function networkError(url: string, err: unknown, timeoutMs: number): FetchError {
  const code = (err as { code?: string; name?: string })?.code ?? (err as { name?: string })?.name ?? '';
  if (/TIMEOUT|TimeoutError|AbortError/i.test(code)) return new FetchError(url, 'timeout', `no answer within ${(timeoutMs / 1000).toFixed(1).replace(/\.0$/, '')} s`);
  const message = err instanceof Error ? err.message : String(err);
  return new FetchError(url, 'network', `network error (${code || message})`);
}
