/**
 * `fuhan ask "QUESTION" [--json] [--k N]` — answers one question and exits.
 */
import type { Answer } from '../answerTypes.ts';
import { answerQuestion } from '../answer/answerQuestion.ts';
import { permalink } from '../answer/permalink.ts';
import { answerText } from '../answer/renderPlain.ts';
import { loadConfig } from '../config.ts';
import { parseOptions, UsageError, wantsHelp } from './commandSetup.ts';

const USAGE = `usage: fuhan ask "QUESTION" [--json] [--k N]

  --json   print {"refused", "reason", "answer", "citations": [{n, doc, quote, start, end, issuer, title, date, section, source}]}
           (reason, when refused: "not-stated" — the letters discuss it but do not state what was
           asked; citation 1 is then the closest quote, not an answer — or "off-topic")
  --k N    passages to retrieve (default 10)`;

interface AskArgs {
  question: string;
  json: boolean;
  k?: number;
}

/**
 * Parses the arguments; throws a UsageError on bad input.
 *
 * @example
 * parseAskArgs(['MOX?', '--json', '--k', '5']) // → { question: 'MOX?', json: true, k: 5 }
 */
export function parseAskArgs(args: string[]): AskArgs {
  const { values, positionals } = parseOptions(args, { options: { json: { type: 'boolean' }, k: { type: 'string' } }, positionals: true });
  let k: number | undefined;
  if (values.k !== undefined) {
    k = Number(values.k);
    if (!Number.isInteger(k) || k < 1 || k > 200) throw new UsageError(`--k wants a whole number from 1 to 200, got "${values.k}"`);
  }
  const question = positionals.join(' ').trim();
  if (!question) throw new UsageError('no question given');
  return { question, json: values.json === true, k };
}

/**
 * The `--json` shape: exactly refused, answer and the citation fields a caller needs; with a public
 * base URL (FUHAN_PUBLIC_URL) each citation also carries its `permalink` to the highlighted quote.
 *
 * @example
 * JSON.stringify(askJson(answer)) // → '{"refused":false,"answer":"…","citations":[{"n":1,…}]}'
 * askJson(answer, 'https://fuhan.example.org').citations[0].permalink // → 'https://fuhan.example.org/letters/…?q=89-151'
 */
export function askJson(answer: Answer, publicUrl?: string) {
  return {
    refused: answer.refused,
    ...(answer.refused ? { reason: answer.reason ?? 'off-topic' } : {}),
    answer: answerText(answer, publicUrl),
    citations: answer.citations.map((c) => ({
      n: c.n,
      doc: c.doc,
      quote: c.quote,
      start: c.start,
      end: c.end,
      issuer: c.issuer ?? '',
      title: c.title,
      date: c.date ?? '',
      section: c.section,
      source: c.source ?? '',
      ...(publicUrl ? { permalink: permalink(publicUrl, c) } : {}),
    })),
  };
}

/**
 * Answers one question on stdout; returns the exit code (bad arguments throw UsageError: exit 2).
 *
 * @example
 * await run(['what has Qingdao done with MOX?', '--json'])
 */
export async function run(args: string[]): Promise<number> {
  if (wantsHelp(args)) {
    console.log(USAGE);
    return 0;
  }
  const parsed = parseAskArgs(args);
  const config = loadConfig(process.env, { groups: ['index', 'answer'] });
  // Loaded only now: the index stack is heavy, and `--help` or a usage error should be instant.
  const { openIndex } = await import('../../index/openIndex.ts');
  const searcher = await openIndex({ corpusDirs: config.corpusDirs, indexDir: config.indexDir, dense: config.dense, log: (line: string) => console.error(line) });
  const answer = await answerQuestion(searcher, parsed.question, { k: parsed.k, llm: config.llm });
  console.log(parsed.json ? JSON.stringify(askJson(answer, config.publicUrl)) : answerText(answer, config.publicUrl));
  return 0;
}
