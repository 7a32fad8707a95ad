/**
 * Shows "typing…" while the bot works on an answer. Telegram clears the indicator after ~5 s, so it
 * is renewed every 4 s. Failure is harmless (some API servers do not implement sendChatAction), so
 * errors are swallowed and the renewal stops at the first one.
 */
import type { Api } from 'grammy';

/**
 * Runs `work` with the typing indicator on in `chatId`.
 *
 * @example
 * const answer = await withTyping(ctx.api, ctx.chat.id, () => answerQuestion(engine, text));
 */
export async function withTyping<T>(api: Api, chatId: number, work: () => Promise<T>, everyMs = 4000): Promise<T> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const send = (): void => {
    if (stopped) return;
    api.sendChatAction(chatId, 'typing').then(
      () => {
        if (!stopped) timer = setTimeout(send, everyMs);
      },
      () => {
        stopped = true; // unsupported or forbidden: do not keep trying
      },
    );
  };
  send();
  try {
    return await work();
  } finally {
    stopped = true;
    if (timer) clearTimeout(timer);
  }
}
