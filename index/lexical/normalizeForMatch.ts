/**
 * One form for matching: Traditional → Simplified, full-width → half-width, lower case, and
 * inline pinyin annotations removed (關(guān)于 → 关于). Used on letters and questions alike, for
 * matching only: quotes are always cut from the letter's own text.
 */
import * as OpenCC from 'opencc-js';

// OpenCC's Traditional (OpenCC standard) plus Taiwan and Hong Kong variants all fold to mainland Simplified.
// Built on first use (~40 ms): importing this module (every command does) should cost nothing.
let foldToSimplified: ((text: string) => string) | undefined;

function buildFoldToSimplified(): (text: string) => string {
  const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });
  const hkToSimplified = OpenCC.Converter({ from: 'hk', to: 'cn' });
  return (text) => hkToSimplified(toSimplified(text));
}

// A CJK character followed by a parenthesised toneful pinyin syllable, as some sites print Traditional text.
const INLINE_PINYIN = /(\p{Script=Han})[(（]([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ][a-zü]*)[)）]/gu;

/**
 * Normalises text for lexical matching.
 *
 * @example
 * normalizeForMatch('對縣十七屆人大五次會議第19號建議的答復(fù)') // → '对县十七届人大五次会议第19号建议的答复'
 * normalizeForMatch('ＭＯＸ澳交所') // → 'mox澳交所'
 */
export function normalizeForMatch(text: string): string {
  // Answers normalise the same passages' sentences question after question: remember short ones.
  const cached = text.length <= 2000 ? CACHE.get(text) : undefined;
  if (cached !== undefined) return cached;
  const out = normalizeUncached(text);
  if (text.length <= 2000) {
    if (CACHE.size >= CACHE_SIZE) CACHE.delete(CACHE.keys().next().value!);
    CACHE.set(text, out);
  }
  return out;
}

const CACHE_SIZE = 20_000;
const CACHE = new Map<string, string>();

function normalizeUncached(text: string): string {
  let s = text.normalize('NFKC');
  if (s.includes('(') || s.includes('（')) s = s.replace(INLINE_PINYIN, '$1');
  return foldWhereNeeded(s).toLowerCase();
}

/**
 * The Traditional→Simplified fold, run only where it can change something: OpenCC is ~99 % of this
 * module's cost and most letters are already Simplified. The text is cut at separators (punctuation,
 * ASCII… that no dictionary key contains, so no match crosses them and each stretch between them
 * converts on its own), and only the stretches holding a key that could rewrite them are converted.
 */
function foldWhereNeeded(s: string): string {
  conversionKeys ??= buildConversionKeys();
  const { units, phrases } = conversionKeys;
  let out = '';
  let done = 0; // s[0, done) is in `out`
  let start = 0; // start of the current stretch
  let dirty = false; // the current stretch holds a key that may change it
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const kind = units[c];
    if (kind === UNCHANGED) continue;
    if (kind === SEPARATOR) {
      if (dirty) {
        out += s.slice(done, start) + fold(s.slice(start, i));
        done = i;
        dirty = false;
      }
      start = i + 1;
    } else if (!dirty && (kind === CHANGES || startsPhrase(s, i, phrases.get(c)!))) {
      dirty = true;
    }
    // An ideographic description sequence lets a trie step over separators: fold the whole text then.
    if (c >= 0x2ff0 && c <= 0x2fff) return fold(s);
  }
  if (dirty) return out + s.slice(done, start) + fold(s.slice(start));
  return done === 0 ? s : out + s.slice(done);
}

function startsPhrase(s: string, i: number, list: string[]): boolean {
  for (let k = 0; k < list.length; k++) if (s.startsWith(list[k], i)) return true;
  return false;
}

function fold(s: string): string {
  foldToSimplified ??= buildFoldToSimplified();
  return foldToSimplified(s);
}

// opencc-js's bundled type declarations do not resolve under NodeNext, so its dictionary shapes are spelled out here.
type DictLike = string | readonly (readonly [string, string])[];
type DictGroup = readonly DictLike[];
interface LocaleConfig {
  normalizationChain?: readonly DictGroup[];
  segmentation?: DictLike | DictGroup;
  conversionChain: readonly DictGroup[];
}

