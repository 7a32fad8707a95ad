/**
 * The inline buttons under an answer: per quote "full passage" and "citation"; per letter "whole
 * letter"; and "more results". Kept small — Telegram shows at most a few rows comfortably.
 */
import { InlineKeyboard } from 'grammy';
import type { Answer } from '../answerTypes.ts';
import { textsFor } from './botTexts.ts';
import { encodeCallback } from './callbackData.ts';
import { truncateText } from './renderHtml.ts';

/** At most this many quotes get their own buttons (Telegram keyboards get unwieldy beyond). */
const MAX_QUOTE_BUTTONS = 6;
const MAX_LETTER_BUTTONS = 3;

/**
 * Buttons for an answer stored in the cache under `answerId`, showing page `page`;
 * undefined when there is nothing to press (e.g. a refusal).
 *
 * @example
 * ctx.reply(html, { parse_mode: 'HTML', reply_markup: answerKeyboard(answer, 'k3', 1) })
 */
export function answerKeyboard(answer: Answer, answerId: string, page: number): InlineKeyboard | undefined {
  if (answer.citations.length === 0) return undefined;
  const t = textsFor(answer.lang).buttons;
  const keyboard = new InlineKeyboard();
  const citations = answer.citations.slice(0, MAX_QUOTE_BUTTONS);
  // With many quotes a row of long labels is unreadable: only the first button carries the word.
  const label = (mark: string, n: number, word: string, first: boolean): string =>
    citations.length <= 2 || first ? `${mark}${n} ${word}` : `${mark}${n}`;
  citations.forEach((c, i) => keyboard.text(label('¶', c.n, t.passage, i === 0), encodeCallback({ action: 'p', answer: answerId, n: c.n })));
  keyboard.row();
  citations.forEach((c, i) => keyboard.text(label('❝', c.n, t.cite, i === 0), encodeCallback({ action: 'c', answer: answerId, n: c.n })));
  keyboard.row();
  // One "whole letter" button per letter, pointing at the first quote of that letter.
  const seen = new Set<string>();
  for (const c of answer.citations) {
    if (seen.has(c.letter) || seen.size >= MAX_LETTER_BUTTONS) continue;
    seen.add(c.letter);
    keyboard.text(`📜 ${t.letter}: ${truncateText(c.issuer ?? c.doc, 12)}`, encodeCallback({ action: 'l', answer: answerId, n: c.n }));
  }
  keyboard.row();
  if (answer.mode === 'quotes') keyboard.text(t.more, encodeCallback({ action: 'm', answer: answerId, n: page + 1 }));
  return keyboard;
}
