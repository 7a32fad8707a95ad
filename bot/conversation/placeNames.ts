/**
 * The places and issuing bodies the corpus's letters are from — 青岛, 重庆, 安居区, 白河县交通运输局 —
 * with the pinyin of each place (qingdao, chongqing, anju), so a conversation can tell which words of
 * a question name a place ("what has Qingdao done…", 「青岛和MOX…」) and put another in its stead.
 * Taken from the letters' issuers, titles and site owners, so it grows with the corpus.
 */
import type { Letter } from '../../corpus/letter.ts';
import { normalizeForMatch } from '../../index/lexical/normalizeForMatch.ts';
import { pinyinLibrary } from '../../index/lexical/pinyinNames.ts';
import { placeNames } from '../../index/lexical/segmenter.ts';

/** A place or body named in a text: where (in the text as given) and what. */
export interface NamedSpan {
  start: number;
  end: number;
  kind: 'place' | 'issuer';
  /** Only taken for a name because it is capitalised (an English word the corpus does not spell). */
  guessed?: boolean;
}

const PLACE_SUFFIX = /(?:特别行政区|自治区|新区|省|市|县|区|镇|乡|村)$/u;
// A place name as written in an issuer line: 2–5 characters ending in an administrative suffix.
const PLACE_IN_NAME = /\p{Script=Han}{2,5}?(?:新区|省|市|县|区|镇)/gu;
const ISSUER_SUFFIX = /(?:人民政府|政府|委员会|办公室|局|委|办|厅|大队|支队|中心|公司)$/u;
const ISSUER_IN_TEXT = /\p{Script=Han}{1,12}?(?:人民政府|委员会|办公室|交通运输局|综合行政执法局|公安局|教育局|教委|文化和旅游局|文旅委|港澳办|局|厅|大队)/gu;
const EN_PLACE_WORD = /\b(?:district|county|city|province|town|township|village|municipality|new area)\b/i;
const EN_ISSUER_WORD = /\b(?:bureau|office|commission|committee|department|government|brigade|police|administration|authority|agency|ministry)\b/i;
// Words not to take for names even when a letter's line yields them.
const NOT_NAMES = new Set(['人民', '政府', '我市', '我县', '我区', '全市', '全县', '全区', '本市', '该市', '关于', '市政', '区政']);

/** A letter that names a place this often is about it (a body that does not name its place in its title). */
const MENTIONS = 3;

/**
 * @example
 * const names = new PlaceNames(searcher.letters());
 * names.isPlace('Qingdao') // → true
 * names.find('what has Qingdao done with MOX?') // → [{ start: 9, end: 16, kind: 'place' }]
 */
export class PlaceNames {
  /** Normalised Chinese names (with and without suffix), longest first. */
  private readonly chinese: string[];
  /** Toneless pinyin of the Chinese names, without spaces (qingdao) → the names. */
  private readonly pinyin: Map<string, string[]>;
  private readonly letters: readonly Letter[];
  private readonly byId: Map<string, Letter>;
  /** Letters' texts in matching form, made on first use (a substitution that needs them). */
  private readonly normalized = new Map<string, string>();

  constructor(letters: readonly Letter[]) {
    this.letters = letters;
    this.byId = new Map(letters.map((l) => [l.id, l]));
    const names = new Set<string>();
    const add = (name: string) => {
      const n = normalizeForMatch(name).replace(/\s+/g, '');
      if ([...n].length < 2 || NOT_NAMES.has(n)) return;
      names.add(n);
      const core = n.replace(PLACE_SUFFIX, '');
      if (core !== n && [...core].length >= 2 && !NOT_NAMES.has(core)) names.add(core);
    };
    for (const letter of letters) {
      for (const line of [letter.issuer, letter.site]) {
        if (!line) continue;
        for (const m of normalizeForMatch(line).matchAll(PLACE_IN_NAME)) add(m[0]);
      }
      for (const line of [letter.issuer, letter.site, letter.title]) {
        if (line) for (const p of placeNames(normalizeForMatch(line))) if (PLACE_SUFFIX.test(p) || /^\p{Script=Han}{2,3}$/u.test(p)) add(p);
      }
    }
    this.chinese = [...names].sort((a, b) => b.length - a.length);
    const { pinyin } = pinyinLibrary();
    this.pinyin = new Map();
    for (const n of names) {
      const core = n.replace(PLACE_SUFFIX, '');
      if ([...core].length < 2) continue;
      const key = (pinyin(core, { toneType: 'none', type: 'array' }) as string[]).join('');
      this.pinyin.set(key, [...(this.pinyin.get(key) ?? []), core]);
    }
  }