/**
 * Where the two converters can change text. Each converter runs tries one after another (one per
 * dictionary group, each on the previous one's output), and a trie only rewrites a dictionary key
 * found in its input; so text that holds no key whose replacement differs from it comes out of
 * every trie, and of both converters, unchanged. `units[c]` is one of the kinds below; `phrases`
 * lists, by first unit, the longer changing keys (those holding a CHANGES unit are left out: the
 * scan meets that unit anyway).
 *
 * One refinement keeps common Simplified characters off the slow path: some only make a round trip
 * (台 → 臺 in the Hong Kong variants trie, 臺 → 台 in the next one). Such a character is UNCHANGED
 * when, followed through each converter's tries, it comes back as itself whatever surrounds it (see
 * roundTrips).
 */
interface ConversionKeys {
  units: Uint8Array;
  phrases: Map<number, string[]>;
}

/** In no changing key (or only round trips). */
const UNCHANGED = 0;
/** A one-unit key that changes: the stretch holding it is converted. */
const CHANGES = 1;
/** Starts a longer changing key (see `phrases`). */
const PHRASE_START = 2;
/** In no key at all (punctuation, ASCII…): no match crosses it. */
const SEPARATOR = 3;

let conversionKeys: ConversionKeys | undefined;

function buildConversionKeys(): ConversionKeys {
  const locale = OpenCC.Locale as unknown as { from: Record<string, readonly DictGroup[]>; to: Record<string, readonly DictGroup[]>; configs?: Record<string, LocaleConfig> };
  const configs = ['tw2s', 'hk2s'].map((name) => locale.configs?.[name]).filter((c) => c !== undefined);
  // The tries of the 'tw'→'cn' and 'hk'→'cn' converters, in the order they run.
  const chains = configs.map((c) => [...(c.normalizationChain ?? []), ...c.conversionChain]);
  // Every dictionary either converter can load, however opencc-js wires them (a superset is safe).
  const groups = new Set<DictGroup>([...chains.flat(), ...locale.from.tw, ...locale.from.hk, ...locale.to.cn]);
  const dicts = new Set<DictLike>([...groups].flat());
  // Segmentation only splits text, but a unit in its keys is no separator.
  for (const c of configs) {
    const segmentation = c.segmentation;
    const isPairs = Array.isArray(segmentation) && Array.isArray(segmentation[0]) && typeof segmentation[0][0] === 'string';
    if (typeof segmentation === 'string' || isPairs) dicts.add(segmentation as DictLike);
    else if (segmentation) for (const d of segmentation as DictGroup) dicts.add(d);
  }

  // Each dictionary is read once (this runs on a cold start, before any JIT has warmed up).
  const parsed = new Map<DictLike, readonly (readonly [string, string])[]>();
  for (const dict of dicts) parsed.set(dict, entries(dict));
  const changing: string[] = [];
  const inKey = new Uint8Array(0x10000);
  let idsInReplacement = false;
  for (const pairs of parsed.values()) {
    for (const [source, target] of pairs) {
      for (let i = 0; i < source.length; i++) inKey[source.charCodeAt(i)] = 1;
      if (/[\u2ff0-\u2fff]/.test(target)) idsInReplacement = true;
      if (source && source !== target) changing.push(source);
    }
  }
  const safe = chains.length === 2 ? roundTrips(chains, changing, parsed) : new Set<number>();
  const units = new Uint8Array(0x10000);
  // Separators: punctuation, symbols and ASCII that no key holds. An ideographic description sequence lets a trie step
  // over any unit, so a replacement holding one rules separators out.
  if (!idsInReplacement) {
    for (const [from, to] of SEPARATOR_RANGES) for (let c = from; c <= to; c++) if (!inKey[c]) units[c] = SEPARATOR;
  }
  for (const source of changing) if (source.length === 1 && !safe.has(source.charCodeAt(0))) units[source.charCodeAt(0)] = CHANGES;
  // Ideographic description sequences change how a trie steps through text: foldWhereNeeded folds the whole text.
  units.fill(CHANGES, 0x2ff0, 0x3000);
  const phrases = new Map<number, string[]>();
  for (const source of changing) {
    if (source.length === 1 || hasUnit(source, units, CHANGES)) continue;
    const c = source.charCodeAt(0);
    units[c] = PHRASE_START;
    const list = phrases.get(c);
    if (list) list.push(source);
    else phrases.set(c, [source]);
  }
  return { units, phrases };
}

