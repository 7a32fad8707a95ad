/**
 * The Telegram bot: a grammY `Bot` wired with access control, commands, questions, answer buttons,
 * inline mode and admin uploads. Rate limits are respected by the throttler; 429s are waited out
 * within a bound and network failures retried a few times (apiResilience.ts); one failing update is
 * logged and answered politely, never fatal.
 */
import { sequentialize } from '@grammyjs/runner';
import { apiThrottler, type APIThrottlerOptions } from '@grammyjs/transformer-throttler';
import { Bot, GrammyError, type Context, type Transformer } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { Config } from '../config.ts';
import { isAllowed, RefusalMemo } from './access.ts';
import { requestDeadline, retryRequests } from './apiResilience.ts';
import { handleAnswerButton } from './answerButtons.ts';
import { AnswerCache } from './answerCache.ts';
import type { AnswerKit } from './answerKit.ts';
import { questionForBot } from './addressing.ts';
import { registerCommands } from './botCommands.ts';
import type { BotDeps, BotLog } from './botDeps.ts';
import { BotStats } from './botStats.ts';
import { chooseLanguage, textsFor } from './botTexts.ts';
import { markCommands } from './commandEntity.ts';
import { conversationSessions } from './conversationSessions.ts';
import type { EngineHolder } from './engineHolder.ts';
import { registerImport } from './importCommand.ts';
import { handleInlineQuery } from './inlineCards.ts';
import { replyToCaption, replyWithAnswer } from './replyWithAnswer.ts';
import { handleLetterUpload } from './uploadLetter.ts';

export interface CreateBotOptions {
  config: Config;
  engine: EngineHolder;
  kit: AnswerKit;
  log?: BotLog;
  /** Outgoing rate limits (grammY throttler); `false` turns throttling off (tests on a local emulator). */
  throttle?: APIThrottlerOptions | false;
  /** Skip getMe (tests that feed updates with `handleUpdate`). */
  botInfo?: UserFromGetMe;
  /** Longest total wait for one call's 429s before the reply is given up and the user told (default 600 s). */
  maxRateLimitWaitSeconds?: number;
  /** Seconds a Bot API call may go unanswered (default 20). */
  deadlineSeconds?: number;
}

/** The bot plus the state its handlers share (exposed for /stats-like introspection and tests). */
export interface FuhanBot {
  bot: Bot;
  deps: BotDeps;
  /** Aborting it ends every retry wait at once (the bot is stopping). */
  halt: AbortController;
}

/** Methods that must not wait in the per-chat send queue: they are not messages and are not rate-limited like them. */
const UNTHROTTLED = new Set(['sendChatAction', 'answerCallbackQuery', 'answerInlineQuery', 'getFile', 'getUpdates', 'getMe']);

/**
 * Builds the bot (does not start it; see `startBot`).
 *
 * @example
 * const { bot } = createBot({ config, engine: new EngineHolder(searchEngine), kit: await loadAnswerKit() });
 * await bot.start();
 */
