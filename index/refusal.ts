/**
 * The relevance judgement: does anything in the corpus answer the question?
 *
 * A question is a set of concepts (query units: a Chinese word, an English word or phrase with its
 * translations, a name, a number). Seven checks, each on the top passages (with their letter's
 * metadata: issuer, addressees, proposal number, title):
 *
 * 1. Coverage: the rarity-weighted share of the question's concepts the best passage covers.
 *    Concepts the corpus never mentions count little (they are as likely paraphrase as absence),
 *    single characters count little (they are rarely the point).
 * 2. Focus (Chinese questions): a Chinese question ends on what it asks about (…预计哪一年建成？,
 *    …什么时候建成？). When none of its last two concepts appears in the passages of the letter the
 *    search found, that letter talks about the subject but not about the thing asked. The question's
 *    scaffolding (采取了什么, 依据的是哪部) and the letter's own writer (白河县交通运输局) are no focus.
 *    English questions: the noun asked about (how many beds, who is the principal, which company).
 * 3. Numbers: a number in the question (a year, a count, a proposal number) that none of the top
 *    letters contains means the question is about something they do not cover.
 * 4. Places: the finest jurisdiction a question names (郫都区 in 成都市郫都区; "Pidu district") must be
 *    the top letter's, and of all the places or people it names (Qingdao, 成都, 拉萨; English names
 *    read through pinyin, Chinese ones as jieba tags them) one must be in it. County pages often never
 *    write their own county, so "in it" also means the letter's metadata, the site owner the parser
 *    keeps (主办单位:盘山县人民政府) and the site address spelling the name (xinbin.gov.cn).
 * 5. Amounts: a question asking for a sum of money (多少钱, the budget, the fee, how much funding)
 *    is not answered by a letter that states no sum at all.
 * 6. Values: a question asking for a count (多少名), an area, a length, a speed limit or when something
 *    is finished needs a passage found in the top letter that states a number in a fitting unit
 *    (7名, 5平方公里; a time other than the letter's own date). The time of some other event (哪一年搬到…)
 *    needs a sentence stating a time and naming the event. English place names are also read as
 *    pinyin initials for the site address (Changshou → cs in cqcsrd).
 * 7. Persons: a question asking for a person by role (局长叫什么名字, who is the principal) needs a
 *    letter that names someone in a role (司马局长, 联系人:刘芳).
 */
import type { CorpusIndex } from './corpusIndex.ts';
import type { Letter } from '../corpus/letter.ts';
import { OFFICIAL_ROLES, type AnalyzedQuery, type QueryPlace, type QueryUnit } from './lexical/analyzeQuery.ts';
import { normalizeForMatch } from './lexical/normalizeForMatch.ts';
import { pinyinOf } from './lexical/pinyinNames.ts';
import { cjkBigrams } from './lexical/segmenter.ts';
import { letterMetadataTerms } from './letterMetadataTerms.ts';

export interface RefusalParams {
  /** Minimum weighted share of the question's concepts the best passage must cover (0..1). */
  threshold: number;
  /** How many top passages are examined. */
  depth: number;
  /** Apply the focus rule (Chinese: the last concepts; English: the noun asked about). */
  focus: boolean;
  /** Apply the number rule. */
  numbers: boolean;
  /** Apply the names and places rule. */
  names: boolean;
  /** Apply the amount rule (a question asking for a sum of money needs a letter stating one). */
  amounts: boolean;
  /** Apply the value rule (a count, area, length, speed limit or completion date asked for needs passages stating one). */
  values: boolean;
  /** Apply the person rule (a person asked for by role needs a letter naming someone in a role). */
  persons: boolean;
}

// Below this coverage a question most of whose concepts the corpus never writes is off topic (the
// nonsense questions cover 0.32; a colloquial question with several unknown words but three strong
// ones, 0.47).
const ABSENCE_COVERAGE = 0.45;

export const DEFAULT_REFUSAL: RefusalParams = { threshold: 0.3, depth: 5, focus: true, numbers: true, names: true, amounts: true, values: true, persons: true };

