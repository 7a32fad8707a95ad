/**
 * What a conversation remembers between messages: the last turn — how it was read, which letters
 * answered, the quotes shown — and when it happened. Plain JSON, so grammY's session plugin can keep
 * it in memory or in Redis; read back through zod, because stored data is outside data (an older
 * version's shape, a hand-edited key) and a bad record must start a fresh conversation, not crash.
 */
import { z } from 'zod';
import type { SearchFilters } from '../../index/searchTypes.ts';

const FiltersSchema = z
  .object({
    issuer: z.string().optional(),
    year: z.number().int().optional(),
    kind: z.enum(['cppcc-proposal', 'npc-suggestion', 'other']).optional(),
    letters: z.array(z.string()).optional(),
  })
  .strip();

/** One quote of the previous answer, for ordinal references (「第二条」, "more on [2]"). */
const ShownQuoteSchema = z.object({ n: z.number().int().min(1), letter: z.string(), quote: z.string() });

export const TurnSchema = z.object({
  /** What was searched (the standalone question). */
  question: z.string(),
  /** The last content question of the conversation: what substitutions («那重庆呢») rewrite. */
  topic: z.string(),
  filters: FiltersSchema.optional(),
  /** Letters of the answer's groups, in the order shown (the first is the one the answer is about). */
  letters: z.array(z.string()),
  /** The first quotes shown, by number. */
  quotes: z.array(ShownQuoteSchema),
  /** Framing language of the turn: a short follow-up in characters both scripts share keeps it. */
  lang: z.enum(['zh', 'zh-Hant', 'en']).optional(),
});
export type Turn = z.infer<typeof TurnSchema> & { filters?: SearchFilters };

export const ConversationStateSchema = z.object({
  turn: TurnSchema.optional(),
  /** When the last turn happened (ms since the epoch): a conversation expires after a quiet period. */
  at: z.number(),
});
export type ConversationState = z.infer<typeof ConversationStateSchema>;

/**
 * A stored state, validated; undefined for anything that is not one (a fresh conversation starts).
 *
 * @example
 * parseState(JSON.parse(stored)) // → { turn: {…}, at: 1764754800000 } or undefined
 */
export function parseState(value: unknown): ConversationState | undefined {
  const parsed = ConversationStateSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