  /**
   * The letters from a place or body: those whose issuer, site owner or title names it (an English
   * name through its pinyin, else through `translations`), else those that keep naming it; with
   * `inPassing`, else those that name it at all. Empty when no letter does.
   *
   * @example
   * names.lettersOf('Chongqing') // → ids of the letters issued in 重庆
   */
  lettersOf(name: string, options: { translations?: string[]; inPassing?: boolean; besides?: readonly string[] } = {}): string[] {
    const n = normalizeForMatch(name).replace(/\s+/g, '');
    const forms = /\p{Script=Han}/u.test(n)
      ? [n.replace(PLACE_SUFFIX, '').length >= 2 ? n.replace(PLACE_SUFFIX, '') : n]
      : (this.pinyin.get(n.replace(/[^a-z]/g, '').replace(/(?:district|county|city|province|town)$/, '')) ?? (options.translations ?? []).map((t) => normalizeForMatch(t)));
    if (forms.length === 0) return [];
    const own = this.letters.filter((l) => {
      const name = normalizeForMatch([l.issuer, l.site, l.title].filter(Boolean).join(' '));
      return forms.some((f) => name.includes(f));
    });
    if (own.length > 0) return own.map((l) => l.id);
    // A body that does not name its place (市文化旅游委 writing about 奉节县): letters that keep naming it.
    const mentions = (l: Letter) => Math.max(...forms.map((f) => this.textOf(l.id).split(f).length - 1));
    const often = this.letters.filter((l) => mentions(l) >= MENTIONS);
    if (often.length > 0) return often.map((l) => l.id);
    if (!options.inPassing) return [];
    // Else letters that name it at all (鞍山's 铁西区, twice), but not the `besides` ones — the letters
    // the conversation was about, which mention the new place only in passing (MOX's 北京运营总部).
    return this.letters.filter((l) => mentions(l) > 0 && !options.besides?.includes(l.id)).map((l) => l.id);
  }

  /**
   * Of the Chinese terms the search reads an English place name as (`SearchResult.terms` of "Beijing"),
   * those that spell it: its transliteration (北京 for Beijing, 铁西 for Tiexi) or a place name the
   * dictionary gives for it (澳门 for Macau) — not the generic words around it (区域, 城区).
   *
   * @example
   * names.spellings('Beijing', ['北京']) // → ['北京']
   */
  spellings(english: string, terms: readonly string[]): string[] {
    const word = normalizeForMatch(english).replace(/[^a-z]/g, '').replace(/(?:district|county|city|province|town)$/, '');
    const { pinyin } = pinyinLibrary();
    return terms.filter((t) => {
      if (!/^\p{Script=Han}{2,}$/u.test(t)) return false;
      const core = t.replace(PLACE_SUFFIX, '');
      if ([...core].length >= 2 && (pinyin(core, { toneType: 'none', type: 'array' }) as string[]).join('') === word) return true;
      return !PLACE_SUFFIX.test(t) && placeNames(t).includes(t);
    });
  }

  /**
   * Chinese place and organisation names a text writes that are none of `letterIds`' own: not in
   * their issuer, site owner or title, and named fewer than three times in their text (深圳 after a
   * letter from 青岛; 北京, which the 青岛 letter names once in passing). Such a message is about
   * somewhere else, whatever the conversation was about.
   *
   * @example
   * names.strangers('北京下一步打算怎么做？', [qingdao]) // → ['北京']
   */
  strangers(text: string, letterIds: readonly string[]): string[] {
    const words = placeNames(normalizeForMatch(text)).filter((w) => !NOT_NAMES.has(w));
    return words.filter((w) => {
      const core = w.replace(PLACE_SUFFIX, '');
      const form = [...core].length >= 2 ? core : w;
      return !letterIds.some((id) => {
        const l = this.byId.get(id);
        const own = normalizeForMatch([l?.issuer, l?.site, l?.title].filter(Boolean).join(' '));
        return own.includes(form) || this.textOf(id).split(form).length - 1 >= MENTIONS;
      });
    });
  }

