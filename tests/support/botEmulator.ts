/**
 * Driving the Telegram Bot API emulator (telegram-test-api) as users would: send messages and
 * button presses, and read what the bot sent back (edits applied). Loopback only, free ports.
 */
import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { freePort } from './freePort.ts';

/** The emulator's bot (getMe). */
export const EMULATOR_BOT = { id: 666, username: 'TestNameBot' };

export interface BotMessage {
  messageId: number;
  text: string;
  replyMarkup?: { inline_keyboard: { text: string; callback_data?: string }[][] };
}


const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * @example
 * const emulator = await Emulator.start(TOKEN);
 * const replies = await emulator.ask(1001, '青岛和MOX合作做了什么？');
 */
export class Emulator {
  private constructor(
    readonly server: TelegramServer,
    readonly token: string,
  ) {}

  static async start(token: string): Promise<Emulator> {
    const server = new TelegramServer({ port: await freePort(), host: '127.0.0.1', storeTimeout: 600 });
    await server.start();
    return new Emulator(server, token);
  }

  get apiUrl(): string {
    return this.server.config.apiURL;
  }

  async stop(): Promise<void> {
    await this.server.stop();
  }

  /** What the bot has sent to a chat so far, oldest first. */
  messages(chatId: number): BotMessage[] {
    return this.server.storage.botMessages
      .filter((u) => u.botToken === this.token && String(u.message.chat_id) === String(chatId))
      .map((u) => {
        const m = u.message as unknown as Record<string, unknown>;
        return { messageId: u.messageId, text: String(m.text ?? ''), replyMarkup: m.reply_markup as BotMessage['replyMarkup'] };
      });
  }

  client(userId: number, chat: { chatId?: number; type?: 'private' | 'group' } = {}) {
    return this.server.getClient(this.token, { userId, chatId: chat.chatId ?? userId, type: chat.type ?? 'private', firstName: `User${userId}`, userName: `user${userId}`, timeout: 5000 });
  }

  /** Waits until the chat has at least one new bot message and none arrived for a moment. */
  async replies(chatId: number, before: number, timeoutMs = 30_000): Promise<BotMessage[]> {
    const deadline = Date.now() + timeoutMs;
    let count = this.messages(chatId).length;
    let lastChange = Date.now();
    while (Date.now() < deadline) {
      await sleep(25);
      const now = this.messages(chatId).length;
      if (now !== count) {
        count = now;
        lastChange = Date.now();
      }
      if (count > before && Date.now() - lastChange >= 300) return this.messages(chatId).slice(before);
    }
    throw new Error(`no reply in chat ${chatId} within ${timeoutMs} ms`);
  }

  /** Sends a message (text plus any extra fields) as a user and returns the bot's replies. */
  async ask(userId: number, text: string, extra: Record<string, unknown> = {}, chat: { chatId?: number; type?: 'private' | 'group' } = {}): Promise<BotMessage[]> {
    const client = this.client(userId, chat);
    const chatId = chat.chatId ?? userId;
    const before = this.messages(chatId).length;
    const message = client.makeMessage(text, extra);
    if (text === '' && 'text' in message) delete (message as { text?: string }).text;
    await client.sendMessage(message);
    return this.replies(chatId, before);
  }

  /** Sends a /command as a user and returns the bot's replies. */
  async command(userId: number, text: string, extra: Record<string, unknown> = {}): Promise<BotMessage[]> {
    const client = this.client(userId);
    const before = this.messages(userId).length;
    await client.sendCommand(client.makeCommand(text, extra));
    return this.replies(userId, before);
  }

  /** Presses an inline button under a message in a private chat. */
  async press(userId: number, message: BotMessage, data: string): Promise<void> {
    const client = this.client(userId);
    await client.sendCallback(client.makeCallbackQuery(data, { message: { message_id: message.messageId, chat: { id: userId, type: 'private' }, date: Math.floor(Date.now() / 1000) } }));
  }
}

/** Inline buttons of a message, flattened. */
export function buttons(message: BotMessage): { text: string; data: string }[] {
  return (message.replyMarkup?.inline_keyboard ?? []).flat().map((b) => ({ text: b.text, data: b.callback_data ?? '' }));
}

/** The letters an answer shows (its 📄 lines), and its first quote. */
export function shown(replies: BotMessage[]): { letters: string[]; firstQuote: string; html: string } {
  const html = replies.map((r) => r.text).join('\n');
  return {
    html,
    letters: html.split('\n').filter((l) => l.startsWith('📄')),
    firstQuote: /<blockquote>([^<]*)/.exec(html)?.[1] ?? '',
  };
}