export interface Verdict {
  refused: boolean;
  /** Coverage of the best passage, 0..1. */
  confidence: number;
  /** Why it refused, for logs and explanations. */
  reason?: 'nothing-found' | 'low-coverage' | 'focus-missing' | 'number-missing' | 'names-absent' | 'place-absent' | 'amount-missing' | 'value-missing' | 'person-missing';
}

/** How well a set of document terms covers one concept (0..1). */
export function unitCoverage(unit: QueryUnit, has: (term: string) => boolean): number {
  let bestWord = 0;
  let maxWord = 0;
  let bigramTotal = 0;
  let bigramFound = 0;
  for (const [term, w] of unit.alternatives) {
    if (term.startsWith('w:')) {
      maxWord = Math.max(maxWord, w);
      if (has(term)) bestWord = Math.max(bestWord, w);
    } else {
      bigramTotal += w;
      if (has(term)) bigramFound += w;
    }
  }
  const word = maxWord > 0 ? bestWord / maxWord : 0;
  const bigram = bigramTotal > 0 ? (0.85 * bigramFound) / bigramTotal : 0;
  return Math.max(word, bigram);
}

/** Weight of a concept: its rarity (IDF), little when the corpus never mentions it or it is one character. */
function unitWeight(unit: QueryUnit, index: CorpusIndex): number {
  let idf = 0;
  let df = 0;
  for (const term of unit.alternatives.keys()) {
    idf = Math.max(idf, index.passageLexical.idf(term));
    df = Math.max(df, index.passageLexical.df(term));
  }
  const weight = df === 0 ? 1 : idf;
  return [...unit.source].length === 1 ? weight * 0.3 : weight;
}

const isNumberUnit = (u: QueryUnit) => /^\d+$/.test(u.source);

/**
 * Whether a word names who wrote the letter: part of its issuer or site owner, or (3+ characters) an
 * abbreviation of it, its characters in order (港澳办 in 港澳事务办公室, as 北大 is 北京大学).
 */
function namesWriter(word: string, issuer: string): boolean {
  if (issuer.includes(word)) return true;
  const chars = [...word];
  if (chars.length < 3) return false;
  // Within one name (issuer or site owner), not across both.
  return issuer.split('\n').some((name) => {
    let at = 0;
    for (const c of chars) {
      at = name.indexOf(c, at);
      if (at < 0) return false;
      at += 1;
    }
    return true;
  });
}

/**
 * Judges whether the top passages answer the question.
 *
 * @param ranked passage ordinals, best first.
 * @example
 * judgeRelevance(query, [12, 40, 3], index, DEFAULT_REFUSAL) // → { refused: false, confidence: 0.86 }
 */
