/**
 * The slash commands: /start, /help, /ask, /commitments, /letters, /letter, /cite, and the
 * admin-only /reload and /stats. Also the command menu registered with setMyCommands.
 */
import type { Bot, Context } from 'grammy';
import { InlineKeyboard } from 'grammy';
import type { BotCommand } from 'grammy/types';
import { isAdmin } from './access.ts';
import type { BotDeps } from './botDeps.ts';
import { formatDuration } from './botStats.ts';
import { chooseLanguage, textsFor } from './botTexts.ts';
import { encodeCallback } from './callbackData.ts';
import { saveState, threadOf } from './conversationSessions.ts';
import { conversationTexts } from '../conversation/conversationTexts.ts';
import { escapeHtml } from './renderHtml.ts';
import { replyWithAnswer } from './replyWithAnswer.ts';
import { sendHtml } from './sendHtml.ts';

function languageOf(ctx: Context): ReturnType<typeof chooseLanguage> {
  return chooseLanguage(typeof ctx.match === 'string' ? ctx.match : undefined, ctx.from?.language_code);
}

/** Plain text as one escaped HTML block (the splitter cuts long ones between lines). */
function plainBlocks(text: string): string[] {
  return [escapeHtml(text)];
}

function helpBlocks(ctx: Context, withWelcome: boolean): string[] {
  const t = textsFor(chooseLanguage(undefined, ctx.from?.language_code));
  const examples = t.examples.map((e) => `• <code>${escapeHtml(e)}</code>`).join('\n');
  return [...(withWelcome ? [escapeHtml(t.welcome)] : []), escapeHtml(t.help), examples];
}

/**
 * Registers the commands on `bot`.
 *
 * @example
 * registerCommands(bot, deps);
 */
export function registerCommands(bot: Bot, deps: BotDeps): void {
  bot.command('start', (ctx) => sendHtml(ctx, helpBlocks(ctx, true)));
  bot.command('help', (ctx) => sendHtml(ctx, helpBlocks(ctx, false)));

  bot.command('ask', (ctx) => replyWithAnswer(ctx, deps, ctx.match));
  bot.command('commitments', (ctx) => replyWithAnswer(ctx, deps, ctx.match, 'commitments'));

  bot.command('letters', async (ctx) => {
    const lang = languageOf(ctx);
    const rows = deps.kit.listLetters(deps.engine.current, ctx.match.trim() || undefined);
    await sendHtml(ctx, plainBlocks(deps.kit.renderLetterRows(rows, lang)));
  });

  bot.command('new', async (ctx) => {
    saveState(ctx, threadOf(ctx), { at: Date.now() }, []);
    await ctx.reply(conversationTexts(chooseLanguage(undefined, ctx.from?.language_code)).reset);
  });

  bot.command('letter', async (ctx) => {
    const lang = languageOf(ctx);
    const t = textsFor(lang);
    const ref = ctx.match.trim();
    if (ref === '') {
      await ctx.reply(t.letterUsage);
      return;
    }
    const engine = deps.engine.current;
    let description = deps.kit.describeLetter(engine, ref);
    if (!description && !/^\d+$/.test(ref)) {
      // A word filters like /letters: one match is that letter, several are listed to choose from.
      const rows = deps.kit.listLetters(engine, ref);
      if (rows.length > 1) {
        await sendHtml(ctx, plainBlocks(deps.kit.renderLetterRows(rows, lang)));
        return;
      }
      if (rows.length === 1) description = deps.kit.describeLetter(engine, rows[0]!.n);
    }
    if (!description) {
      await ctx.reply(t.letterNotFound);
      return;
    }
    const keyboard = new InlineKeyboard().text(`📜 ${t.buttons.letter}`, encodeCallback({ action: 'w', answer: '0', n: description.row.n }));
    await sendHtml(ctx, plainBlocks(deps.kit.renderLetterDescription(description, lang)), { keyboard });
  });

  bot.command('cite', async (ctx) => {
    const chatId = ctx.chat.id;
    const last = deps.cache.last(chatId);
    const lang = last?.answer.lang ?? languageOf(ctx);
    const t = textsFor(lang);
    const n = Number(ctx.match.trim());
    if (!Number.isInteger(n) || n < 1) {
      await ctx.reply(t.citeUsage);
      return;
    }
    if (!last) {
      await ctx.reply(t.noLastAnswer);
      return;
    }
    const citation = last.answer.citations.find((c) => c.n === n);
    if (!citation) {
      await ctx.reply(t.noSuchCitation);
      return;
    }
    // A citation line carries the whole quote, so even this one line may need splitting.
    await sendHtml(ctx, [`<code>${escapeHtml(deps.kit.formatCitationLine(citation, lang, deps.config.publicUrl))}</code>`]);
  });

  bot.command('reload', async (ctx) => {
    const t = textsFor(languageOf(ctx));
    if (!isAdmin(deps.config, ctx.from?.id)) {
      await ctx.reply(t.adminOnly);
      return;
    }
    await ctx.reply(t.reloading);
    try {
      await deps.engine.reload();
      const size = deps.engine.size();
      deps.log(`index reloaded by ${ctx.from?.id}: ${size.letters} letters, ${size.passages} passages`);
      await ctx.reply(t.reloaded(size.letters, size.passages));
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      deps.log(`reload failed: ${reason}`);
      await ctx.reply(`${t.reloadFailed} ${reason}`);
    }
  });

  bot.command('stats', async (ctx) => {
    const t = textsFor(languageOf(ctx));
    if (!isAdmin(deps.config, ctx.from?.id)) {
      await ctx.reply(t.adminOnly);
      return;
    }
    const size = deps.engine.size();
    const s = deps.stats.snapshot();
    const lines = [
      `${t.stats.letters}: ${size.letters}`,
      `${t.stats.passages}: ${size.passages}`,
      `${t.stats.uptime}: ${formatDuration(s.uptimeMs)}`,
      `${t.stats.questions}: ${s.questions}`,
      `${t.stats.latency}: ${s.p50Ms === null ? '—' : `${Math.round(s.p50Ms)} ms`}`,
    ];
    await ctx.reply(lines.join('\n'));
  });
}

/**
 * The command menu, in Chinese for Chinese-language clients and in English for everyone else.
 * Registration is best effort: an API server without setMyCommands must not stop the bot.
 *
 * @example
 * await registerCommandMenu(bot, console.error);
 */
export async function registerCommandMenu(bot: Bot, log: (line: string) => void): Promise<void> {
  const menu = (lang: 'zh' | 'en'): BotCommand[] => [
    ...Object.entries(textsFor(lang).commands).map(([command, description]) => ({ command, description })),
    { command: 'new', description: conversationTexts(lang).newCommand },
  ];
  try {
    await bot.api.setMyCommands(menu('en'));
    await bot.api.setMyCommands(menu('zh'), { language_code: 'zh' });
  } catch (err) {
    log(`setMyCommands failed (continuing): ${err instanceof Error ? err.message : String(err)}`);
  }
}
