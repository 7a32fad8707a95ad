/**
 * How the bot's Bot API calls survive faults, all bounded and all said in the log:
 *
 * - `requestDeadline`: a call that gets no answer (a firewall that drops packets) fails after 20 s
 *   instead of grammY's 500 s, so an unreachable API is reported within half a minute.
 * - `retryRequests`: a 429 is waited out and the call repeated — the reply is queued, in order with
 *   the rest of its chat — as long as the waits for that call stay within `maxWaitSeconds`; past it
 *   the 429 comes back (bot.catch then tells the user plainly when to ask again). Network failures
 *   and 5xx are retried a few times with backoff (getUpdates excepted: the runner retries it).
 * - Every wait ends at once when `stopSignal` aborts, so stopping never waits out a retry.
 *
 * @example
 * const stop = new AbortController();
 * bot.api.config.use(requestDeadline());
 * bot.api.config.use(retryRequests({ stopSignal: stop.signal, log }));
 */
import { HttpError, type Transformer } from 'grammy';
import type { LineLog } from '../logger.ts';

/** Seconds a call may go unanswered (beyond the long-poll time of getUpdates). */
export const DEFAULT_DEADLINE_SECONDS = 20;
/** Longest total wait for one call's 429s: a reply queued longer than this is given up (10 min). */
export const DEFAULT_MAX_WAIT_SECONDS = 600;

/** Calls retried by their caller, with its own backoff and log lines: the runner's polls, start-up's getMe. */
const OWN_RETRIES = new Set(['getUpdates', 'getMe']);

/** Calls not worth queueing for long: a typing indicator or a button answer is useless minutes later. */
const SHORT_LIVED = new Set(['sendChatAction', 'answerCallbackQuery', 'answerInlineQuery']);

/**
 * Why a call failed, in a few words and never with its URL (which holds the token).
 *
 * @example
 * describeFailure(new HttpError("Network request for 'getMe' failed!", Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))) // → 'ECONNREFUSED'
 */
export function describeFailure(err: unknown): string {
  const cause = err instanceof HttpError ? err.error : err;
  if (cause instanceof DeadlineError) return cause.message;
  if (cause instanceof Error) {
    const nested = (cause as { cause?: { code?: string; message?: string } }).cause;
    const code = (cause as { code?: string }).code ?? nested?.code;
    const reason = cause.message.replace(/^request to \S+ failed, reason:\s*/, '').replace(/https?:\/\/\S+/g, '<url>');
    return code && !reason.includes(code) ? `${code} (${reason})` : reason;
  }
  return String(cause);
}

class DeadlineError extends Error {}

/** Waits `seconds`, or rejects as soon as one of the signals aborts. */
export function pause(seconds: number, ...signals: (AbortSignal | undefined)[]): Promise<void> {
  const live = signals.filter((s): s is AbortSignal => s !== undefined);
  return new Promise((resolve, reject) => {
    const stop = (): void => {
      clearTimeout(timer);
      reject(new Error('stopped while waiting to retry'));
    };
    const timer = setTimeout(() => {
      for (const s of live) s.removeEventListener('abort', stop);
      resolve();
    }, seconds * 1000);
    for (const s of live) {
      if (s.aborted) return stop();
      s.addEventListener('abort', stop, { once: true });
    }
  });
}

/**
 * Fails a call that gets no answer within `seconds` (getUpdates: its long-poll timeout plus `seconds`).
 *
 * @example
 * bot.api.config.use(requestDeadline(20));
 */
export function requestDeadline(seconds = DEFAULT_DEADLINE_SECONDS): Transformer {
  return async (prev, method, payload, callSignal) => {
    // The runner's polls carry signals of the abort-controller package, not Node's: AbortSignal.any
    // refuses them on Node 22 and 24 ("signals[0] is not of type AbortSignal"), which stopped every
    // poll there. Only their aborted flag and 'abort' event are used, forwarded into the deadline's own.
    const signal = callSignal as unknown as AbortSignal | undefined;
    const longPoll = method === 'getUpdates' ? Number((payload as { timeout?: number } | undefined)?.timeout ?? 0) : 0;
    const limit = seconds + longPoll;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(new DeadlineError(`no answer within ${limit} s`)), limit * 1000);
    const passOn = (): void => deadline.abort(signal?.reason);
    if (signal?.aborted) passOn();
    else signal?.addEventListener('abort', passOn, { once: true });
    try {
      return await prev(method, payload, deadline.signal as never);
    } catch (err) {
      if (deadline.signal.aborted && !signal?.aborted) throw new HttpError(`Network request for '${method}' failed!`, deadline.signal.reason);
      throw err;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', passOn);
    }
  };
}

export interface RetryOptions {
  /** Longest total wait for one call's 429s (default 600 s); past it the 429 is returned. */
  maxWaitSeconds?: number;
  /** Retries of a network failure or 5xx, with 1, 2, 4… s backoff (default 3; never for getUpdates and getMe). */
  networkRetries?: number;
  /** Ends every wait at once (the bot is stopping). */
  stopSignal?: AbortSignal;
  log?: LineLog;
}

/**
 * Waits out 429s within a budget and retries network failures a bounded number of times.
 *
 * @example
 * bot.api.config.use(retryRequests({ maxWaitSeconds: 600, stopSignal, log }));
 */
export function retryRequests(options: RetryOptions = {}): Transformer {
  const maxWait = options.maxWaitSeconds ?? DEFAULT_MAX_WAIT_SECONDS;
  const retries = options.networkRetries ?? 3;
  const log: LineLog = options.log ?? (() => undefined);
  return async (prev, method, payload, callSignal) => {
    const signal = callSignal as unknown as AbortSignal | undefined;
    const budget = SHORT_LIVED.has(method) ? Math.min(5, maxWait) : maxWait;
    let waited = 0;
    let failures = 0;
    for (;;) {
      const stopped = (): boolean => Boolean(signal?.aborted || options.stopSignal?.aborted);
      let result;
      try {
        result = await prev(method, payload, callSignal);
      } catch (err) {
        if (!(err instanceof HttpError) || OWN_RETRIES.has(method) || failures >= retries || stopped()) throw err;
        const backoff = 2 ** failures++;
        log(`Bot API call ${method} failed (${describeFailure(err)}); retry ${failures} of ${retries} in ${backoff} s`, 'warn');
        await pause(backoff, signal, options.stopSignal);
        continue;
      }
      if (result.ok) return result;
      const retryAfter = result.parameters?.retry_after;
      if (typeof retryAfter === 'number') {
        if (waited + retryAfter > budget || stopped()) {
          log(`Bot API call ${method} rate-limited for ${retryAfter} s, over the ${budget} s this call may wait: giving up on it`, 'warn');
          return result;
        }
        log(`Bot API call ${method} rate-limited: waiting ${retryAfter} s, then sending it (queued)`, 'warn');
        await pause(retryAfter, signal, options.stopSignal);
        waited += retryAfter;
        continue;
      }
      if (result.error_code >= 500 && !OWN_RETRIES.has(method) && failures < retries && !stopped()) {
        const backoff = 2 ** failures++;
        log(`Bot API call ${method} answered ${result.error_code}; retry ${failures} of ${retries} in ${backoff} s`, 'warn');
        await pause(backoff, signal, options.stopSignal);
        continue;
      }
      return result;
    }
  };
}