export function judgeRelevance(query: AnalyzedQuery, ranked: number[], index: CorpusIndex, params: RefusalParams): Verdict {
  if (!ranked.length || !query.units.length) return { refused: true, confidence: 0, reason: 'nothing-found' };
  const top = placeFirst(query, ranked.slice(0, params.depth), index, params);
  // A word naming the kind of answer (签发, 日期, 文号) says what is asked, not what about: on a small corpus
  // an absent one would outweigh the topic (重庆的复函是谁签发的: 签发 weighs 1, 重庆 in both letters 0.26).
  const topical = query.units.some((u) => !u.answerType && !isNumberUnit(u));
  const weights = query.units.map((u) => (topical && u.answerType ? 0 : unitWeight(u, index)));
  const total = weights.reduce((a, b) => a + b, 0);
  const passageHas = (ordinal: number) => {
    const meta = letterMetadataTerms(index, index.passageLetter[ordinal]);
    return (t: string) => meta.has(t) || index.passageLexical.contains(ordinal, t);
  };

  // 1. Coverage of the best passage.
  let best = 0;
  for (const ordinal of top) {
    const has = passageHas(ordinal);
    let covered = 0;
    query.units.forEach((u, i) => (covered += weights[i] * unitCoverage(u, has)));
    best = Math.max(best, total > 0 ? covered / total : 0);
  }
  const confidence = Math.round(best * 1000) / 1000;
  if (best < params.threshold) return { refused: true, confidence, reason: 'low-coverage' };
  // 1b. Absence (with coverage below ABSENCE_COVERAGE): most of the question's concepts (one of two) appear nowhere in the corpus (in no
  // passage and no letter's metadata, not even as a two-character translation). Rarity weighting
  // alone lets one rare word carry a question on a small corpus (…的草莓价格: 价格 is in one passage).
  const content = query.units.filter((u) => !isNumberUnit(u) && !u.answerType && !u.asking && [...u.source].length >= 2);
  const known = (u: QueryUnit) => [...u.alternatives.keys()].some((t) => [...t.slice(2)].length >= 2 && (index.passageLexical.df(t) > 0 || index.letterLexical.df(t) > 0));
  const absent = content.filter((u) => !known(u)).length;
  if (content.length >= 2 && ((absent * 2 > content.length && best < ABSENCE_COVERAGE) || (content.length === 2 && absent === 1))) return { refused: true, confidence, reason: 'low-coverage' };

  // 2. Focus: the last concepts of a Chinese question, in the top letter's passages among the hits.
  if (params.focus && !query.english) {
    const topLetter = index.passageLetter[top[0]];
    const issuer = placeEvidence(index, topLetter).issuer;
    // Concepts that only say who wrote the letter (白河县交通运输局) are how the question finds it, not
    // what it asks of it.
    const focus = query.units
      .filter((u) => !isNumberUnit(u) && !u.answerType && !u.asking && [...u.source].length >= 2)
      .filter((u) => !namesWriter(u.source, issuer))
      .slice(-2);
    const letterPassages = top.filter((o) => index.passageLetter[o] === topLetter).map(passageHas);
    const found = focus.some((u) => letterPassages.some((has) => unitCoverage(u, has) >= 0.5));
    if (focus.length && !found) return { refused: true, confidence, reason: 'focus-missing' };
  }

  // 2b. English: the noun asked about (how many beds, who is the principal, which company), in the
  // top letter's passages among the hits — when the corpus knows some translation of it at all (a
  // word it never writes is as likely a translation gap as an absence).
  if (params.focus && query.english && query.asked) {
    const asked = query.asked;
    const known = [...asked.alternatives.keys()].some((t) => t.startsWith('w:') && index.passageLexical.df(t) > 0);
    const topLetter = index.passageLetter[top[0]];
    const letterPassages = top.filter((o) => index.passageLetter[o] === topLetter).map(passageHas);
    // A count with the general measure word (由6个扩容至10个) may leave the counted noun unsaid.
    const countsBare = query.value?.kind === 'count' && top.some((o) => index.passageLetter[o] === topLetter && statesValue(normalizeForMatch(index.passages[o].text), ['个']));
    if (known && !countsBare && !letterPassages.some((has) => unitCoverage(asked, has) >= 0.5)) return { refused: true, confidence, reason: 'focus-missing' };
  }

  // 2c. English: the noun asked for is a common word the corpus writes in no translation (what penalty
  // did…, when no letter has 罚款, 处罚, 惩罚…): the letters found discuss the topic, none states it.
  if (params.focus && query.english && query.askedAbsent) return { refused: true, confidence, reason: 'focus-missing' };

  // 3. Numbers: each must occur in one of the top letters (anywhere in it).
  if (params.numbers) {
    const letters = [...new Set(top.map((o) => index.passageLetter[o]))].slice(0, 3);
    for (const u of query.units.filter(isNumberUnit)) {
      const inSomeLetter = letters.some((l) => [...u.alternatives.keys()].some((t) => index.letterLexical.contains(l, t)));
      if (!inSomeLetter) return { refused: true, confidence, reason: 'number-missing' };
    }
  }
  // 4. Places: the finest jurisdiction the question names (郫都区 in 成都市郫都区) must be the top
  // letter's, and of all the places or people it names, one must be in it (its text, or the
  // metadata that says where it is from).
  if (params.names && query.places.length) {
    const l = index.passageLetter[top[0]];
    const found = query.places.map((p) => letterMentionsPlace(index, l, p));
    const finest = Math.max(0, ...query.places.map((p) => p.level));
    const required = query.places.map((p, i) => i).filter((i) => finest > 0 && query.places[i].level === finest);
    if (required.length && !required.some((i) => found[i])) return { refused: true, confidence, reason: 'place-absent' };
    if (!found.some(Boolean)) return { refused: true, confidence, reason: 'names-absent' };
  }

  // 5. Amounts of money: a question asking for one (多少钱, the budget, the fee, how much funding) is
  // answered only by a letter that states some sum.
  if (params.amounts && query.asksAmount) {
    const l = index.passageLetter[top[0]];
    if (!MONEY.test(index.letters[l].text)) return { refused: true, confidence, reason: 'amount-missing' };
  }

  // 6. Measured values: a question asking for a count, an area, a length or a speed limit is answered
  // only by the passages found in the top letter that state a number in a fitting unit (7名,
  // 5平方公里, 972.8公里): a count elsewhere in the corpus is another letter's answer.
  if (params.values && query.value?.kind === 'event') {
    // The time of an event (哪一年搬到…): a sentence of the passages found in the top letter states a
    // time and names the event (a word of its clause other than the letter's own writer). With no
    // such word left (…的建议是哪天), the rule stands aside.
    const topLetter = index.passageLetter[top[0]];
    const issuer = placeEvidence(index, topLetter).issuer;
    const event = (query.value.event ?? []).filter((u) => query.english || !namesWriter(u.source, issuer));
    const units = query.value.units;
    // Single characters (区, 路) name no event.
    const names = (x: string) => (u: QueryUnit) => unitCoverage(u, (t) => [...t.slice(2)].length >= 2 && x.includes(t.slice(2))) >= 0.5;
    const states = top
      .filter((o) => index.passageLetter[o] === topLetter)
      .some((o) => sentences(normalizeForMatch(index.passages[o].text)).some((x) => statesValue(x, units) && event.some(names(x))));
    if (event.length && !states) return { refused: true, confidence, reason: 'value-missing' };
  } else if (params.values && query.value) {
    const units = query.value.units;
    const topLetter = index.passageLetter[top[0]];
    const found = top.filter((o) => index.passageLetter[o] === topLetter);
    // A letter's own date (its signature) says when it was written, not when anything is finished.
    const own = query.value.kind === 'completion' ? ownDates(index.letters[topLetter]) : [];
    const text = (o: number) => own.reduce((t, d) => t.split(d).join(' '), normalizeForMatch(index.passages[o].text));
    const measured = query.value.measured;
    // Tied to what is measured: some sentence states the value and names it (规划面积5平方公里 for the
    // 基地's area, not for the 展区's), when the corpus writes that concept at all.
    const tied = measured && [...measured.alternatives.keys()].some((t) => index.passageLexical.df(t) > 0);
    const states = found.some((o) =>
      tied
        ? sentences(text(o)).some((x) => statesValue(x, units) && unitCoverage(measured, (t) => x.includes(t.slice(2))) >= 0.5)
        : statesValue(text(o), units),
    );
    if (!states) return { refused: true, confidence, reason: 'value-missing' };
  }
  // 7. Persons: a question asking for one (局长叫什么名字, who is the principal) needs a letter that
  // names someone in a role (司马局长, 副县长李建国同志, 联系人:刘芳) — or, asking who proposed it, an
  // addressee (张娟委员). A letter naming nobody answers with an office, not the person asked.
  if (params.persons && query.person) {
    const letter = index.letters[index.passageLetter[top[0]]];
    const text = normalizeForMatch([letter.text, letter.addressees.join('\n')].join('\n'));
    if (!namesPerson(text, query.person === 'proposer' ? [...OFFICIAL_ROLES, '委员', '代表'] : OFFICIAL_ROLES)) return { refused: true, confidence, reason: 'person-missing' };
  }
  return { refused: false, confidence };
}

