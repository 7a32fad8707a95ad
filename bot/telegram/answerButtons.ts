/**
 * What the inline buttons under an answer do: show a quote's full passage, give a citation to
 * copy, open the whole letter, or replace the answer with its next page. Anything stale or forged
 * gets a short note in the callback toast, never an exception.
 */
import type { Context } from 'grammy';
import { GrammyError } from 'grammy';
import { answerKeyboard } from './answerKeyboard.ts';
import type { BotDeps } from './botDeps.ts';
import { chooseLanguage, textsFor } from './botTexts.ts';
import { decodeCallback } from './callbackData.ts';
import { escapeHtml, renderAnswerBlocks, renderLetterBlocks, renderPassageBlocks } from './renderHtml.ts';
import { listingPage, PER_PAGE } from './replyWithAnswer.ts';
import { sendHtml } from './sendHtml.ts';
import { splitMessage } from './splitMessage.ts';

/**
 * Handles a `callback_query` with data.
 *
 * @example
 * bot.on('callback_query:data', (ctx) => handleAnswerButton(ctx, deps));
 */
export async function handleAnswerButton(ctx: Context, deps: BotDeps): Promise<void> {
  const query = ctx.callbackQuery;
  if (!query) return;
  const payload = decodeCallback(query.data);
  const chatId = ctx.chat?.id;
  if (payload?.action === 'w') {
    await showLetterByNumber(ctx, deps, payload.n);
    return;
  }
  const entry = payload && chatId !== undefined ? deps.cache.get(payload.answer, chatId) : undefined;
  const lang = entry?.answer.lang ?? chooseLanguage(undefined, ctx.from?.language_code);
  const t = textsFor(lang);
  if (!payload || !entry) {
    await acknowledge(ctx, t.staleButton);
    return;
  }
  const engine = deps.engine.current;
  if (payload.action === 'm') {
    // A listing is paged from the listing kept in the cache; a question is asked again for that page.
    const listing = entry.kind === 'commitments';
    const answer = listing
      ? listingPage(entry.answer, payload.n)
      : await deps.kit.answerQuestion(engine, entry.question, { page: payload.n, perPage: PER_PAGE, llm: deps.config.llm, filters: entry.filters, lang: entry.answer.lang });
    if (answer.citations.length === 0) {
      await acknowledge(ctx, t.noMore);
      return;
    }
    await acknowledge(ctx);
    let id = entry.id;
    if (listing) deps.cache.update({ ...entry, page: payload.n });
    else id = deps.cache.add({ ...entry, page: payload.n, answer });
    const messages = splitMessage(renderAnswerBlocks(answer, { page: payload.n, publicUrl: deps.config.publicUrl }));
    const keyboard = answerKeyboard(answer, id, payload.n);
    const first = messages[0]!;
    const rest = messages.slice(1);
    try {
      await ctx.editMessageText(first, { parse_mode: 'HTML', link_preview_options: { is_disabled: true }, reply_markup: rest.length === 0 ? keyboard : undefined });
    } catch (err) {
      // "message is not modified" or a message too old to edit: send the page as a new message instead.
      if (!(err instanceof GrammyError)) throw err;
      rest.unshift(first);
    }
    for (let i = 0; i < rest.length; i++) {
      await ctx.reply(rest[i]!, { parse_mode: 'HTML', link_preview_options: { is_disabled: true }, reply_markup: i === rest.length - 1 ? keyboard : undefined });
    }
    return;
  }
  const citation = entry.answer.citations.find((c) => c.n === payload.n);
  if (!citation) {
    await acknowledge(ctx, t.staleButton);
    return;
  }
  await acknowledge(ctx);
  if (payload.action === 'c') {
    await sendHtml(ctx, [`<code>${escapeHtml(deps.kit.formatCitationLine(citation, lang, deps.config.publicUrl))}</code>`]);
    return;
  }
  if (payload.action === 'p') {
    const passage = engine.passagesOf(citation.letter).find((p) => p.id === citation.passageId);
    if (!passage) {
      await ctx.reply(t.letterNotFound);
      return;
    }
    await sendHtml(ctx, renderPassageBlocks(citation, passage, lang));
    return;
  }
  // 'l': the whole letter.
  const letter = engine.letter(citation.letter);
  const ref = engine.letterRef(citation.letter);
  if (!letter || !ref) {
    await ctx.reply(t.letterNotFound);
    return;
  }
  await sendHtml(ctx, renderLetterBlocks(letter, ref, lang));
}

/** The "whole letter" button under /letter N. */
async function showLetterByNumber(ctx: Context, deps: BotDeps, n: number): Promise<void> {
  const lang = chooseLanguage(undefined, ctx.from?.language_code);
  const engine = deps.engine.current;
  const description = deps.kit.describeLetter(engine, n);
  const letter = description ? engine.letter(description.row.id) : undefined;
  const ref = description ? engine.letterRef(description.row.id) : undefined;
  if (!letter || !ref) {
    await acknowledge(ctx, textsFor(lang).letterNotFound);
    return;
  }
  await acknowledge(ctx);
  await sendHtml(ctx, renderLetterBlocks(letter, ref, lang));
}

/**
 * Answers the callback (stops the button's spinner, optionally with a toast). Best effort: a query
 * older than Telegram accepts fails, and that must not stop the action the button asked for.
 */
async function acknowledge(ctx: Context, text?: string): Promise<void> {
  try {
    await ctx.answerCallbackQuery(text === undefined ? undefined : { text });
  } catch {
    // "query is too old" and the like: the user still gets the result below.
  }
}
