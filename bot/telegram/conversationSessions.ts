/**
 * Conversations in Telegram, kept per chat by grammY's session plugin. The storage is in memory by
 * default (one bot process); with `FUHAN_REDIS_URL` it is Redis (`@grammyjs/storage-redis`), so
 * several bot processes behind one webhook load balancer continue the same conversations.
 *
 * A private chat has one conversation. In a group each thread is one: a reply to one of the bot's
 * answers continues that answer's conversation, a new mention (or /ask) starts a new one.
 */
import { MemorySessionStorage, session, type Context, type MiddlewareFn, type SessionFlavor, type StorageAdapter } from 'grammy';
import type { Config } from '../config.ts';
import { Conversation } from '../conversation/conversation.ts';
import { parseState, type ConversationState } from '../conversation/conversationState.ts';
import { llmRewriter } from '../conversation/llmRewrite.ts';

/** What one chat's session holds. */
export interface ChatConversations {
  /** The private chat's conversation. */
  current?: ConversationState;
  /** Group threads: the conversation of each answer message (by message id), newest last. */
  threads?: Record<string, ConversationState>;
}

/** Group threads remembered per chat (older ones are forgotten first). */
const MAX_THREADS = 40;

export type ConversationContext = Context & SessionFlavor<ChatConversations>;

/** The session middleware, the conversation rules, and a way to close the storage. */
export interface ConversationSessions {
  conversation: Conversation;
  middleware: MiddlewareFn<Context>;
  /** Whether conversations are shared through Redis. */
  shared: boolean;
  close(): Promise<void>;
}

/**
 * Session storage and conversation rules for the bot, from the configuration.
 *
 * @example
 * const sessions = conversationSessions(config);
 * bot.use(sessions.middleware);
 */
export function conversationSessions(
  config: Pick<Config, 'redisUrl' | 'conversationTtlMinutes' | 'llm'>,
  log: (line: string) => void = (line) => console.error(line),
): ConversationSessions {
  const ttlMs = (config.conversationTtlMinutes ?? 30) * 60_000;
  const conversation = new Conversation({ ttlMs, rewrite: config.llm ? llmRewriter(config.llm, log) : undefined });
  let storage: StorageAdapter<ChatConversations>;
  let close = async () => {};
  if (config.redisUrl) {
    const url = config.redisUrl;
    // Loaded on first use: a bot without Redis never loads ioredis.
    const connected = Promise.all([import('ioredis'), import('@grammyjs/storage-redis')]).then(([{ Redis }, { RedisAdapter }]) => {
      const redis = new Redis(url, { maxRetriesPerRequest: 2, connectTimeout: 5_000 });
      // An outage is said once a minute, not once per reconnection attempt.
      let lastError = 0;
      redis.on('error', (err: Error) => {
        if (Date.now() - lastError < 60_000) return;
        lastError = Date.now();
        log(`conversation store (Redis ${redactUrl(url)}) unavailable, follow-ups start afresh meanwhile: ${err.message}`);
      });
      // The Redis socket must not keep a stopped bot's process alive (polling or the webhook server does that while it runs).
      redis.on('connect', () => (redis as unknown as { stream?: { unref?: () => void } }).stream?.unref?.());
      // Keys outlive the conversation (a day at least): Redis drops the idle ones itself.
      const adapter = new RedisAdapter<ChatConversations>({ instance: redis, ttl: Math.ceil(Math.max(ttlMs / 1000, 86_400)) });
      return { redis, adapter };
    });
    // Redis down: the question is still answered, as a new conversation; nothing waits or fails for it.
    storage = {
      read: async (key) => {
        try {
          return await (await connected).adapter.read(key);
        } catch {
          return undefined;
        }
      },
      write: async (key, value) => {
        try {
          await (await connected).adapter.write(key, value);
        } catch {
          // Said by the error listener; this turn is not remembered.
        }
      },
      delete: async (key) => {
        try {
          await (await connected).adapter.delete(key);
        } catch {
          // As for write.
        }
      },
    };
    close = async () => {
      const { redis } = await connected;
      await redis.quit().catch(() => redis.disconnect());
    };
  } else {
    storage = new MemorySessionStorage<ChatConversations>(Math.max(ttlMs, 3_600_000));
  }
  const middleware = session<ChatConversations, Context>({
    initial: () => ({}),
    storage,
    getSessionKey: (ctx) => ctx.chat?.id.toString(),
  }) as unknown as MiddlewareFn<Context>;
  return { conversation, middleware, shared: Boolean(config.redisUrl), close };
}

/** A Redis URL without its password, for logs. */
function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@');
}

/** Where a message's conversation lives in the chat's session. */
export type ThreadKey = { kind: 'current' } | { kind: 'thread'; replyTo?: number };

/**
 * The thread a message belongs to: the private chat's one conversation; in a group, the
 * conversation of the bot answer it replies to, or a new one.
 */
export function threadOf(ctx: Context): ThreadKey {
  if (ctx.chat?.type === 'private') return { kind: 'current' };
  const replied = ctx.msg?.reply_to_message;
  return { kind: 'thread', replyTo: replied && replied.from?.id === ctx.me.id ? replied.message_id : undefined };
}

function sessionOf(ctx: Context): ChatConversations | undefined {
  try {
    return (ctx as ConversationContext).session;
  } catch {
    // No session key (an update without a chat): no conversation.
    return undefined;
  }
}

/**
 * The conversation state of a thread (validated: stored data may be from another version).
 *
 * @example
 * const state = loadState(ctx, threadOf(ctx));
 */
export function loadState(ctx: Context, key: ThreadKey): ConversationState | undefined {
  const s = sessionOf(ctx);
  if (!s) return undefined;
  if (key.kind === 'current') return parseState(s.current);
  return key.replyTo === undefined ? undefined : parseState(s.threads?.[String(key.replyTo)]);
}

/**
 * Stores a thread's new state, under each message that carried the answer (so replying to any of
 * them continues it).
 */
export function saveState(ctx: Context, key: ThreadKey, state: ConversationState, answerMessageIds: number[]): void {
  const s = sessionOf(ctx);
  if (!s) return;
  if (key.kind === 'current') {
    s.current = state;
    return;
  }
  const threads = { ...(s.threads ?? {}) };
  // No answer messages (a reset): the thread replied to takes the new state.
  const ids = answerMessageIds.length > 0 ? answerMessageIds : key.replyTo !== undefined ? [key.replyTo] : [];
  for (const id of ids) threads[String(id)] = state;
  const kept = Object.keys(threads).sort((a, b) => Number(a) - Number(b));
  for (const id of kept.slice(0, Math.max(0, kept.length - MAX_THREADS))) delete threads[id];
  s.threads = threads;
}