/**
 * The top passages with the letter the question's place is from first. A question naming a place
 * (某某区执法局那份…) is about that place's letter even when a letter from elsewhere on the same office
 * kind and topic ranks higher: when the top letter does not mention the place but a letter among the
 * top passages is written by it (its issuer or site owner names it), every rule judges that letter.
 * Only the letter's own issuer counts, not a mention: a passing mention of a place is no reason to
 * prefer a letter over the one the search found.
 */
function placeFirst(query: AnalyzedQuery, top: number[], index: CorpusIndex, params: RefusalParams): number[] {
  if (!params.names || !query.places.length || !top.length) return top;
  const first = index.passageLetter[top[0]];
  if (query.places.some((p) => letterMentionsPlace(index, first, p))) return top;
  const chinese = query.places.filter((p) => /\p{Script=Han}/u.test(p.core));
  const from = top.map((o) => index.passageLetter[o]).find((l) => chinese.some((p) => placeEvidence(index, l).issuer.includes(p.core)));
  if (from === undefined) return top;
  return [...top.filter((o) => index.passageLetter[o] === from), ...top.filter((o) => index.passageLetter[o] !== from)];
}

/**
 * Whether a text names a person in one of the roles: a name before the role (司马局长, 李建国同志,
 * 张娟委员) or after it (联系人:刘芳, 常务副县长李建国). The word before a role must not end like an
 * office (教育局局长, 区人大代表 name no one).
 *
 * @example
 * namesPerson('本复函经司马局长审定', ['局长']) // → true
 */
