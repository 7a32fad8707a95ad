/**
 * Admins import letters from government websites through the bot: they send a link (a letter's
 * page, or a column's list page) or `/import URL…`. One message shows progress, edited in place
 * (never a flood), and ends as the report: issuer, proposal, date and passages of each letter,
 * counts for a column, or exactly why nothing was imported. The index is then updated and
 * swapped in, so the new letters are answerable at once. Non-admins are refused.
 *
 * With FUHAN_IMPORT_URLS set, the same import runs on a schedule (FUHAN_IMPORT_EVERY, default
 * 24 h) inside the bot process. Imports run one at a time: they share the corpus journal.
 */
import type { Bot, Context } from 'grammy';
import { importLetters, type ImportEvent, type ImportReport, type LetterResult } from '../../corpus/import/importLetters.ts';
import type { AnswerLang } from '../answerTypes.ts';
import { formatDate } from '../answer/answerLabels.ts';
import { isAdmin } from './access.ts';
import type { BotDeps } from './botDeps.ts';
import { chooseLanguage } from './botTexts.ts';

/** A message that is nothing but links. */
const LINKS_ONLY = /^(?:https?:\/\/\S+\s*)+$/;
/** Edits of the progress message at most this often (Telegram rate-limits edits too). */
const EDIT_EVERY_MS = 2000;
/** Letters listed one by one in the final report; the rest are counted. */
const LISTED = 12;

interface ImportTexts {
  notAdmin: string;
  usage: string;
  waiting: string;
  started: (urls: string[]) => string;
  progress: (done: number, found: number, c: ImportReport['counts']) => string;
  indexing: string;
  one: (r: LetterResult, date: string) => string;
  notImported: (reason: string) => string;
  unchanged: (link: string) => string;
  summary: (c: ImportReport['counts'], listPages: number) => string;
  letterLine: (r: LetterResult, date: string) => string;
  more: (n: number) => string;
  skippedLine: (r: LetterResult) => string;
  stopped: (why: string) => string;
  failed: (reason: string) => string;
}

const ZH: ImportTexts = {
  notAdmin: '只有管理员可以从网站导入复函。',
  usage: '用法：/import 网址…（复函页面或栏目列表页）',
  waiting: '⏳ 另一项导入正在进行，完成后开始…',
  started: (urls) => `⏳ 正在导入 ${urls.join(' ')} …`,
  progress: (done, found, c) => `⏳ 已检查 ${done}/${found} 篇：新增 ${c.added}，更新 ${c.updated}，未变 ${c.unchanged}，跳过 ${c.skipped}`,
  indexing: '⏳ 正在更新索引…',
  one: (r, date) => `已导入：${r.title ?? ''}\n发文单位：${r.issuer ?? '未知'}\n提案/建议：${r.proposal ?? '未知'}\n日期：${date}\n段落：${r.passages ?? 0}\n来源：${r.source ?? r.url}`,
  notImported: (reason) => `未导入：${reason}`,
  unchanged: (link) => `已导入过，内容未变：${link}`,
  summary: (c, pages) => `导入完成（${pages} 个列表页）：新增 ${c.added}，更新 ${c.updated}，未变 ${c.unchanged}，跳过 ${c.skipped}`,
  letterLine: (r, date) => `${r.outcome === 'updated' ? '↻' : '+'} ${r.issuer ?? '未知单位'} · ${r.proposal ? `第${r.proposal}号` : '无编号'} · ${date} · ${r.passages ?? 0} 段`,
  more: (n) => `…另有 ${n} 篇`,
  skippedLine: (r) => `跳过 ${r.url}：${r.reason ?? ''}`,
  stopped: (why) => `已停止：${why}`,
  failed: (reason) => `导入失败：${reason}`,
};

