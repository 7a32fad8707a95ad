/**
 * Optional LLM synthesis (off unless FUHAN_LLM_URL is set): a short answer written from the retrieved
 * quotes only, each sentence with [n] markers. Sentences the cited text does not support are removed;
 * any failure, timeout or empty result means no synthesis — the extractive answer stands alone.
 */
import type { Searcher } from '../../index/searchTypes.ts';
import type { AnswerLang, Citation } from '../answerTypes.ts';
import { keepSupportedSentences } from './checkSynthesis.ts';
import { detectLanguage } from './detectLanguage.ts';
import { requestChatCompletion, type ChatMessage, type LlmConfig } from './llmClient.ts';
import type { QuoteLogger } from './verifyQuote.ts';

const LANGUAGE_NAME = { zh: 'Simplified Chinese', 'zh-Hant': 'Traditional Chinese', en: 'English' } as const;

/**
 * The prompt: numbered excerpts (quote plus surrounding passage) and strict instructions.
 *
 * @example
 * synthesisPrompt('MOX?', citations, new Map())[1].content // contains '[1] …'
 */
export function synthesisPrompt(
  question: string,
  citations: Citation[],
  passageText: Map<number, string>,
  lang: AnswerLang = detectLanguage(question),
): ChatMessage[] {
  const excerpts = citations
    .map((c) => {
      const context = passageText.get(c.n);
      const where = [c.issuer, c.title, c.date].filter(Boolean).join(' · ');
      return `[${c.n}] (${where})\n${c.quote}${context && context !== c.quote ? `\nContext: ${context}` : ''}`;
    })
    .join('\n\n');
  return [
    {
      role: 'system',
      content:
        'You answer questions about Chinese government reply letters using ONLY the numbered excerpts given. ' +
        'Write 1–4 short sentences. End every sentence with the marker(s) of the excerpt(s) it relies on, e.g. [1] or [1][2]. ' +
        'Keep names, numbers and dates exactly as in the excerpts. Do not add anything the excerpts do not say. ' +
        `Write in ${LANGUAGE_NAME[lang]}. If the excerpts do not answer the question, reply with nothing.`,
    },
    { role: 'user', content: `Question: ${question}\n\nExcerpts:\n${excerpts}` },
  ];
}

/**
 * A checked synthesis for these citations, or undefined (failure, timeout, nothing supported).
 *
 * @example
 * const synthesis = await synthesizeAnswer(question, answer.citations, searcher, config.llm!);
 */
export async function synthesizeAnswer(
  question: string,
  citations: Citation[],
  searcher: Pick<Searcher, 'passagesOf'>,
  llm: LlmConfig,
  log: QuoteLogger = (line) => console.warn(line),
  lang: AnswerLang = detectLanguage(question),
): Promise<string | undefined> {
  const passageText = new Map<number, string>();
  for (const c of citations) {
    const passage = searcher.passagesOf(c.letter).find((p) => p.id === c.passageId);
    if (passage) passageText.set(c.n, passage.text);
  }
  let raw: string;
  try {
    raw = await requestChatCompletion(llm, synthesisPrompt(question, citations, passageText, lang));
  } catch (err) {
    log(`fuhan: LLM synthesis skipped: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
  const support = new Map(citations.map((c) => [c.n, `${c.quote}\n${passageText.get(c.n) ?? ''}`]));
  const checked = keepSupportedSentences(raw, support, (sentence, reason) => log(`fuhan: LLM sentence removed (${reason}): ${sentence}`), question);
  return checked || undefined;
}