export function namesPerson(text: string, roles: string[]): boolean {
  const role = roles.join('|');
  const before = new RegExp(`(\\p{Script=Han}{2,3})(?:等\\d+位)?(?:${role})`, 'gu');
  for (const m of text.matchAll(before)) if (!/[局委府会部院校办厅处室所队站心司团社级大市县区省镇乡村副常务级]$/u.test(m[1])) return true;
  // 联系人:刘芳, 承办人及联系电话:陈刚 0730…, 常务副县长李建国同志.
  return new RegExp(`(?:${role})(?:[^:：\\n。]{0,6}[:：])?\\s*\\p{Script=Han}{2,3}(?:[,，;；\\s(（\\d]|同志|$)`, 'u').test(text);
}

/** A text's sentences (split at 。！？；, line breaks). */
export function sentences(text: string): string[] {
  return text.split(/[。！？!?；;\n]+/);
}

/** The dates a letter carries as a document (written, published), as its text writes them: 2025年4月10日, 2025-04-10. */
function ownDates(letter: Letter): string[] {
  const out: string[] = [];
  for (const iso of [letter.date, letter.published]) {
    const m = iso && /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
    if (!m) continue;
    const [y, mo, d] = [m[1], String(Number(m[2])), String(Number(m[3]))];
    out.push(`${y}年${mo}月${d}日`, `${y}年${m[2]}月${m[3]}日`, iso.slice(0, 10));
  }
  return out;
}

const NUMERAL = '(?:\\d[\\d,.]*|[一二两三四五六七八九十百千万零〇]+)';

/**
 * Whether a text states a number in one of the units: 7名, 近900余人次, 两个, 5平方公里, 1.56万人.
 *
 * @example
 * statesValue('推荐7名澳门青年加入市青年联合会', ['名']) // → true
 */
