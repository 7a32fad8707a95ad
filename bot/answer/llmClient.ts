/**
 * A minimal client for an OpenAI-compatible chat-completions endpoint (FUHAN_LLM_URL is the full
 * URL, e.g. http://localhost:8080/v1/chat/completions). Times out after `timeoutMs`.
 */
import { z } from 'zod';
import type { Config } from '../config.ts';

export type LlmConfig = NonNullable<Config['llm']>;

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

const CompletionSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1),
});

/**
 * Sends messages, returns the first choice's text. Throws a one-line Error on HTTP errors, timeouts
 * and responses that are not chat completions.
 *
 * @example
 * const text = await requestChatCompletion(config.llm!, [{ role: 'user', content: 'hi' }]);
 */
export async function requestChatCompletion(llm: LlmConfig, messages: ChatMessage[]): Promise<string> {
  let response: Response;
  try {
    response = await fetch(llm.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(llm.key ? { authorization: `Bearer ${llm.key}` } : {}) },
      body: JSON.stringify({ model: llm.model, messages, temperature: 0 }),
      signal: AbortSignal.timeout(llm.timeoutMs),
    });
  } catch (err) {
    const name = err instanceof Error ? err.name : '';
    if (name === 'TimeoutError' || name === 'AbortError') throw new Error(`LLM endpoint did not answer within ${llm.timeoutMs} ms`);
    throw new Error(`LLM endpoint unreachable: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!response.ok) throw new Error(`LLM endpoint answered HTTP ${response.status}`);
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new Error('LLM endpoint returned a body that is not JSON');
  }
  const parsed = CompletionSchema.safeParse(body);
  if (!parsed.success) throw new Error('LLM endpoint returned something other than a chat completion');
  return parsed.data.choices[0].message.content ?? '';
}
