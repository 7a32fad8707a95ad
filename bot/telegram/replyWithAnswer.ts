/**
 * Answers one question in a chat: the conversation layer reads it against the thread's previous
 * turn, then typing indicator, the answer composer, HTML rendering (with the «理解为：…» line of a
 * follow-up), buttons, and bookkeeping (conversation state, answer cache for buttons and /cite, stats).
 */
import type { Context } from 'grammy';
import type { Answer } from '../answerTypes.ts';
import type { Reading } from '../conversation/conversation.ts';
import { conversationTexts } from '../conversation/conversationTexts.ts';
import { answerKeyboard } from './answerKeyboard.ts';
import type { BotDeps } from './botDeps.ts';
import { chooseLanguage, textsFor } from './botTexts.ts';
import { loadState, saveState, threadOf } from './conversationSessions.ts';
import { questionForBot } from './addressing.ts';
import { escapeHtml, renderAnswerBlocks } from './renderHtml.ts';
import { sendHtml } from './sendHtml.ts';
import { safeBoundary } from './splitMessage.ts';
import { withTyping } from './typingIndicator.ts';

/** Questions longer than this are cut before searching (a pasted article is not a question). */
export const MAX_QUESTION_CHARS = 1000;

/** A commitments listing shows this many quotes per page ("more" shows the next ones). */
export const COMMITMENTS_PER_PAGE = 12;

/** Quotes per page of an answer in Telegram. */
export const PER_PAGE = 5;

export type AnswerKind = 'question' | 'commitments';

/**
 * Answers `question` (or lists commitments on a topic) in the chat of `ctx`.
 *
 * @example
 * bot.on('message:text', (ctx) => replyWithAnswer(ctx, deps, ctx.message.text));
 */
export async function replyWithAnswer(ctx: Context, deps: BotDeps, rawQuestion: string, kind: AnswerKind = 'question'): Promise<void> {
  const chatId = ctx.chat?.id;
  if (chatId === undefined) return;
  const question = limitQuestion(rawQuestion);
  const lang = chooseLanguage(question, ctx.from?.language_code);
  const t = textsFor(lang);
  const replyTo = ctx.chat?.type === 'private' ? undefined : ctx.msg?.message_id;
  const replyParameters = replyTo ? { message_id: replyTo, allow_sending_without_reply: true } : undefined;
  if (kind === 'question' && question === '') {
    // "/ask" alone needs the command's usage; a message of only spaces just needs a question.
    const command = (ctx.msg?.text ?? '').trimStart().startsWith('/');
    await ctx.reply(command ? t.emptyQuestion : conversationTexts(lang).blank, { reply_parameters: replyParameters });
    return;
  }
  const engine = deps.engine.current;
  const { conversation } = deps.conversations;
  const thread = threadOf(ctx);
  const state = loadState(ctx, thread);
  const reading: Reading =
    kind === 'question'
      ? await conversation.read(engine, question, state, { lang })
      : { kind: 'question', how: 'standalone', question, topic: question, lang };
  if (reading.kind === 'notice') {
    await ctx.reply(reading.notice ?? '', { reply_parameters: replyParameters });
    return;
  }
  if (reading.kind === 'reset') {
    saveState(ctx, thread, { at: Date.now() }, []);
    await ctx.reply(conversationTexts(reading.lang).reset, { reply_parameters: replyParameters });
    return;
  }
  const started = performance.now();
  let answer: Answer;
  try {
    answer = await withTyping(ctx.api, chatId, () =>
      kind === 'commitments'
        ? deps.kit.listCommitments(engine, question || undefined, lang)
        : deps.kit.answerQuestion(engine, reading.question, { page: 1, perPage: PER_PAGE, llm: deps.config.llm, filters: reading.filters, lang: reading.lang }),
    );
  } catch (err) {
    deps.log(`answer failed for ${JSON.stringify(question.slice(0, 80))}: ${err instanceof Error ? err.message : String(err)}`);
    await ctx.reply(t.failed);
    return;
  }
  deps.stats.recordAnswer(performance.now() - started);
  const id = deps.cache.add({ chatId, kind, question: reading.question, filters: reading.filters, page: 1, answer });
  const shown = kind === 'commitments' ? listingPage(answer, 1) : answer;
  const sent = await sendHtml(ctx, answerBlocks(shown, reading, question, 1, deps.config.publicUrl), { keyboard: answerKeyboard(shown, id, 1), replyTo });
  // A topic-less listing of every letter's plans is no subject to follow up on.
  if (kind === 'question' || question !== '') {
    saveState(ctx, thread, conversation.remember(state, reading, answer), sent.map((m) => m.message_id));
  }
}

/**
 * A photo whose caption is a question is answered like a text message; a bare photo in a private
 * chat gets the polite "text only" note, and in a group silence.
 */
export async function replyToCaption(ctx: Context, deps: BotDeps): Promise<void> {
  const message = ctx.msg;
  if (!message || !ctx.chat) return;
  const caption = message.caption?.trim() ?? '';
  if (ctx.chat.type === 'private') {
    if (caption === '') await ctx.reply(textsFor(chooseLanguage(undefined, ctx.from?.language_code)).unsupported);
    else await replyWithAnswer(ctx, deps, caption);
    return;
  }
  const question = questionForBot(message, ctx.me);
  if (question) await replyWithAnswer(ctx, deps, question);
}

/**
 * The HTML blocks of an answer; a follow-up echoes the message as written and says, in one line
 * under it, how it was read, so the user can see and correct it.
 */
export function answerBlocks(answer: Answer, reading: Pick<Reading, 'readAs' | 'lang'> | undefined, message: string, page = 1, publicUrl?: string): string[] {
  if (!reading?.readAs) return renderAnswerBlocks(answer, { page, publicUrl });
  const blocks = renderAnswerBlocks({ ...answer, question: message }, { page, publicUrl });
  blocks.splice(1, 0, `<i>${escapeHtml(conversationTexts(reading.lang).readAs + reading.readAs)}</i>`);
  return blocks;
}

/**
 * One page of a commitments listing: its quotes `COMMITMENTS_PER_PAGE` at a time, with `hasMore`
 * set while quotes remain (the listing is computed once; paging only slices it).
 *
 * @example
 * listingPage(listing, 2).citations[0].n // → 13
 */
export function listingPage(listing: Answer, page: number): Answer {
  const from = (page - 1) * COMMITMENTS_PER_PAGE;
  const citations = listing.citations.slice(from, from + COMMITMENTS_PER_PAGE);
  const numbers = new Set(citations.map((c) => c.n));
  const groups = listing.groups.map((g) => ({ ...g, citations: g.citations.filter((n) => numbers.has(n)) })).filter((g) => g.citations.length > 0);
  return { ...listing, citations, groups, page, hasMore: listing.citations.length > from + COMMITMENTS_PER_PAGE };
}

/**
 * A question trimmed to at most MAX_QUESTION_CHARS (never cutting an emoji).
 *
 * @example
 * limitQuestion('x'.repeat(10_000)).length // → 1000
 */
export function limitQuestion(text: string): string {
  const trimmed = text.trim();
  return trimmed.length <= MAX_QUESTION_CHARS ? trimmed : trimmed.slice(0, safeBoundary(trimmed, MAX_QUESTION_CHARS));
}
