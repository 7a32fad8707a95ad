/**
 * Who may use the bot. The letters are public, so by default everyone may ask; an operator can
 * restrict the bot to some chats (FUHAN_ALLOWED_CHATS). Admins (FUHAN_ADMINS) may always use it and
 * alone may reload, see stats and upload letters.
 */
import type { Config } from '../config.ts';

/**
 * Whether a chat (or, for inline queries, a user) may be served.
 *
 * @example
 * isAllowed({ allowedChats: [42], admins: [] }, 42, 7) // → true
 * isAllowed({ allowedChats: [42], admins: [] }, 43, 7) // → false
 * isAllowed({ admins: [] }, 43, 7)                     // → true (no list: everyone)
 */
export function isAllowed(config: Pick<Config, 'allowedChats' | 'admins'>, chatId: number | undefined, userId: number | undefined): boolean {
  if (userId !== undefined && config.admins.includes(userId)) return true;
  if (config.allowedChats === undefined) return true;
  if (chatId !== undefined && config.allowedChats.includes(chatId)) return true;
  // Inline queries have no chat: the user's private chat id equals their user id.
  if (chatId === undefined && userId !== undefined && config.allowedChats.includes(userId)) return true;
  return false;
}

/**
 * Whether a user is an admin.
 *
 * @example
 * isAdmin({ admins: [7] }, 7) // → true
 */
export function isAdmin(config: Pick<Config, 'admins'>, userId: number | undefined): boolean {
  return userId !== undefined && config.admins.includes(userId);
}

/**
 * Remembers when each chat was last told it may not use the bot, so the refusal is said once per
 * chat per hour and the bot is silent in between (a refused group does not get a refusal under
 * every message). Memory stays bounded: entries older than the interval are dropped as it grows.
 *
 * @example
 * const refusals = new RefusalMemo();
 * refusals.shouldRefuse(-100123) // → true (say it)
 * refusals.shouldRefuse(-100123) // → false for the next hour
 */
export class RefusalMemo {
  private readonly told = new Map<number, number>();

  constructor(
    private readonly intervalMs = 60 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  shouldRefuse(chatId: number): boolean {
    const at = this.now();
    const last = this.told.get(chatId);
    if (last !== undefined && at - last < this.intervalMs) return false;
    if (this.told.size >= 10_000) for (const [id, when] of this.told) if (at - when >= this.intervalMs) this.told.delete(id);
    this.told.set(chatId, at);
    return true;
  }
}
