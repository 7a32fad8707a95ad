/**
 * Inline mode: `@bot question` in any chat offers citation cards — a verbatim quote with its
 * citation line — that a journalist can drop into a conversation.
 */
import type { Context } from 'grammy';
import type { InlineQueryResultArticle } from 'grammy/types';
import type { Answer, AnswerLang, Citation } from '../answerTypes.ts';
import { formatDate } from '../answer/answerLabels.ts';
import type { BotDeps } from './botDeps.ts';
import { textsFor } from './botTexts.ts';
import { escapeHtml, renderAttribution, renderLetterLine, truncateText } from './renderHtml.ts';
import { limitQuestion } from './replyWithAnswer.ts';
import { TELEGRAM_MESSAGE_LIMIT, safeBoundary } from './splitMessage.ts';

/** Telegram accepts at most 50 results per inline answer; a handful of quotes is what people scan. */
const MAX_CARDS = 10;

/**
 * Citation cards for an answer: title = short quote, description = issuer · date,
 * message = the quote and its citation line.
 *
 * @example
 * inlineCards(answer)[0].title // → '2023年12月,上合示范区管委会与中华(澳门)…'
 */
export function inlineCards(answer: Answer): InlineQueryResultArticle[] {
  if (answer.refused || answer.citations.length === 0) return refusalCard(answer);
  return answer.citations.slice(0, MAX_CARDS).map((c) => ({
    type: 'article',
    id: `c${c.n}-${c.passageId}`.slice(0, 64),
    title: truncateText(c.quote, 60),
    description: describe(c, answer.lang),
    input_message_content: {
      message_text: cardMessage(c, answer.lang),
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
    },
  }));
}

function describe(c: Citation, lang: AnswerLang): string {
  const unknown = textsFor(lang).unknown;
  return [c.issuer ?? unknown, c.date ? formatDate(c.date, lang) : unknown].join(' · ');
}

function cardMessage(c: Citation, lang: AnswerLang): string {
  const line = renderAttribution(c, lang, true).replace(/^<b>\[\d+\]<\/b> /, '');
  const room = TELEGRAM_MESSAGE_LIMIT - line.length - 40;
  let quote = escapeHtml(c.quote);
  // A card is one message; an over-long quote is shortened visibly (…) at a character boundary.
  if (quote.length > room) quote = escapeHtml(c.quote.slice(0, safeBoundary(c.quote, Math.floor(room / 2)))) + '…';
  return `<blockquote>${quote}</blockquote>\n${line}`;
}

function refusalCard(answer: Answer): InlineQueryResultArticle[] {
  const t = textsFor(answer.lang);
  const nearest = answer.nearest.slice(0, 5).map((l) => `• ${renderLetterLine(l, answer.lang)}`);
  return [
    {
      type: 'article',
      id: 'none',
      title: t.inlineNoAnswer,
      description: truncateText(answer.question, 60),
      input_message_content: {
        message_text: [`<b>${escapeHtml(t.inlineNoAnswer)}</b>: ${escapeHtml(truncateText(answer.question, 200))}`, ...nearest].join('\n'),
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
      },
    },
  ];
}

/**
 * Handles an inline query.
 *
 * @example
 * bot.on('inline_query', (ctx) => handleInlineQuery(ctx, deps));
 */
export async function handleInlineQuery(ctx: Context, deps: BotDeps): Promise<void> {
  const query = ctx.inlineQuery;
  if (!query) return;
  const question = limitQuestion(query.query);
  // One or two characters are someone still typing: nothing useful to search yet.
  if ([...question].length < 2) {
    await ctx.answerInlineQuery([], { cache_time: 5 });
    return;
  }
  const started = performance.now();
  const answer = await deps.kit.answerQuestion(deps.engine.current, question, { page: 1, perPage: MAX_CARDS });
  deps.stats.recordAnswer(performance.now() - started);
  await ctx.answerInlineQuery(inlineCards(answer), { cache_time: 300 });
}