export function createBot(options: CreateBotOptions): FuhanBot {
  const { config } = options;
  const log: BotLog = options.log ?? ((line) => console.error(line));
  if (!config.botToken) throw new Error('BOT_TOKEN is not set');
  const apiRoot = config.telegramApi?.replace(/\/+$/, '');
  const bot = new Bot(config.botToken, {
    client: apiRoot ? { apiRoot } : undefined,
    botInfo: options.botInfo,
  });

  const halt = new AbortController();
  // Innermost first: every attempt has a deadline; the throttler paces messages; outermost, a 429 is
  // waited out (the reply queued) and a network failure retried, all bounded and stopped by `halt`.
  bot.api.config.use(requestDeadline(options.deadlineSeconds));
  if (options.throttle !== false) bot.api.config.use(selectiveThrottler(apiThrottler(options.throttle)));
  bot.api.config.use(retryRequests({ maxWaitSeconds: options.maxRateLimitWaitSeconds, stopSignal: halt.signal, log }));

  const deps: BotDeps = { config, engine: options.engine, kit: options.kit, cache: new AnswerCache(), stats: new BotStats(), log, conversations: conversationSessions(config, log) };

  // Updates of one chat are handled in order (the runner otherwise handles them concurrently).
  bot.use(sequentialize((ctx: Context) => ctx.chat?.id.toString() ?? ctx.from?.id.toString()));
  bot.use(accessGate(deps, new RefusalMemo()));
  // Per-chat conversations (follow-up questions), in memory or in Redis (FUHAN_REDIS_URL).
  bot.use(deps.conversations.middleware);
  bot.use(markCommands); // "/new" relayed without its entity is still the command
  registerCommands(bot, deps);
  registerImport(bot, deps); // before the text handler: an admin's link is an import, not a question

  bot.on('message:text', async (ctx) => {
    const text = ctx.message.text;
    if (ctx.chat.type === 'private') {
      if (text.startsWith('/')) {
        await ctx.reply(textsFor(chooseLanguage(undefined, ctx.from.language_code)).unknownCommand);
        return;
      }
      await replyWithAnswer(ctx, deps, text);
      return;
    }
    const question = questionForBot(ctx.message, ctx.me);
    if (question === null || text.startsWith('/')) return; // not for us: stay silent in groups
    await replyWithAnswer(ctx, deps, question);
  });

  bot.on('message:photo', (ctx) => replyToCaption(ctx, deps));
  bot.on('message:document', (ctx) => handleLetterUpload(ctx, deps));
  bot.on('callback_query:data', (ctx) => handleAnswerButton(ctx, deps));
  bot.on('callback_query', (ctx) => ctx.answerCallbackQuery());
  bot.on('inline_query', (ctx) => handleInlineQuery(ctx, deps));

  // Stickers, photos, voice… in a private chat get a polite pointer; in groups, silence.
  bot.on('message', async (ctx) => {
    if (ctx.chat.type !== 'private') return;
    await ctx.reply(textsFor(chooseLanguage(undefined, ctx.from?.language_code)).unsupported);
  });

  bot.catch(async (err) => {
    const ctx = err.ctx;
    const cause = err.error instanceof Error ? err.error.message : String(err.error);
    log(`update ${ctx.update.update_id} failed: ${cause}`, 'error');
    if (halt.signal.aborted) return; // stopping: no apology round-trips
    const t = textsFor(chooseLanguage(undefined, ctx.from?.language_code));
    // Telegram asked for a longer wait than a reply may be queued: say so plainly, and when to ask again.
    const retryAfter = err.error instanceof GrammyError && err.error.error_code === 429 ? err.error.parameters.retry_after : undefined;
    const apology = retryAfter !== undefined ? t.rateLimited(Math.max(1, Math.ceil(retryAfter / 60))) : t.failed;
    try {
      if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: apology });
      else if (ctx.chat?.type === 'private' || retryAfter !== undefined) await ctx.reply(apology);
    } catch {
      // The apology itself failed (network, blocked bot): nothing more to do for this update.
    }
  });

  return { bot, deps, halt };
}

/** Refuses chats outside FUHAN_ALLOWED_CHATS, in one line, only where the bot was addressed, once per chat per hour. */
function accessGate(deps: BotDeps, refusals: RefusalMemo) {
  return async (ctx: Context, next: () => Promise<void>): Promise<void> => {
    if (isAllowed(deps.config, ctx.chat?.id, ctx.from?.id)) return next();
    const t = textsFor(chooseLanguage(undefined, ctx.from?.language_code));
    if (ctx.inlineQuery) {
      await ctx.answerInlineQuery([], { cache_time: 60, is_personal: true });
      return;
    }
    if (ctx.callbackQuery) {
      await ctx.answerCallbackQuery({ text: t.notAllowed });
      return;
    }
    const message = ctx.message;
    if (!message) return;
    const text = message.text ?? '';
    const command = /^\/\w+(?:@(\w+))?/.exec(text);
    const addressed =
      message.chat.type === 'private' ||
      (command !== null && (command[1] === undefined || command[1].toLowerCase() === ctx.me.username.toLowerCase())) ||
      (message.text !== undefined && questionForBot(message, ctx.me) !== null);
    if (addressed && refusals.shouldRefuse(message.chat.id)) await ctx.reply(t.notAllowed);
  };
}

/** The throttler, bypassed for methods that are not chat messages (typing, callback/inline answers). */
function selectiveThrottler(throttler: Transformer): Transformer {
  return (prev, method, payload, signal) => (UNTHROTTLED.has(method) ? prev(method, payload, signal) : throttler(prev, method, payload, signal));
}
