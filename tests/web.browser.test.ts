/**
 * The web pages in a real browser: Debian's chromium, headless, driven by playwright-core, against a
 * real server (`startWebServer` on 127.0.0.1) over a real index of the shipped letters. Saves the
 * screenshots of the three pages (into FUHAN_SCREENSHOTS, e.g. docs/screenshots, when set).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openIndex } from '../index/openIndex.ts';
import type { Searcher } from '../index/searchTypes.ts';
import { startWebServer, type RunningWebServer } from '../bot/web/webServer.ts';
import { SHIPPED_CORPUS } from './support/fixtureLetters.ts';

const CHROMIUM = process.env.FUHAN_CHROMIUM ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) console.warn(`web.browser tests skipped: no chromium at ${CHROMIUM} (Debian package "chromium"; .ci/system-packages.sh installs it)`);

// The question the issue names, on the shipped corpus.
const MOX = 'what has Qingdao done with MOX?';
const MOX_SENTENCE = '上合示范区管委会与中华(澳门)金融资产交易股份有限公司(以下简称“MOX”)签订了全面合作框架协议';
const silent = () => undefined;

let work: string;
let engine: Searcher;
let server: RunningWebServer;
let browser: Browser;
let context: BrowserContext;
let shots: string;
const problems: string[] = [];

async function newPage(ctx: BrowserContext = context): Promise<Page> {
  const page = await ctx.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return page;
}

// Functions run in the page see its globals; this project's TypeScript has no DOM library, so the few
// used are declared here (module scope). Strings would not do: the pages' CSP forbids eval.
interface Box {
  top: number;
  left: number;
  bottom: number;
  right: number;
  height: number;
}
declare const document: {
  querySelector(selector: string): { getBoundingClientRect(): Box } | null;
  querySelectorAll(selector: string): { length: number };
  documentElement: { scrollWidth: number; clientWidth: number };
};
declare const window: { innerHeight: number; innerWidth: number; __pwned?: number };
declare const location: { href: string };

/** True when the element is wholly inside the viewport. */
function inViewport(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((sel) => {
    const r = document.querySelector(sel)!.getBoundingClientRect();
    return r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth && r.height > 0;
  }, selector);
}

/** Waits until the quote is on screen (the script scrolls it there after load). */
function quoteInView(page: Page) {
  return page.waitForFunction(() => {
    const r = document.querySelector('#quote')!.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight;
  });
}

/** Waits until the table has fewer rows than `n` (`fewer`), or exactly `n`. */
function rowsReach(page: Page, n: number, fewer: boolean) {
  return page.waitForFunction(
    ([total, less]) => {
      const rows = document.querySelectorAll('table#commitments tbody tr').length;
      return less ? rows < total : rows === total;
    },
    [n, fewer] as const,
  );
}

