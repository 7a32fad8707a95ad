/**
 * `fuhan import` as a user runs it, against the simulated government site on 127.0.0.1: killed
 * midway (SIGKILL) it loses nothing and the next run continues; the index is updated as
 * `fuhan build` does; answers cite the imported letters with their source links.
 */
import { spawn } from 'node:child_process';
import { readdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCorpus } from '../corpus/readCorpus.ts';
import { startGovSite, type GovSite } from './fixtures/site/govSite.ts';
import { REPO } from './support/fixtureLetters.ts';
import { runNode } from './support/runNode.ts';

const bin = path.join(REPO, 'bin', 'fuhan.js');
let site: GovSite;
let dir: string;
let corpusDir: string;
let indexDir: string;
let columns: string[];

const env = (): Record<string, string> => ({ FUHAN_CORPUS: corpusDir, FUHAN_INDEX: indexDir, FUHAN_DENSE: 'off', FUHAN_OFFLINE: '1', BOT_TOKEN: '' });

/** The CLI, run without blocking this process (the site is served from it: spawnSync would deadlock). */
async function runCli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await runNode([bin, ...args], { cwd: REPO, env: env() });
  return { status: code, stdout, stderr };
}

async function recordsIn(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true }).catch(() => [] as string[]);
  return entries.filter((e) => e.endsWith('.source.json') && !e.startsWith('.fuhan-import'));
}

beforeAll(async () => {
  site = await startGovSite();
  dir = await mkdtemp(path.join(os.tmpdir(), 'fuhan-import-cli-'));
  corpusDir = path.join(dir, 'letters');
  indexDir = path.join(dir, 'index');
  // The numbered and the query-string (GBK) columns: the trouble pages of the third are covered in import.crawl.test.ts.
  columns = site.layout.columns.slice(0, 2);
});

afterAll(async () => {
  await site?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('fuhan import', () => {
  it('killed midway loses nothing; the next run continues and indexes every letter once', async () => {
    const child = spawn(process.execPath, [bin, 'import', ...columns, '--delay', '250'], { env: { ...process.env, ...env() }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const deadline = Date.now() + 60_000;
    while ((await recordsIn(corpusDir)).length < 3 && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('close', r));
    const saved = await recordsIn(corpusDir);
    expect(saved.length, stderr).toBeGreaterThanOrEqual(3);
    const expected = [...site.layout.letters.values()].filter((l) => columns.some((c) => l.source.startsWith(c.replace(/[^/]*$/, ''))));
    expect(saved.length).toBeLessThan(expected.length);

    const again = await runCli(['import', ...columns, '--delay', '20']);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(new RegExp(`${expected.length - saved.length} added, 0 updated, \\d+ unchanged`));
    expect(again.stdout).toMatch(/skipped +http:\/\/127\.0\.0\.1:\d+\/tagk\/detail\?id=404: HTTP 404/);
    expect(again.stdout).toMatch(/^index .*: \d+ letters/m);

    const { docs } = await readCorpus(corpusDir);
    expect(docs.map((d) => d.frontMatter.source).sort()).toEqual(expected.map((l) => l.source).sort());
  }, 150_000);

  it('answers cite the imported letters with their source links', async () => {
    // A fixture letter on the site (衡阳 第268号提案, 微型车车位): its citation links to the page it came from.
    const hengyang = [...site.layout.letters.values()].find((l) => l.name.includes('hengyang'))!;
    expect(columns.some((c) => hengyang.source.startsWith(c.replace(/[^/]*$/, '')))).toBe(true);
    const asked = await runCli(['ask', '解放路商业区能设置微型车车位吗？', '--json']);
    expect(asked.status, asked.stderr).toBe(0);
    const answer = JSON.parse(asked.stdout) as { refused: boolean; citations: { source: string | null; quote: string }[] };
    expect(answer.refused).toBe(false);
    expect(answer.citations[0]?.source).toBe(hengyang.source);
  }, 120_000);

  it('a letter changed on the site is updated and re-indexed', async () => {
    const hengyang = [...site.layout.letters.values()].find((l) => l.name.includes('hengyang'))!;
    site.changeLetter(hengyang.name, (lines) => [...lines.slice(0, -2), '交警支队将于今年年底前在解放路试点划设微型车专用停车泊位。', ...lines.slice(-2)]);
    // The letter is on the column's last page: a plain re-run stops at the first page of known letters; --recheck walks it all.
    const rerun = await runCli(['import', ...columns, '--delay', '20', '--recheck']);
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(rerun.stdout).toMatch(/0 added, 1 updated/);
    expect(rerun.stdout).toMatch(/\(0 added, 1 changed\)/);
    const found = await runCli(['search', '微型车专用停车泊位试点', '--json', '--k', '3']);
    const passages = (JSON.parse(found.stdout) as { passages: { text: string }[] }).passages;
    expect(passages[0]?.text).toContain('交警支队将于今年年底前在解放路试点划设微型车专用停车泊位。');
  }, 120_000);

  it('refuses bad arguments in one line', async () => {
    const bad = await runCli(['import', 'ftp://example.gov.cn/x', '--max', '0']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^fuhan import: not an http\(s\) URL: ftp:\/\/example\.gov\.cn\/x/);
  }, 60_000);
});
