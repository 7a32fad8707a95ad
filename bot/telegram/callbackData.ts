/**
 * Inline-button payloads. Telegram allows 1–64 bytes of callback data, and whatever comes back is
 * untrusted input (old messages, forged clients), so it is validated with zod on the way in.
 *
 * Format: `<action>:<answer id>:<number>` — e.g. `m:k3:2` = "more results of answer k3, page 2".
 * The answer id points into the per-chat answer cache; the number is a citation n or a page.
 */
import { z } from 'zod';

/**
 * p = full passage, c = citation to copy, m = more results (page), l = whole letter of a quote,
 * w = whole letter by its number in /letters (answer id unused, conventionally `0`).
 */
export type CallbackAction = 'p' | 'c' | 'm' | 'l' | 'w';

export interface CallbackPayload {
  action: CallbackAction;
  /** Answer id in the answer cache. */
  answer: string;
  /** Citation number (p, c, l), page number (m) or letter number (w). */
  n: number;
}

const CallbackDataSchema = z
  .string()
  .max(64)
  .regex(/^[pcmlw]:[0-9a-z]{1,12}:\d{1,4}$/)
  .transform((s): CallbackPayload => {
    const [action, answer, n] = s.split(':');
    return { action: action as CallbackAction, answer: answer!, n: Number(n) };
  })
  .refine((p) => p.n >= 1, 'number must be ≥ 1');

/**
 * Button payload as a string (always well under 64 bytes).
 *
 * @example
 * encodeCallback({ action: 'm', answer: 'k3', n: 2 }) // → 'm:k3:2'
 */
export function encodeCallback(payload: CallbackPayload): string {
  return `${payload.action}:${payload.answer}:${payload.n}`;
}

/**
 * Parses callback data from Telegram; null for anything malformed (stale formats, forged data).
 *
 * @example
 * decodeCallback('c:k3:1')      // → { action: 'c', answer: 'k3', n: 1 }
 * decodeCallback('<script>')    // → null
 */
export function decodeCallback(data: string | undefined): CallbackPayload | null {
  const parsed = CallbackDataSchema.safeParse(data);
  return parsed.success ? parsed.data : null;
}