const EN: ImportTexts = {
  notAdmin: 'Only admins can import letters from websites.',
  usage: 'Usage: /import URL… (a letter’s page or a column’s list page)',
  waiting: '⏳ Another import is running; this one starts when it ends…',
  started: (urls) => `⏳ Importing ${urls.join(' ')} …`,
  progress: (done, found, c) => `⏳ ${done}/${found} letters checked: ${c.added} added, ${c.updated} updated, ${c.unchanged} unchanged, ${c.skipped} skipped`,
  indexing: '⏳ Updating the index…',
  one: (r, date) => `Imported: ${r.title ?? ''}\nIssuer: ${r.issuer ?? 'unknown'}\nProposal: ${r.proposal ?? 'unknown'}\nDate: ${date}\nPassages: ${r.passages ?? 0}\nSource: ${r.source ?? r.url}`,
  notImported: (reason) => `Not imported: ${reason}`,
  unchanged: (link) => `Already imported, unchanged: ${link}`,
  summary: (c, pages) => `Import done (${pages} list pages): ${c.added} added, ${c.updated} updated, ${c.unchanged} unchanged, ${c.skipped} skipped`,
  letterLine: (r, date) => `${r.outcome === 'updated' ? '↻' : '+'} ${r.issuer ?? 'unknown issuer'} · ${r.proposal ? `No. ${r.proposal}` : 'no number'} · ${date} · ${r.passages ?? 0} passages`,
  more: (n) => `…and ${n} more`,
  skippedLine: (r) => `skipped ${r.url}: ${r.reason ?? ''}`,
  stopped: (why) => `Stopped: ${why}`,
  failed: (reason) => `Import failed: ${reason}`,
};

const textsOf = (lang: AnswerLang): ImportTexts => (lang === 'en' ? EN : ZH);

/** Imports one at a time (admin imports and the schedule share the corpus and its journal). */
let queue: Promise<unknown> = Promise.resolve();
let busy = 0;
function serially<T>(task: () => Promise<T>): Promise<T> {
  busy++;
  const run = queue.then(task, task);
  queue = run.catch(() => undefined);
  return run.finally(() => busy--);
}

/**
 * Runs one import into the first corpus folder and reloads the engine when letters were added or
 * updated. Used by the admin command and by the schedule.
 *
 * @example
 * const report = await importAndReload(deps, ['https://www.example.gov.cn/jyta/index.html']);
 */
export function importAndReload(deps: BotDeps, urls: string[], onEvent?: (e: ImportEvent) => void, onIndexing?: () => void): Promise<ImportReport> {
  return serially(async () => {
    const corpusDir = deps.config.corpusDirs[0];
    if (!corpusDir) throw new Error('no corpus folder configured');
    const report = await importLetters(urls, { corpusDir, corpusDirs: deps.config.corpusDirs, delayMs: deps.config.import?.delayMs, onEvent });
    if (report.counts.added + report.counts.updated > 0) {
      onIndexing?.();
      await deps.engine.reload();
    }
    return report;
  });
}

function dateOf(r: LetterResult, lang: AnswerLang): string {
  return r.date ? formatDate(r.date, lang) : lang === 'en' ? 'undated' : '日期不详';
}

/** The final report as one message (Telegram's 4096-character limit kept). */
export function describeImport(report: ImportReport, lang: AnswerLang): string {
  const t = textsOf(lang);
  const { letters, problems } = report;
  const single = report.listPages === 0 && letters.length <= 1;
  if (single) {
    const r = letters[0];
    if (!r) return t.notImported(problems[0]?.reason ?? 'nothing found');
    if (r.outcome === 'skipped') return t.notImported(r.reason ?? '');
    if (r.outcome === 'unchanged') return t.unchanged(r.source ?? r.url);
    return t.one(r, dateOf(r, lang));
  }
  if (letters.length === 0) return t.notImported(problems.map((p) => `${p.url}: ${p.reason}`).join('; ') || 'no letters found');
  const changed = letters.filter((r) => r.outcome === 'added' || r.outcome === 'updated');
  const skipped = letters.filter((r) => r.outcome === 'skipped');
  const lines = [t.summary(report.counts, report.listPages)];
  lines.push(...changed.slice(0, LISTED).map((r) => t.letterLine(r, dateOf(r, lang))));
  if (changed.length > LISTED) lines.push(t.more(changed.length - LISTED));
  lines.push(...skipped.slice(0, LISTED).map((r) => t.skippedLine(r)));
  if (skipped.length > LISTED) lines.push(t.more(skipped.length - LISTED));
  for (const p of problems.slice(0, 5)) lines.push(t.skippedLine({ url: p.url, outcome: 'skipped', reason: p.reason }));
  if (report.stopped) lines.push(t.stopped(report.stopped));
  const text = lines.join('\n');
  return text.length <= 4000 ? text : `${text.slice(0, 3990)}…`;
}