  /**
   * A letter's text in matching form (normalizeForMatch), kept once made.
   *
   * @example
   * names.textOf('000b_qingdao-shanghe-mox-tian').includes('mox') // → true
   */
  textOf(letterId: string): string {
    let text = this.normalized.get(letterId);
    if (text === undefined) {
      text = normalizeForMatch(this.byId.get(letterId)?.text ?? '');
      this.normalized.set(letterId, text);
    }
    return text;
  }

  /** True when `text` (a short phrase: 重庆, 安居区, "Chongqing", "Anju district") names a place. */
  isPlace(text: string): boolean {
    const n = normalizeForMatch(text).replace(/\s+/g, '');
    if (/\p{Script=Han}/u.test(n)) return PLACE_SUFFIX.test(n) || this.chinese.includes(n) || placeNames(n).includes(n);
    if (/^[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?$/.test(text.trim())) return !EN_ISSUER_WORD.test(text);
    return EN_PLACE_WORD.test(text) || this.pinyin.has(n.replace(/[^a-z]/g, '').replace(/(?:district|county|city|province|town)$/, ''));
  }

  /** True when `text` names a body (…局, …委员会, "the transport bureau"). */
  isIssuer(text: string): boolean {
    const n = normalizeForMatch(text).replace(/\s+/g, '');
    return /\p{Script=Han}/u.test(n) ? ISSUER_SUFFIX.test(n) : EN_ISSUER_WORD.test(text);
  }

  /**
   * Places and bodies named in a question, as spans of the text given (non-overlapping, in order).
   *
   * @example
   * names.find('重庆和澳门青年交流有哪些安排?') // → [{ start: 0, end: 2, kind: 'place' }, …]
   */
  find(text: string): NamedSpan[] {
    // Normalising keeps lengths (inline pinyin aside, which questions do not carry): spans fit `text`.
    const source = normalizeForMatch(text);
    const spans: NamedSpan[] = [];
    const taken = new Uint8Array(source.length);
    const claim = (start: number, end: number, kind: NamedSpan['kind'], guessed = false) => {
      for (let i = start; i < end; i++) if (taken[i]) return;
      taken.fill(1, start, end);
      spans.push(guessed ? { start, end, kind, guessed } : { start, end, kind });
    };
    for (const m of source.matchAll(ISSUER_IN_TEXT)) {
      // An issuer phrase starts at a name the corpus knows, or is a whole known name.
      const phrase = m[0];
      const known = this.chinese.find((n) => phrase.includes(n));
      if (known) {
        const at = m.index! + phrase.indexOf(known);
        claim(at, m.index! + phrase.length, 'issuer');
      }
    }
    // Names the corpus's letters come from, then any other place the question writes (淮南市, 城区).
    const asked = [...source.matchAll(PLACE_IN_NAME)].map((m) => m[0]).filter((w) => !NOT_NAMES.has(w) && !NOT_NAMES.has(w.slice(0, 2)));
    for (const name of [...this.chinese, ...asked, ...placeNames(source).filter((p) => PLACE_SUFFIX.test(p))]) {
      let at = source.indexOf(name);
      while (at >= 0) {
        claim(at, at + name.length, 'place');
        at = source.indexOf(name, at + name.length);
      }
    }
    // A word, or two in a row (Chong qing), that is the pinyin of a known place.
    const words = [...source.matchAll(/[a-z]+/g)];
    words.forEach((w, i) => {
      const next = words[i + 1];
      const pair = next && source.slice(w.index! + w[0].length, next.index).trim() === '' ? w[0] + next[0] : '';
      if (pair && this.pinyin.has(pair)) claim(w.index!, next!.index! + next![0].length, 'place');
      else if (w[0].length >= 3 && this.pinyin.has(w[0])) claim(w.index!, w.index! + w[0].length, 'place');
    });
    // Else a capitalised word inside the sentence is taken for a name (Huainan, Anju); acronyms (MOX, SCO) are not.
    for (const m of text.matchAll(/(?<=\S\s+)[A-Z][a-z]{2,}(?:\s+[A-Z][a-z]{2,})?/g)) {
      if (!EN_ISSUER_WORD.test(m[0])) claim(m.index!, m.index! + m[0].length, 'place', true);
    }
    return spans.sort((a, b) => a.start - b.start);
  }
}
