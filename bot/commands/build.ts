/**
 * `fuhan build [--corpus DIR…] [--index DIR] [--dense off|on|auto] [--full | --compact] [--allow-empty]`
 *
 * Reads the corpus, parses and indexes what changed, and swaps the new index in atomically.
 */
import path from 'node:path';
import { buildIndex } from '../../index/buildIndex.ts';
import { loadConfig } from '../config.ts';
import { parseOptions } from './commandSetup.ts';
import { parseDenseMode } from './denseOption.ts';

const HELP = `usage: fuhan build [--corpus DIR…] [--index DIR] [--dense off|on|auto] [--full | --compact] [--allow-empty] [--json]

Builds or incrementally updates the index (default corpus: FUHAN_CORPUS or corpus/letters;
default index: FUHAN_INDEX or data/index). Only new or changed letters are parsed and embedded;
a small change is written as a delta beside the unchanged rest (shared, not rewritten), and the
index is rewritten whole when the delta grows past 5 % of it.
--full     ignores the current index and rebuilds everything (also when it is damaged).
--compact  rewrites the index whole now (reusing what is unchanged), folding any delta in.
--allow-empty  builds even when a corpus folder is missing or holds no letter (otherwise the
           build refuses, exit 1, and the index is left as it was).`;

export async function run(args: string[]): Promise<number> {
  const { values } = parseOptions(args, {
    options: {
      corpus: { type: 'string', multiple: true },
      index: { type: 'string' },
      dense: { type: 'string' },
      full: { type: 'boolean' },
      compact: { type: 'boolean' },
      'allow-empty': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    exclusive: [['full', 'compact']],
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const config = loadConfig(process.env, { groups: ['index'] });
  const corpusDirs = values.corpus?.length ? values.corpus.map((d) => path.resolve(d)) : config.corpusDirs;
  const indexDir = values.index ? path.resolve(values.index) : config.indexDir;
  const dense = values.dense ? parseDenseMode(values.dense) : config.dense;
  const report = await buildIndex({ corpusDirs, indexDir, dense, full: values.full === true, compact: values.compact === true, allowEmpty: values['allow-empty'] === true, log: (line) => console.error(line) });
  if (values.json) {
    console.log(JSON.stringify(report));
    return 0;
  }
  console.log(
    `index ${report.indexDir}: ${report.letters} letters, ${report.passages} passages, ${report.mode}` +
      ` (${report.layout === 'layered' ? 'delta over the shared base' : 'one segment'})` +
      ` — ${report.added} added, ${report.changed} changed, ${report.removed} removed, ${report.unchanged} unchanged` +
      (report.embedded ? `, ${report.embedded} passages embedded` : '') +
      `, ${report.skipped.length} skipped (${(report.ms / 1000).toFixed(1)} s: ` +
      Object.entries(report.stages)
        .filter(([, ms]) => ms >= 50)
        .map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)}`)
        .join(', ') +
      ')',
  );
  return 0;
}
