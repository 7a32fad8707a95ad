/**
 * Everything the bot's handlers share: configuration, the swappable engine, the answer composer,
 * recent answers and counters. Built once by `createBot`.
 */
import type { Config } from '../config.ts';
import type { LineLog } from '../logger.ts';
import type { AnswerCache } from './answerCache.ts';
import type { AnswerKit } from './answerKit.ts';
import type { BotStats } from './botStats.ts';
import type { ConversationSessions } from './conversationSessions.ts';
import type { EngineHolder } from './engineHolder.ts';

/** One-line log sink with an optional level (the bot's pino logger, bot/logger.ts). */
export type BotLog = LineLog;

export interface BotDeps {
  config: Config;
  engine: EngineHolder;
  kit: AnswerKit;
  cache: AnswerCache;
  stats: BotStats;
  log: BotLog;
  /** Follow-up questions: the conversation rules and their per-chat session storage. */
  conversations: ConversationSessions;
}
