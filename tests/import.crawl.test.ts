/**
 * The importer against a simulated government site on 127.0.0.1 (tests/fixtures/site/govSite.ts):
 * three list templates, GBK pages, PDF/DOCX shells, robots.txt, redirects, duplicates, 404, 500,
 * 429, a hanging page, a 30 MB page. Then re-runs: conditional requests, a changed letter.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importLetters, type ImportOptions, type ImportReport } from '../corpus/import/importLetters.ts';
import { classifyPage } from '../corpus/import/classifyPage.ts';
import { pagerLinks } from '../corpus/import/pager.ts';
import { readCorpus } from '../corpus/readCorpus.ts';
import { startGovSite, type GovSite } from './fixtures/site/govSite.ts';

const DELAY_MS = 40;

let site: GovSite;
let corpusDir: string;
let first: ImportReport;

const options = (): ImportOptions => ({ corpusDir, delayMs: DELAY_MS, timeoutMs: 500, retries: 2, backoffMs: 20, maxRetryAfterMs: 5000 });

beforeAll(async () => {
  site = await startGovSite();
  corpusDir = await mkdtemp(path.join(os.tmpdir(), 'fuhan-import-'));
  first = await importLetters(site.layout.columns, options());
}, 60_000);

afterAll(async () => {
  await site?.close();
  if (corpusDir) await rm(corpusDir, { recursive: true, force: true });
});

describe('a first import of three columns', () => {
  it('imports every letter on the site exactly once, each with its source URL as the citation link', async () => {
    const { docs, skipped } = await readCorpus(corpusDir);
    expect(skipped).toEqual([]);
    const sources = docs.map((d) => d.frontMatter.source).sort();
    const expected = [...site.layout.letters.values()].map((l) => l.source).sort();
    expect(sources).toEqual(expected);
    expect(first.counts.added).toBe(expected.length);
    const formats = Object.fromEntries(docs.map((d) => [d.frontMatter.source, d.format]));
    for (const letter of site.layout.letters.values()) expect(formats[letter.source]).toBe(letter.format);
    // GBK pages come out as Chinese text, not mojibake.
    const gbk = docs.find((d) => d.frontMatter.source?.includes('/tagk/'));
    expect(gbk?.encoding).toBe('GB18030');
    expect(gbk?.text).toMatch(/[\u4e00-\u9fff]{10}/);
  });

  it('saves each letter as fetched beside its source record', async () => {
    const result = first.letters.find((l) => l.outcome === 'added' && l.file?.endsWith('.pdf'))!;
    expect(result.source).toBe(site.layout.letters.get('anju-48')!.source);
    const record = JSON.parse(await readFile(path.join(corpusDir, `${result.file}.source.json`), 'utf8'));
    expect(record).toMatchObject({ source: result.source, fetched: `${site.url}/files/jianyi-48.pdf`, contentType: 'application/pdf' });
    expect(record.etag).toMatch(/^"/);
    expect(record.sha256).toMatch(/^[0-9a-f]{64}$/);
    const saved = await readFile(path.join(corpusDir, result.file!));
    expect(saved.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const added = first.letters.filter((l) => l.outcome === 'added');
    expect(added.every((l) => l.title && l.passages && l.passages > 0)).toBe(true);
  });

  it('reports every page it did not import, and why', () => {
    const reason = (suffix: string): string | undefined => first.letters.find((l) => l.url.endsWith(suffix))?.reason;
    expect(reason('/private/secret.html')).toBe('disallowed by robots.txt');
    expect(reason('/tagk/detail?id=404')).toBe('HTTP 404');
    expect(reason('/zxta/dup_0.shtml')).toBe(`duplicate of ${site.url}/jyta/t_0.html`);
    expect(reason('/zxta/slow.shtml')).toMatch(/no answer within 0\.5 s/);
    expect(reason('/zxta/huge.shtml')).toMatch(/larger than the 20 MB limit/);
    expect(reason('/zxta/notice.shtml')).toMatch(/^cannot classify the page/);
    expect(reason('/zxta/away.shtml')).toBe('redirected off the site to http://example.invalid/zxta/away.shtml');
    expect(reason('example.invalid/jyta/t_9.html')).toBeUndefined(); // off-site entries are not even entries
    expect(first.listPages).toBe(8);
    expect(first.problems).toEqual([]);
  });

  it('never requests a disallowed or off-site path, and names itself', () => {
    const paths = site.requests.map((r) => r.path);
    for (const forbidden of site.layout.forbidden) expect(paths).not.toContain(forbidden);
    expect(site.requests.every((r) => r.userAgent?.startsWith('FuhanBot/'))).toBe(true);
    expect(paths.filter((p) => p === '/robots.txt')).toHaveLength(1);
  });

  it('sends one request at a time, with the delay between them; retries 500 and 429 (after Retry-After)', () => {
    expect(site.maxInFlight).toBe(1);
    const sorted = [...site.requests].sort((a, b) => a.at - b.at);
    // The pause runs from the end of one exchange as the client saw it; start to start is at least that.
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.at - sorted[i - 1]!.at).toBeGreaterThanOrEqual(DELAY_MS - 2);
    const flaky = sorted.filter((r) => r.path === '/tagk/detail?id=3');
    expect(flaky).toHaveLength(2);
    const throttled = sorted.filter((r) => r.path === '/zxta/t_1.shtml');
    expect(throttled).toHaveLength(2);
    expect(throttled[1]!.at - throttled[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(first.letters.find((l) => l.url.endsWith('/zxta/t_1.shtml'))?.outcome).toBe('added');
  });

  it('stops reading the 30 MB page at the size limit instead of buffering it', () => {
    expect(site.huge.finished).toBe(false);
    expect(site.huge.written).toBeLessThan(30 * 1024 * 1024);
  });
});

describe('re-runs', () => {
  it('a second run makes only conditional requests and imports nothing', async () => {
    const before = site.requests.length;
    const again = await importLetters(site.layout.columns, options());
    expect(again.counts.added + again.counts.updated).toBe(0);
    // Pages that gave no answer last time (404, no response, too large) have nothing to be conditional on; robots.txt is read afresh.
    const unanswered = ['/robots.txt', '/tagk/detail?id=404', site.layout.hangingPath, site.layout.hugePath];
    const conditional = site.requests.slice(before).filter((r) => !unanswered.includes(r.path));
    expect(conditional.length).toBeGreaterThan(0);
    expect(conditional.filter((r) => !r.ifNoneMatch && !r.ifModifiedSince).map((r) => r.path)).toEqual([]);
  }, 30_000);

  it('a letter changed on the site is updated in place', async () => {
    const name = [...site.layout.letters.values()].find((l) => l.source.endsWith('/jyta/t_0.html'))!.name;
    site.changeLetter(name, (lines) => [...lines.slice(0, -2), '我们将于明年底前完成全部整改任务并向委员书面报告。', ...lines.slice(-2)]);
    const again = await importLetters(site.layout.columns, options());
    expect(again.counts).toMatchObject({ added: 0, updated: 1 });
    const updated = again.letters.find((l) => l.outcome === 'updated')!;
    expect(updated.source).toBe(`${site.url}/jyta/t_0.html`);
    const { docs } = await readCorpus(corpusDir);
    expect(docs.filter((d) => d.text.includes('我们将于明年底前完成全部整改任务'))).toHaveLength(1);
    expect(docs).toHaveLength(site.layout.letters.size);
  }, 30_000);

  it('a letter changed on a later page is found once the column is due for a whole walk', async () => {
    const name = [...site.layout.letters.values()].find((l) => l.source.endsWith('/jyta/t_4.html'))!.name;
    site.changeLetter(name, (lines) => [...lines.slice(0, -2), '今年内完成全部试点路段的标线施划工作。', ...lines.slice(-2)]);
    const quick = await importLetters([site.layout.columns[0]!], options());
    expect(quick.counts.updated).toBe(0); // stopped at the first page: nothing new there
    expect(quick.listPages).toBe(1);
    const whole = await importLetters([site.layout.columns[0]!], { ...options(), recheckAfterMs: 0 });
    expect(whole.counts).toMatchObject({ added: 0, updated: 1 });
    expect(whole.letters.find((l) => l.outcome === 'updated')?.source).toBe(`${site.url}/jyta/t_4.html`);
  }, 30_000);

  it('--since skips older letters and ends the column there (lists run newest first)', async () => {
    const fresh = await mkdtemp(path.join(os.tmpdir(), 'fuhan-import-since-'));
    try {
      const before = site.requests.length;
      const since = await importLetters([site.layout.columns[0]!], { ...options(), corpusDir: fresh, since: '2024-06-27' });
      // Page 1 lists 06-28, 06-27 (robots-disallowed) and 06-27; page 2 only older letters: the walk ends there, page 3 is never asked for.
      expect(since.counts.added).toBe(2);
      expect(since.letters.find((l) => l.outcome === 'skipped' && l.reason?.includes('before --since 2024-06-27'))).toBeDefined();
      expect(site.requests.slice(before).map((r) => r.path)).not.toContain('/jyta/index_2.html');
    } finally {
      await rm(fresh, { recursive: true, force: true });
    }
  }, 30_000);

  it('--dry-run writes nothing and --max stops early', async () => {
    const fresh = await mkdtemp(path.join(os.tmpdir(), 'fuhan-import-dry-'));
    try {
      const dry = await importLetters([site.layout.columns[0]!], { ...options(), corpusDir: fresh, dryRun: true, max: 2 });
      expect(dry.counts.added).toBe(2);
      expect(dry.stopped).toBe('reached --max 2');
      const { docs } = await readCorpus(fresh);
      expect(docs).toHaveLength(0);
    } finally {
      await rm(fresh, { recursive: true, force: true });
    }
  }, 30_000);
});

describe('page structure, not site', () => {
  const base = 'https://www.example.gov.cn/col/index.html';
  it('reads numbered, query-string and script pagers', () => {
    expect(pagerLinks(base, [{ href: 'index_1.html', text: '下一页' }, { href: 'index_9.html', text: '尾页' }], [])).toEqual([
      'https://www.example.gov.cn/col/index_1.html',
      'https://www.example.gov.cn/col/index_9.html',
    ]);
    expect(pagerLinks('https://www.example.gov.cn/col/list', [{ href: '?page=2', text: '2' }, { href: 'https://other.gov.cn/col/list?page=3', text: '3' }], [])).toEqual([
      'https://www.example.gov.cn/col/list?page=2',
    ]);
    expect(pagerLinks(base, [], ["createPageHTML('page_div', 3, 1, 'index', 'html', 42);"])).toEqual([
      'https://www.example.gov.cn/col/index_1.html',
      'https://www.example.gov.cn/col/index_2.html',
    ]);
  });

  it('reports a page it cannot classify instead of guessing', () => {
    const page = classifyPage('<html><body><div class="nav"><a href="/">首页</a></div><p>页面建设中</p></body></html>', base);
    expect(page.kind).toBe('unknown');
  });
});
