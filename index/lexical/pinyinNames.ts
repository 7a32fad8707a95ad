/**
 * Chinese names written in pinyin (Qingdao, Shapingba, Qi Xiaowei) back to the characters the
 * corpus uses (青岛, 沙坪坝, 齐小伟), with `pinyin-pro`.
 *
 * The index keeps, for every toneless syllable, the corpus characters that can be read so.
 * A Latin token is split into syllables (every split is tried), and character sequences are grown
 * one syllable at a time, keeping only those whose every adjacent pair occurs in the corpus as a
 * bigram. What survives is a name the corpus really contains.
 */
import { createRequire } from 'node:module';

type PinyinPro = typeof import('pinyin-pro');
let pinyinPro: PinyinPro | undefined;

/**
 * pinyin-pro, loaded on first use: index builds read characters as pinyin, most questions never do,
 * and its ES build is ~30 modules (~70 ms) that every `fuhan ask` would otherwise load up front.
 * `require` keeps callers synchronous; the package ships a CommonJS build of the same version.
 *
 * @example
 * pinyinLibrary().pinyin('青岛', { toneType: 'none' }) // → 'qing dao'
 */
export function pinyinLibrary(): PinyinPro {
  pinyinPro ??= createRequire(import.meta.url)('pinyin-pro') as PinyinPro;
  return pinyinPro;
}

/**
 * Toneless pinyin of Chinese text: its syllables (ü as v), joined, and their first letters.
 *
 * @example
 * pinyinOf('长寿') // → { syllables: ['chang', 'shou'], spelled: 'changshou', initials: 'cs' }
 */
export function pinyinOf(text: string): { syllables: string[]; spelled: string; initials: string } {
  const syllables = (pinyinLibrary().pinyin(text, { toneType: 'none', type: 'array' }) as string[]).filter((x) => /^[a-zü]+$/.test(x)).map((x) => x.replace(/ü/g, 'v'));
  return { syllables, spelled: syllables.join(''), initials: syllables.map((x) => x[0]).join('') };
}

/** syllable → the corpus characters that can be read so (a string of characters). */
export type PinyinTableData = Record<string, string>;

/**
 * Builds the syllable table from the corpus's characters.
 *
 * @example
 * buildPinyinTable(['青', '岛'])  // → { qing: '青', dao: '岛' }
 */
export function buildPinyinTable(chars: Iterable<string>): PinyinTableData {
  const table = new Map<string, Set<string>>();
  const { pinyin } = pinyinLibrary();
  for (const c of chars) {
    if (!/^\p{Script=Han}$/u.test(c)) continue;
    const readings = pinyin(c, { multiple: true, type: 'array', toneType: 'none' }) as string[];
    for (const r of readings) {
      if (!/^[a-zü]+$/.test(r)) continue;
      // People write ü as u or v.
      for (const s of new Set([r.replace(/ü/g, 'u'), r.replace(/ü/g, 'v')])) {
        let set = table.get(s);
        if (!set) table.set(s, (set = new Set()));
        set.add(c);
      }
    }
  }
  return Object.fromEntries([...table].map(([s, set]) => [s, [...set].join('')]));
}

const MAX_SYLLABLES = 6;
const MAX_SPLITS = 24;
const BEAM = 256;

/** Every way to read a Latin token as 2..6 pinyin syllables. */
function syllableSplits(token: string, table: PinyinTableData): string[][] {
  const out: string[][] = [];
  const walk = (rest: string, acc: string[]) => {
    if (out.length >= MAX_SPLITS) return;
    if (!rest) {
      if (acc.length >= 2) out.push(acc.slice());
      return;
    }
    if (acc.length >= MAX_SYLLABLES) return;
    for (let len = Math.min(6, rest.length); len >= 1; len--) {
      const s = rest.slice(0, len);
      if (table[s]) {
        acc.push(s);
        walk(rest.slice(len), acc);
        acc.pop();
      }
    }
  };
  walk(token, []);
  return out;
}

/**
 * Character sequences of the corpus that a pinyin token can spell, most frequent first.
 *
 * @param bigramCount how often a character pair occurs in the corpus (0 = never).
 * @example
 * namesForPinyin('qingdao', table, (b) => df('b:' + b)) // → ['青岛']
 */
export function namesForPinyin(
  token: string,
  table: PinyinTableData,
  bigramCount: (pair: string) => number,
  limit = 3,
): string[] {
  const t = token.toLowerCase();
  if (!/^[a-z]{4,30}$/.test(t)) return [];
  const found = new Map<string, number>();
  for (const split of syllableSplits(t, table)) {
    let beam: { seq: string; score: number }[] = [...table[split[0]]].map((c) => ({ seq: c, score: Infinity }));
    for (let i = 1; i < split.length && beam.length; i++) {
      const next: { seq: string; score: number }[] = [];
      for (const { seq, score } of beam) {
        const last = seq[seq.length - 1];
        for (const c of table[split[i]]) {
          const n = bigramCount(last + c);
          if (n > 0) next.push({ seq: seq + c, score: Math.min(score, n) });
        }
      }
      next.sort((a, b) => b.score - a.score);
      beam = next.slice(0, BEAM);
    }
    for (const { seq, score } of beam) if ((found.get(seq) ?? 0) < score) found.set(seq, score);
  }
  return [...found]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([seq]) => seq);
}
