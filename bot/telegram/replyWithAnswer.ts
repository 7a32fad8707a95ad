/**
 * Answers one question in a chat: typing indicator, the answer composer, HTML rendering, buttons,
 * and bookkeeping (answer cache for buttons and /cite, latency stats).
 */
import type { Context } from 'grammy';
import type { Answer } from '../answerTypes.ts';
import { answerKeyboard } from './answerKeyboard.ts';
import type { BotDeps } from './botDeps.ts';
import { chooseLanguage, textsFor } from './botTexts.ts';
import { renderAnswerBlocks } from './renderHtml.ts';
import { sendHtml } from './sendHtml.ts';
import { safeBoundary } from './splitMessage.ts';
import { withTyping } from './typingIndicator.ts';

/** Questions longer than this are cut before searching (a pasted article is not a question). */
export const MAX_QUESTION_CHARS = 1000;

/** A topic-less /commitments lists every letter's plans: show the first ones, the rest are a topic away. */
const MAX_COMMITMENTS_SHOWN = 12;

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
  if (kind === 'question' && question === '') {
    await ctx.reply(t.emptyQuestion, { reply_parameters: replyTo ? { message_id: replyTo, allow_sending_without_reply: true } : undefined });
    return;
  }
  const engine = deps.engine.current;
  const started = performance.now();
  let answer: Answer;
  try {
    answer = await withTyping(ctx.api, chatId, () =>
      kind === 'commitments'
        ? deps.kit.listCommitments(engine, question || undefined, lang)
        : deps.kit.answerQuestion(engine, question, { page: 1, perPage: PER_PAGE, llm: deps.config.llm }),
    );
  } catch (err) {
    deps.log(`answer failed for ${JSON.stringify(question.slice(0, 80))}: ${err instanceof Error ? err.message : String(err)}`);
    await ctx.reply(t.failed);
    return;
  }
  deps.stats.recordAnswer(performance.now() - started);
  const id = deps.cache.add({ chatId, kind, question, page: 1, answer });
  await sendHtml(ctx, renderAnswerBlocks(answer, { maxCitations: kind === 'commitments' ? MAX_COMMITMENTS_SHOWN : undefined, publicUrl: deps.config.publicUrl }), {
    keyboard: answerKeyboard(answer, id, 1),
    replyTo,
  });
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