/** Handles `/import URL…` or a message of links from an admin. */
async function handleImport(ctx: Context, deps: BotDeps, text: string): Promise<void> {
  const lang = chooseLanguage(text.replace(/https?:\/\/\S+/g, ''), ctx.from?.language_code);
  const t = textsOf(lang);
  if (!isAdmin(deps.config, ctx.from?.id)) {
    await ctx.reply(t.notAdmin);
    return;
  }
  const urls = text.split(/\s+/).filter((w) => /^https?:\/\/\S+$/.test(w));
  if (urls.length === 0) {
    await ctx.reply(t.usage);
    return;
  }
  const message = await ctx.reply(busy > 0 ? t.waiting : t.started(urls));
  let shown = '';
  let lastEdit = 0;
  let editing: Promise<unknown> = Promise.resolve();
  const edit = (next: string, force = false): Promise<unknown> => {
    if (next === shown || (!force && Date.now() - lastEdit < EDIT_EVERY_MS)) return editing;
    shown = next;
    lastEdit = Date.now();
    // In order (the report must not be overwritten by a late progress edit); "message is not
    // modified" and transient failures must not end the import.
    editing = editing.then(() => ctx.api.editMessageText(message.chat.id, message.message_id, next).catch(() => undefined));
    return editing;
  };
  const counts = { added: 0, updated: 0, unchanged: 0, skipped: 0 };
  let report: ImportReport;
  try {
    report = await importAndReload(
      deps,
      urls,
      (e) => {
        if (e.type !== 'letter') return;
        counts[e.result.outcome]++;
        void edit(t.progress(e.done, e.found, counts));
      },
      () => void edit(t.indexing, true),
    );
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    deps.log(`import by ${ctx.from?.id} failed: ${reason}`);
    await edit(t.failed(reason), true);
    return;
  }
  deps.log(`import by ${ctx.from?.id}: ${JSON.stringify(report.counts)} from ${urls.join(' ')}`);
  await edit(describeImport(report, lang), true);
}

const schedules = new WeakMap<Bot, () => void>();

/**
 * Registers `/import` and links sent by admins in private chats, and starts the FUHAN_IMPORT_URLS
 * schedule when configured (its timer does not keep the process alive; see `stopImportSchedule`).
 * Must be registered before the handler that treats private text as questions.
 *
 * @example
 * registerImport(bot, deps);
 */
export function registerImport(bot: Bot, deps: BotDeps): void {
  bot.command('import', (ctx) => handleImport(ctx, deps, ctx.match));
  bot.on('message:text', async (ctx, next) => {
    if (ctx.chat.type !== 'private' || !LINKS_ONLY.test(ctx.message.text.trim())) return next();
    await handleImport(ctx, deps, ctx.message.text);
  });
  const plan = deps.config.import;
  if (!plan || plan.urls.length === 0) return;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tick = async (): Promise<void> => {
    try {
      const report = await importAndReload(deps, plan.urls);
      deps.log(`scheduled import: ${JSON.stringify(report.counts)}${report.problems.length ? `, ${report.problems.length} pages not used` : ''}`);
    } catch (err) {
      deps.log(`scheduled import failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!stopped) timer = setTimeout(tick, plan.everyMs).unref();
  };
  // The first check right away: a fresh deployment should not wait a day for its columns.
  timer = setTimeout(tick, 0).unref();
  schedules.set(bot, () => {
    stopped = true;
    clearTimeout(timer);
  });
}

/** Stops the bot's import schedule (a run in progress finishes). */
export function stopImportSchedule(bot: Bot): void {
  schedules.get(bot)?.();
}
