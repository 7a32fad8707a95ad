/**
 * Recent answers, so buttons ("more results", "full passage") and /cite can refer back to them.
 * Bounded LRU maps: memory stays flat however long the bot runs; an evicted answer just makes its
 * buttons answer "expired, ask again".
 */
import type { Answer } from '../answerTypes.ts';
import type { SearchFilters } from '../../index/searchTypes.ts';

/** What was asked and answered, enough to fetch the next page. */
export interface CachedAnswer {
  id: string;
  chatId: number;
  /** What produced it: an ordinary question or a commitments listing. */
  kind: 'question' | 'commitments';
  question: string;
  filters?: SearchFilters;
  /** Page currently shown (1-based). */
  page: number;
  answer: Answer;
}

/** A Map that forgets its least recently used entries beyond `capacity`. */
export class LruMap<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly capacity: number) {}

  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as K);
  }

  get size(): number {
    return this.map.size;
  }
}

/**
 * Answers by id and the last answer of each chat.
 *
 * @example
 * const cache = new AnswerCache();
 * const id = cache.add({ chatId: 1, kind: 'question', question: 'q', page: 1, answer });
 * cache.get(id, 1)?.answer === answer; cache.last(1)?.id === id
 */
export class AnswerCache {
  private readonly byId: LruMap<string, CachedAnswer>;
  private readonly lastByChat: LruMap<number, string>;
  private counter = 0;
  /** Random prefix: ids from a previous run never resolve to a different answer after a restart. */
  private readonly prefix = Math.floor(Math.random() * 36 ** 2).toString(36).padStart(2, '0');

  constructor(capacity = 2000) {
    this.byId = new LruMap(capacity);
    this.lastByChat = new LruMap(capacity);
  }

  /** Stores an answer and makes it the chat's last answer; returns its id. */
  add(entry: Omit<CachedAnswer, 'id'>): string {
    const id = this.prefix + (this.counter++).toString(36);
    this.byId.set(id, { ...entry, id });
    this.lastByChat.set(entry.chatId, id);
    return id;
  }

  /** Replaces an entry (e.g. after "more results" moved it to another page). */
  update(entry: CachedAnswer): void {
    this.byId.set(entry.id, entry);
    this.lastByChat.set(entry.chatId, entry.id);
  }

  /** The answer with this id, only if it belongs to this chat. */
  get(id: string, chatId: number): CachedAnswer | undefined {
    const entry = this.byId.get(id);
    return entry && entry.chatId === chatId ? entry : undefined;
  }

  /** The chat's most recent answer. */
  last(chatId: number): CachedAnswer | undefined {
    const id = this.lastByChat.get(chatId);
    return id === undefined ? undefined : this.byId.get(id);
  }
}