export function statesValue(text: string, units: string[]): boolean {
  const escaped = units.map((u) => u.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|');
  return new RegExp(`${NUMERAL}\\s*(?:[万千百亿])?\\s*(?:余|多)?\\s*(?:${escaped})`).test(text);
}

/** A sum of money as letters write it: 2000万元, 9297万元, 3.5亿元, 200元, ￥500, 5,000 yuan. */
const MONEY = /\d\s*(?:多|余)?\s*(?:万|亿|千|百)?\s*(?:元|块)|[￥¥]\s*\d|\d\s*(?:yuan|rmb)\b/i;

/** Where a letter says it is from, beyond its text: metadata, site owner, site address. */
interface LetterPlaceEvidence {
  /** Title, issuer, addressees and site owner, normalised. */
  meta: string;
  /**
   * Toneless pinyin syllables of the same (an English name must be a run of whole syllables): see
   * metaSyllables, which works them out only for the letters an English place name is checked against.
   */
  metaSyllables?: string[];
  /** Labels of the source address that are not generic (cqcsrd, xinbin, abjinchuan). */
  domain: string[];
  /** Issuer and site owner, normalised: who wrote the letter. */
  issuer: string;
  /** Whether the issuer or site owner names a place (重庆市…, 盘山县人民政府): the letter says where it is from. */
  placed: boolean;
}

const evidenceCache = new WeakMap<CorpusIndex, Map<number, LetterPlaceEvidence>>();
const GENERIC_LABELS = new Set(['www', 'gov', 'cn', 'com', 'net', 'org', 'http', 'https', 'public', 'xxgk', 'zwgk', 'html', 'htm', 'shtml']);

/** What a letter says of itself, normalised: title, issuer, addressees, site owner (where it is from, and to whom). */
export function letterMetaText(letter: Letter): string {
  return normalizeForMatch([letter.title, letter.issuer ?? '', letter.addressees.join(' '), letter.site ?? ''].join('\n'));
}

function placeEvidence(index: CorpusIndex, l: number): LetterPlaceEvidence {
  let cache = evidenceCache.get(index);
  if (!cache) evidenceCache.set(index, (cache = new Map()));
  let e = cache.get(l);
  if (!e) {
    const letter = index.letters[l];
    const meta = letterMetaText(letter);
    const host = /^[a-z]+:\/\/([^/?#]+)/i.exec(letter.source ?? '')?.[1]?.toLowerCase() ?? '';
    const domain = host.split('.').filter((x) => /^[a-z]{2,}$/.test(x) && !GENERIC_LABELS.has(x));
    const placed = [letter.issuer, letter.site].some((x) => x && /^[\p{Script=Han}]{2,8}?(省|市|县|区|州|旗)/u.test(normalizeForMatch(x)));
    const issuer = normalizeForMatch([letter.issuer ?? '', letter.site ?? ''].join('\n'));
    cache.set(l, (e = { meta, domain, placed, issuer }));
  }
  return e;
}

/**
 * Whether a letter mentions a place the question names: in its text or metadata (by the corpus
 * terms that spell it, or its core: 盘山县 → 盘山), in its site owner, or — for letters whose own
 * wording never says where they are from — in their site address (xinbin.gov.cn, cqcsrd: 长寿 → cs).
 */
export function letterMentionsPlace(index: CorpusIndex, l: number, place: QueryPlace): boolean {
  const e = placeEvidence(index, l);
  if (place.terms.some((t) => e.meta.includes(t.slice(2)) || index.letterLexical.contains(l, t))) return true;
  const chinese = /\p{Script=Han}/u.test(place.core);
  if (chinese) {
    const bigrams = cjkBigrams(place.core);
    if (e.meta.includes(place.core) || (bigrams.length > 0 && bigrams.every((b) => index.letterLexical.contains(l, 'b:' + b)))) return true;
  }
  // What is left for a Chinese name is its pinyin (or initials) in the site address: without one, no
  // need to read the name as pinyin at all (most letters' addresses have no telling label).
  if (chinese && e.domain.length === 0) return false;
  const { spelled, initials } = chinese ? pinyinOf(place.core) : { spelled: place.core, initials: '' };
  if (!chinese && spelled.length >= 4 && spellsSyllables(spelled, metaSyllables(e))) return true;
  if (spelled.length >= 4 && e.domain.some((d) => d.includes(spelled))) return true;
  // Initials are weak evidence: only for a letter that does not say where it is from. An English
  // name brings its own (changshou → cs), read as pinyin syllables by the analyser.
  const candidates = chinese ? [initials] : (place.initials ?? []);
  return !e.placed && candidates.some((i) => i.length >= 2 && e.domain.some((d) => d.includes(i)));
}

/**
 * The pinyin syllables of a letter's metadata, on first need: pinyin-pro over a whole title is the
 * dearest part of a letter's place evidence, and only English place names read it.
 */
function metaSyllables(e: LetterPlaceEvidence): string[] {
  e.metaSyllables ??= pinyinOf(e.meta.replace(/[^\p{Script=Han}]/gu, '')).syllables;
  return e.metaSyllables;
}


/** Whether a word is some run of consecutive whole syllables (panshan in pan shan xian, not anhui in wan hui). */
function spellsSyllables(word: string, syllables: string[]): boolean {
  for (let i = 0; i < syllables.length; i++) {
    let run = '';
    for (let j = i; j < syllables.length && run.length < word.length; j++) run += syllables[j];
    if (run === word) return true;
  }
  return false;
}
