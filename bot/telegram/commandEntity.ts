/**
 * A message whose text starts with a /command but carries no `bot_command` entity gets one, as
 * Telegram's own servers add it to every message a client sends. grammY's `bot.command()` matches
 * on the entity alone, so without this a "/new" relayed as plain text (a Bot API emulator, a bridge,
 * a script calling sendMessage) fell through to the text handler and was told 「没有这个命令」 while
 * the same command with its entity reset the conversation.
 */
import type { Context, NextFunction } from 'grammy';

// Telegram's command syntax: up to 32 letters, digits and underscores, optionally @botname.
const LEADING_COMMAND = /^\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,64})?(?=\s|$)/;

/**
 * The command a text starts with, as Telegram would mark it; null when it starts with none.
 *
 * @example
 * leadingCommand('/new')          // → { offset: 0, length: 4 }
 * leadingCommand('/ask@fuhan_bot 青岛') // → { offset: 0, length: 14 }
 * leadingCommand('/ 不是命令')    // → null
 */
export function leadingCommand(text: string): { offset: 0; length: number } | null {
  const m = LEADING_COMMAND.exec(text);
  return m ? { offset: 0, length: m[0].length } : null;
}

/**
 * Middleware: adds the missing `bot_command` entity to a message (or caption-less text) that starts
 * with a command. Messages that already carry entities at offset 0 are left alone.
 *
 * @example
 * bot.use(markCommands); // before bot.command(…)
 */
export async function markCommands(ctx: Context, next: NextFunction): Promise<void> {
  const message = ctx.message ?? ctx.editedMessage;
  const text = message?.text;
  if (message && text) {
    const command = leadingCommand(text);
    if (command && !message.entities?.some((e) => e.offset === 0 && e.type === 'bot_command')) {
      message.entities = [{ type: 'bot_command', ...command }, ...(message.entities ?? []).filter((e) => e.offset >= command.length)];
    }
  }
  await next();
}
