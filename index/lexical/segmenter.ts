/**
 * Chinese word segmentation (jieba, search mode) and CJK character bigrams.
 *
 * Words give precise matches; bigrams make sure a segmentation choice never loses a match
 * (a search for 农业 must find 中国农业发展银行 even when jieba keeps 农业发展银行 whole).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Jieba } from '@node-rs/jieba';

let jieba: Jieba | undefined;

/**
 * Loads the segmenter's dictionary now rather than at the first question (~0.1–0.3 s of native work
 * on this thread): a caller can run it while a thread-pool job such as a large file read is in flight.
 *
 * @example
 * const read = handle.read(buffer, 0, size, 0); loadSegmenter(); await read;
 */
export function loadSegmenter(): void {
  segmenter();
}

function segmenter(): Jieba {
  // Loading the dictionary takes ~0.3 s: do it once, on first use. The package's default dictionary
  // is read straight from its file: `@node-rs/jieba/dict.js` also reads the 6 MB IDF table (keyword
  // extraction, unused here) on import.
  jieba ??= Jieba.withDict(readFileSync(createRequire(import.meta.url).resolve('@node-rs/jieba/dict.txt')));
  return jieba;
}

const HAN = /\p{Script=Han}/u;
const HAN_RUN = /\p{Script=Han}+/gu;
const LATIN_OR_NUMBER = /[a-z0-9]+(?:\.[0-9]+)?/g;

/** True when the string contains a Chinese character. */
export function hasHan(text: string): boolean {
  return HAN.test(text);
}

/**
 * Search-mode words of normalised text (see normalizeForMatch): long words and their parts.
 * Only words containing a Chinese character are returned; Latin and numbers come from latinTokens.
 * `cache` (run of Chinese characters → its words) spares cutting a run again: a build tokenises
 * each letter's body twice (its passages, and the letter as a whole) and a section's headings with
 * every passage under them.
 *
 * @example
 * chineseWords('中国农业发展银行') // → ['中国', '农业', '发展', '银行', '农业发展银行']
 */
export function chineseWords(normalized: string, cache?: Map<string, string[]>): string[] {
  const runs = normalized.match(HAN_RUN);
  if (!runs) return [];
  if (!cache) return cutRuns(runs).flat();
  const missing = [...new Set(runs.filter((r) => !cache.has(r)))];
  if (missing.length) cutRuns(missing).forEach((words, i) => cache.set(missing[i], words));
  const out: string[] = [];
  for (const run of runs) for (const w of cache.get(run)!) out.push(w);
  return out;
}

/** A run of Chinese characters' search-mode words and character bigrams. */
interface RunTerms {
  words: string[];
  bigrams: string[];
}

/**
 * Runs already cut, across texts and letters. Letters share much of their wording (您的建议收悉,
 * 感谢您对我们工作的关心和支持, a section's headings over each of its passages). Measured: of the
 * runs of the 43 real letters (passages and letter profiles) 81 % had been cut before, of 2,000
 * synthetic ones' 97 % (their sentences are drawn from real letters: that flatters the cache);
 * tokenising took 2.5 → 1.3 ms per letter (bench/parseOnly.ts). A run
 * cuts the same wherever it stands (see cutRuns), so remembering it changes no term; the same
 * word strings coming back also spare hashing them again when they are counted (termRows.ts).
 * Bounded: at `MAX_RUNS` it starts afresh (≈ 100 B per run of a few characters: a few tens of MB).
 */
const RUNS = new Map<string, RunTerms>();
const MAX_RUNS = 200_000;

/**
 * chineseWords and cjkBigrams of normalised text at once, each run cut at most once per thread
 * (see RUNS): what documents are indexed under.
 *
 * @example
 * chineseTerms('农业银行') // → { words: ['农业', '银行'], bigrams: ['农业', '业银', '银行'] }
 */
export function chineseTerms(normalized: string): RunTerms {
  const words: string[] = [];
  const bigrams: string[] = [];
  const runs = normalized.match(HAN_RUN);
  if (!runs) return { words, bigrams };
  const known: (RunTerms | undefined)[] = runs.map((r) => RUNS.get(r));
  const missing = [...new Set(runs.filter((_, i) => !known[i]))];
  if (missing.length) {
    if (RUNS.size + missing.length > MAX_RUNS) RUNS.clear();
    const cut = cutRuns(missing);
    const fresh = new Map(missing.map((run, i) => [run, { words: cut[i], bigrams: runBigrams(run) }]));
    for (const [run, terms] of fresh) RUNS.set(run, terms);
    for (let i = 0; i < runs.length; i++) known[i] ??= fresh.get(runs[i]);
  }
  for (const t of known) {
    for (const w of t!.words) words.push(w);
    for (const b of t!.bigrams) bigrams.push(b);
  }
  return { words, bigrams };
}

/**
 * The words of each run (runs of Chinese characters), cut in one call with a line break between
 * them: jieba cuts at every character outside its word blocks, so each run is cut as on its own
 * (compared on 2,000 synthetic and every real letter), and it gives each line break back as a word
 * of its own, which tells where a run's words end. Half the cost of a native call per run.
 */
function cutRuns(runs: string[]): string[][] {
  const out: string[][] = [[]];
  for (const w of segmenter().cutForSearch(runs.join('\n'), true)) {
    if (w === '\n') out.push([]);
    else if (hasHan(w)) out[out.length - 1].push(w);
  }
  if (out.length === runs.length) return out;
  // Never seen; cut run by run rather than misplace a word.
  return runs.map((run) => segmenter().cutForSearch(run, true).filter(hasHan));
}

/**
 * Place and organisation names jieba recognises in normalised text (tags ns, nt): 拉萨市, 浦东新区.
 *
 * @example
 * placeNames('上海市浦东新区的垃圾分类') // → ['上海市', '浦东新区']
 */
export function placeNames(normalized: string): string[] {
  const out: string[] = [];
  for (const run of normalized.match(HAN_RUN) ?? []) {
    for (const { word, tag } of segmenter().tag(run, true)) if ((tag === 'ns' || tag === 'nt') && [...word].length >= 2) out.push(word);
  }
  return out;
}

/**
 * Character bigrams inside each run of Chinese characters (single characters of one-character runs).
 *
 * @example
 * cjkBigrams('上合示范区') // → ['上合', '合示', '示范', '范区']
 */
export function cjkBigrams(normalized: string): string[] {
  const out: string[] = [];
  for (const run of normalized.match(HAN_RUN) ?? []) for (const b of runBigrams(run)) out.push(b);
  return out;
}

/** Bigrams of one run of Chinese characters (by code point), or its one character. */
function runBigrams(run: string): string[] {
  const chars = Array.from(run);
  if (chars.length === 1) return chars;
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
  return out;
}

/**
 * Latin words and numbers as written (lower case), plus a number's form without leading zeros,
 * so proposal 0963 is found by "963" and "0963" alike.
 *
 * @example
 * latinTokens('第0963号 mox d022') // → ['0963', '963', 'mox', 'd022']
 */
export function latinTokens(normalized: string): string[] {
  const out: string[] = [];
  for (const t of normalized.match(LATIN_OR_NUMBER) ?? []) {
    out.push(t);
    if (/^0+\d/.test(t)) out.push(t.replace(/^0+/, ''));
  }
  return out;
}
