/**
 * Optional help from an LLM (FUHAN_LLM_URL) for follow-ups the offline rules cannot read: a short
 * message with no subject of its own that finds nothing as it stands. The model only proposes a
 * standalone question; it is used when the letters answer it, and shown in the «理解为：…» line like
 * any other reading. Any failure (timeout, HTTP error, an answer that is not one question) is
 * logged and the offline reading stands.
 */
import type { LlmConfig } from '../answer/llmClient.ts';
import { requestChatCompletion } from '../answer/llmClient.ts';

/** Proposes a standalone question for `message`, given the previous question and the letter it was answered from. */
export type Rewriter = (message: string, context: { previous: string; letter: string }) => Promise<string | undefined>;

const SYSTEM = [
  'You rewrite a follow-up message of a conversation about Chinese government reply letters as ONE standalone question.',
  'Use the previous question and the letter it was answered from to fill in what the message leaves out.',
  'Keep the language and script of the follow-up message. Reply with the question only, on one line, nothing else.',
].join(' ');

/** Longest proposal taken (a question, not an essay). */
const MAX_CHARS = 200;

/**
 * @example
 * const rewrite = llmRewriter(config.llm!, console.error);
 * await rewrite('那家公司全称是什么', { previous: '青岛和MOX合作做了什么？', letter: '青岛市人民政府的复函' })
 */
export function llmRewriter(llm: LlmConfig, log: (line: string) => void = (line) => console.warn(line)): Rewriter {
  return async (message, context) => {
    try {
      const text = await requestChatCompletion(llm, [
        { role: 'system', content: SYSTEM },
        { role: 'user', content: `Previous question: ${context.previous}\nAnswered from: ${context.letter}\nFollow-up: ${message}` },
      ]);
      const question = text.trim().replace(/^["'「“]|["'」”]$/gu, '').trim();
      if (question === '' || question.includes('\n') || question.length > MAX_CHARS) {
        log('LLM rewrite ignored: not one short question');
        return undefined;
      }
      return question;
    } catch (err) {
      log(`LLM rewrite failed (reading the message as it is): ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  };
}