// ASCII, general punctuation, CJK symbols and punctuation (full-width forms are gone after NFKC).
const SEPARATOR_RANGES: readonly (readonly [number, number])[] = [[0x00, 0x7f], [0x2000, 0x206f], [0x3000, 0x303f]];

/**
 * The one-unit keys that each chain (list of tries) gives back unchanged whatever surrounds them.
 * The forms such a character can have are followed trie by trie: a form inside a longer key may be
 * swallowed by a longer match, which is harmless only if every such longer key maps to itself (then
 * the form stays); otherwise the longest match at it is its one-character entry (or nothing). Every
 * form must stay a single non-surrogate BMP unit, and the last trie must leave only the character.
 * Any other changing key the text holds is found by foldWhereNeeded's scan, so these are the only rewrites left.
 */
function roundTrips(chains: readonly (readonly DictGroup[])[], candidates: readonly string[], parsed: ReadonlyMap<DictLike, readonly (readonly [string, string])[]>): Set<number> {
  interface TrieKeys { single: Map<string, string>; inLonger: Set<number>; inChangingLonger: Set<number> }
  const tries = new Map<DictGroup, TrieKeys>();
  for (const group of chains.flat()) {
    if (tries.has(group)) continue;
    const keys: TrieKeys = { single: new Map(), inLonger: new Set(), inChangingLonger: new Set() };
    // loadDictGroup loads the group's dictionaries last to first, a later entry overwriting: the first dictionary wins.
    for (const dict of [...group].reverse()) {
      for (const [source, target] of parsed.get(dict) ?? entries(dict)) {
        if (source.length === 1 || (source.length === 2 && source.codePointAt(0)! > 0xffff)) {
          keys.single.set(source, target);
          continue;
        }
        for (let i = 0; i < source.length; i++) {
          keys.inLonger.add(source.charCodeAt(i));
          if (source !== target) keys.inChangingLonger.add(source.charCodeAt(i));
        }
      }
    }
    tries.set(group, keys);
  }
  const isPlainUnit = (f: string) => f.length === 1 && (f < '\ud800' || f > '\udfff');
  const safe = new Set<number>();
  for (const source of candidates) {
    if (!isPlainUnit(source)) continue;
    const ok = chains.every((chain) => {
      let forms = new Set([source]);
      for (const group of chain) {
        const keys = tries.get(group)!;
        const next = new Set<string>();
        for (const f of forms) {
          const unit = f.charCodeAt(0);
          if (keys.inChangingLonger.has(unit)) return false;
          if (keys.inLonger.has(unit)) next.add(f);
          const g = keys.single.get(f) ?? f;
          if (!isPlainUnit(g)) return false;
          next.add(g);
        }
        forms = next;
      }
      return forms.size === 1 && forms.has(source);
    });
    if (ok) safe.add(source.charCodeAt(0));
  }
  return safe;
}

/** A dictionary's [source, replacement] pairs, from either of its forms ("a b|c d" or pairs). */
function entries(dict: DictLike): readonly (readonly [string, string])[] {
  if (typeof dict !== 'string') return dict;
  // As opencc-js's Trie.loadDict reads it.
  return dict.split('|').map((e) => {
    const [source, target] = e.split(' ');
    return [source, target] as const;
  });
}

function hasUnit(s: string, units: Uint8Array, kind: number): boolean {
  for (let i = 0; i < s.length; i++) if (units[s.charCodeAt(i)] === kind) return true;
  return false;
}
