/**
 * Sends HTML blocks as one or more Telegram messages (split at 4096 characters between blocks),
 * with the keyboard on the last message and, in groups, the first message replying to the question.
 */
import type { Context, InlineKeyboard } from 'grammy';
import type { Message } from 'grammy/types';
import { splitMessage } from './splitMessage.ts';

export interface SendHtmlOptions {
  keyboard?: InlineKeyboard;
  /** Reply to this message (used in groups so the answer is attached to its question). */
  replyTo?: number;
}

/**
 * @example
 * await sendHtml(ctx, ['<b>Q:</b> …', '<blockquote>…</blockquote>\n[1] …'], { keyboard })
 */
export async function sendHtml(ctx: Context, blocks: string[], options: SendHtmlOptions = {}): Promise<Message.TextMessage[]> {
  const messages = splitMessage(blocks);
  const sent: Message.TextMessage[] = [];
  for (let i = 0; i < messages.length; i++) {
    const last = i === messages.length - 1;
    sent.push(
      await ctx.reply(messages[i]!, {
        parse_mode: 'HTML',
        link_preview_options: { is_disabled: true },
        reply_markup: last ? options.keyboard : undefined,
        reply_parameters: i === 0 && options.replyTo !== undefined ? { message_id: options.replyTo, allow_sending_without_reply: true } : undefined,
      }),
    );
  }
  return sent;
}
