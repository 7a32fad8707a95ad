/**
 * Whether a message is meant for the bot, and what the question is once the mention is removed.
 * In a private chat everything is for the bot; in a group the bot speaks only when spoken to
 * (an @mention, a reply to one of its messages, or /ask) so it never floods a conversation.
 */
import type { Message, UserFromGetMe } from 'grammy/types';

/**
 * The question in a group message addressed to the bot (mention stripped), or null when the
 * message is not for the bot.
 *
 * @example
 * questionForBot({ text: '@FuhanBot 青岛和MOX合作做了什么？', chat: { type: 'group' } … }, me) // → '青岛和MOX合作做了什么？'
 */
export function questionForBot(message: Message, me: Pick<UserFromGetMe, 'id' | 'username'>): string | null {
  const text = message.text ?? message.caption ?? '';
  if (message.chat.type === 'private') return text.trim();
  const mention = `@${me.username}`.toLowerCase();
  const entities = message.entities ?? message.caption_entities ?? [];
  let mentioned = false;
  let stripped = text;
  for (const e of entities) {
    if (e.type === 'mention' && text.slice(e.offset, e.offset + e.length).toLowerCase() === mention) mentioned = true;
    if (e.type === 'text_mention' && e.user.id === me.id) mentioned = true;
  }
  // Entities are not always present (some clients, forwarded text): fall back to the literal @name.
  if (!mentioned && text.toLowerCase().includes(mention)) mentioned = true;
  if (mentioned) stripped = removeMention(text, me.username);
  const repliedToBot = message.reply_to_message?.from?.id === me.id;
  if (!mentioned && !repliedToBot) return null;
  return stripped.trim();
}

function removeMention(text: string, username: string): string {
  const escaped = username.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(`@${escaped}\\b`, 'gi'), ' ').replace(/\s+/g, ' ');
}
