/**
 * The search engine the bot currently serves, swappable at run time.
 *
 * Handlers read `holder.current` once per request and keep using that engine, so a reload or an
 * upload never changes the index under a half-answered question. Reloads run one at a time
 * (a small promise-chain mutex): two admins pressing /reload, or an upload during a reload, queue
 * up instead of building the same index twice at once.
 */
import type { Searcher } from '../../index/searchTypes.ts';

/** Reopens (and, if needed, rebuilds) the index; resolves to the new engine. */
export type EngineOpener = () => Promise<Searcher>;

/**
 * @example
 * const holder = new EngineHolder(engine, () => openIndex({ corpusDirs, indexDir, dense: 'auto' }));
 * await holder.reload(); // builds/opens the new engine, then swaps it in
 */
export class EngineHolder {
  private engine: Searcher;
  private queue: Promise<unknown> = Promise.resolve();
  private pending = 0;

  constructor(
    initial: Searcher,
    private readonly opener?: EngineOpener,
  ) {
    this.engine = initial;
  }

  /** The engine to use for the current request. */
  get current(): Searcher {
    return this.engine;
  }

  /** True while a reload or another exclusive task is running or queued. */
  get reloading(): boolean {
    return this.pending > 0;
  }

  /** Runs `task` when no other exclusive task is running (FIFO). */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    this.pending++;
    const run = this.queue.then(task, task);
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run.finally(() => {
      this.pending--;
    });
  }

  /** Replaces the engine; the old one is closed if it can be (after in-flight requests had their reference). */
  swap(next: Searcher): void {
    const previous = this.engine;
    this.engine = next;
    if (previous !== next) closeQuietly(previous);
  }

  /**
   * Reopens the index with the opener given at construction and swaps it in. On failure the old
   * engine stays in service and the error is rethrown.
   */
  reload(): Promise<Searcher> {
    const opener = this.opener;
    if (!opener) return Promise.reject(new Error('this engine cannot be reloaded (no opener given)'));
    return this.exclusive(async () => {
      const next = await opener();
      this.swap(next);
      return next;
    });
  }

  /** Letters and passages in the current engine. */
  size(): { letters: number; passages: number } {
    const letters = this.engine.letters();
    let passages = 0;
    for (const l of letters) passages += this.engine.passagesOf(l.id).length;
    return { letters: letters.length, passages };
  }
}

function closeQuietly(engine: Searcher): void {
  const closable = engine as Searcher & { close?: () => unknown };
  if (typeof closable.close !== 'function') return;
  // Let requests that already hold the old engine finish before it is closed.
  setTimeout(() => {
    try {
      void Promise.resolve(closable.close!()).catch(() => undefined);
    } catch {
      // closing an old engine is best effort
    }
  }, 30_000).unref();
}
