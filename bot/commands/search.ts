/**
 * `fuhan search "QUESTION" [--k 10] [--json]` — ranked passages, best first.
 */
import path from 'node:path';
import { openIndex } from '../../index/openIndex.ts';
import { loadConfig } from '../config.ts';
import type { SearchResult } from '../../index/searchTypes.ts';
import { parseOptions, UsageError } from './commandSetup.ts';
import { parseDenseMode } from './denseOption.ts';

const HELP = `usage: fuhan search "QUESTION" [--k 10] [--json] [--corpus DIR…] [--index DIR] [--dense off|on|auto]
                    [--issuer TEXT] [--year YYYY] [--kind cppcc-proposal|npc-suggestion|other]

Prints the passages that answer the question, best first (builds the index first if there is none).`;

/**
 * The `--json` shape (also what `/api/search` answers): refused, and the ranked passages with their spans.
 *
 * @example
 * searchJson(result).passages[0] // → { doc, letter, section, start, end, text, score }
 */
export function searchJson(result: SearchResult) {
  return {
    refused: result.refused,
    passages: result.hits.map((h) => ({
      doc: h.letter.doc,
      letter: h.letter.id,
      section: h.passage.section,
      start: h.passage.start,
      end: h.passage.end,
      text: h.passage.text,
      score: Math.round(h.score * 10000) / 10000,
    })),
  };
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    positionals: true,
    options: {
      k: { type: 'string' },
      json: { type: 'boolean' },
      corpus: { type: 'string', multiple: true },
      index: { type: 'string' },
      dense: { type: 'string' },
      issuer: { type: 'string' },
      year: { type: 'string' },
      kind: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const question = positionals.join(' ').trim();
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (!question) throw new UsageError('no question given');
  const k = Number(values.k ?? '10');
  if (!Number.isInteger(k) || k < 1 || k > 100) throw new UsageError('--k must be a whole number from 1 to 100');
  const year = values.year === undefined ? undefined : Number(values.year);
  if (year !== undefined && !Number.isInteger(year)) throw new UsageError('--year must be a year such as 2024');
  const kind = values.kind as 'cppcc-proposal' | 'npc-suggestion' | 'other' | undefined;
  if (kind && !['cppcc-proposal', 'npc-suggestion', 'other'].includes(kind)) throw new UsageError('--kind must be cppcc-proposal, npc-suggestion or other');
  const config = loadConfig(process.env, { groups: ['index'] });
  const engine = await openIndex({
    corpusDirs: values.corpus?.length ? values.corpus.map((d) => path.resolve(d)) : config.corpusDirs,
    indexDir: values.index ? path.resolve(values.index) : config.indexDir,
    dense: values.dense ? parseDenseMode(values.dense) : config.dense,
    log: (line) => console.error(line),
  });
  const result = await engine.search(question, { k, filters: { issuer: values.issuer, year, kind } });
  if (values.json === true) {
    console.log(JSON.stringify(searchJson(result)));
    return 0;
  }
  if (result.refused) console.log('No letter in the collection answers this. Nearest passages:\n');
  result.hits.forEach((h, i) => {
    const where = [h.letter.issuer, h.letter.date, h.passage.section].filter(Boolean).join(' · ');
    console.log(`${i + 1}. [${h.score.toFixed(3)}] ${h.letter.doc} ${where} (${h.passage.start}–${h.passage.end})`);
    console.log(`   ${h.passage.text.replace(/\n/g, '\n   ')}\n`);
  });
  return 0;
}