describe.skipIf(!HAVE_CHROMIUM)('web pages in chromium', () => {
  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'fuhan-browser-'));
    shots = process.env.FUHAN_SCREENSHOTS ? path.resolve(process.env.FUHAN_SCREENSHOTS) : path.join(work, 'screenshots');
    await mkdir(shots, { recursive: true });
    engine = await openIndex({ corpusDirs: [SHIPPED_CORPUS], indexDir: path.join(work, 'index'), dense: 'off', log: silent });
    server = await startWebServer({ engine: () => engine, port: 0, log: silent, rateLimit: false });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // No network here: without the background-networking flags chromium floods refused connections.
      // Playwright gives every launch a fresh temporary profile (user-data-dir) and removes it on close.
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      timeout: 60_000,
    });
    context = await browser.newContext({ viewport: { width: 1100, height: 800 }, locale: 'zh-CN' });
    context.setDefaultTimeout(30_000);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('the search page answers the MOX question with the MOX quote; its citation opens the letter with exactly that sentence highlighted and in view', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/`);
    await page.fill('input[name=q]', MOX);
    await page.press('input[name=q]', 'Enter');
    const first = page.locator('figure.citation').first();
    await first.waitFor();
    const quote = (await first.locator('blockquote').innerText()).trim();
    expect(quote).toContain(MOX_SENTENCE);
    // The script answered without a reload, and the address is the answer's own (bookmarkable).
    expect(new URL(page.url()).searchParams.get('q')).toBe(MOX);
    await page.screenshot({ path: path.join(shots, 'search.png'), fullPage: false, animations: 'disabled' });

    await first.locator('a.permalink').click();
    await page.waitForURL(/\/letters\/.+\?q=\d+-\d+/);
    await page.locator('mark#quote').waitFor();
    expect(await page.locator('mark#quote').textContent()).toBe(quote);
    expect(await page.locator('.text mark').count()).toBe(1);
    // The script scrolls the quote to the middle of the screen on load.
    await quoteInView(page);
    expect(await inViewport(page, 'mark#quote')).toBe(true);
    const [start, end] = new URL(page.url()).searchParams.get('q')!.split('-').map(Number);
    const letterId = decodeURIComponent(new URL(page.url()).pathname.replace(/^\/letters\//, ''));
    expect(engine.letter(letterId)!.text.slice(start, end)).toBe(quote);
    await page.screenshot({ path: path.join(shots, 'letter.png'), fullPage: false, animations: 'disabled' });
    await page.close();
  });

  it('a permalink opened directly (no #fragment) still brings the quote into view', async () => {
    const page = await newPage();
    const letter = engine.letter('qingdao-shanghe-mox')!;
    const c = letter.commitments[letter.commitments.length - 1];
    await page.goto(`${server.url}/letters/qingdao-shanghe-mox?q=${c.start}-${c.end}`);
    await quoteInView(page);
    expect(await page.locator('mark#quote').textContent()).toBe(c.text);
    await page.close();
  });

  it('the commitments table filters (by words, then year) and sorts', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/commitments`);
    const rows = page.locator('table#commitments tbody tr');
    const total = await rows.count();
    expect(total).toBe(engine.letters().reduce((n, l) => n + l.commitments.length, 0));
    await page.screenshot({ path: path.join(shots, 'commitments.png'), fullPage: false, animations: 'disabled' });

    await page.fill('input[name=words]', '培训');
    await rowsReach(page, total, true);
    const filtered = await rows.allInnerTexts();
    expect(filtered.length).toBeGreaterThan(0);
    for (const row of filtered) expect(row).toContain('培训');
    expect(new URL(page.url()).searchParams.get('words')).toBe('培训');

    await page.fill('input[name=words]', '');
    await rowsReach(page, total, false);
    await page.selectOption('select[name=year]', '2024');
    await page.waitForFunction(() => new URL(location.href).searchParams.get('year') === '2024');
    for (const date of await page.locator('table#commitments tbody td.date').allInnerTexts()) expect(date).toContain('2024');

    await page.click('table#commitments th a:has-text("发文单位")');
    await page.waitForSelector('th[aria-sort="ascending"]');
    const issuers = await page.locator('table#commitments tbody td.issuer').allInnerTexts();
    expect(issuers).toEqual([...issuers].sort((a, b) => a.localeCompare(b, 'zh-Hans-CN')));
    await page.close();
  });

  it('a hostile query is shown as text and runs nothing (with the script and without it)', async () => {
    const hostile = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';
    const page = await newPage();
    await page.goto(`${server.url}/?q=${encodeURIComponent(hostile)}`);
    expect(await page.locator('.answer .question q').innerText()).toBe(hostile);
    expect(await page.inputValue('input[name=q]')).toBe(hostile);
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
    // Submitted through the form (the script swaps the answer in): still text.
    await page.goto(`${server.url}/`);
    await page.fill('input[name=q]', hostile);
    await page.press('input[name=q]', 'Enter');
    await page.locator('.answer .question q').waitFor();
    expect(await page.locator('.answer .question q').innerText()).toBe(hostile);
    expect(await page.locator('img[src=x]').count()).toBe(0);
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
    await page.close();
  });

  it('works without JavaScript: the form submits, the citation link opens the letter at the highlighted quote', async () => {
    const plain = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 800 } });
    try {
      const page = await newPage(plain);
      await page.goto(`${server.url}/`);
      await page.fill('input[name=q]', MOX);
      await Promise.all([page.waitForURL(/\?q=/), page.press('input[name=q]', 'Enter')]);
      const first = page.locator('figure.citation').first();
      expect(await first.locator('blockquote').innerText()).toContain(MOX_SENTENCE);
      await first.locator('a.permalink').click();
      await page.waitForURL(/#quote$/);
      expect(await page.locator('mark#quote').textContent()).toContain(MOX_SENTENCE);
      expect(await inViewport(page, 'mark#quote')).toBe(true);
    } finally {
      await plain.close();
    }
  });

  it('fits a 360-pixel phone screen without sideways scrolling, and prints without navigation or forms', async () => {
    const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true });
    try {
      const page = await newPage(phone);
      const c = engine.letter('qingdao-shanghe-mox')!.commitments[0];
      for (const url of ['/', `/?q=${encodeURIComponent(MOX)}`, `/letters/qingdao-shanghe-mox?q=${c.start}-${c.end}`, '/commitments']) {
        await page.goto(`${server.url}${url}`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, url).toBeLessThanOrEqual(0);
      }
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('header.site nav').isVisible()).toBe(false);
      expect(await page.locator('form.filters').isVisible()).toBe(false);
      expect(await page.locator('table#commitments').isVisible()).toBe(true);
    } finally {
      await phone.close();
    }
  });

  it('no console errors and no Content-Security-Policy violations on any page', () => {
    expect(problems).toEqual([]);
  });
});
