/**
 * A question → weighted lexical terms.
 *
 * Chinese (Simplified or Traditional): jieba words minus question words, plus character bigrams of
 * the remaining runs. English: dictionary translations (phrases before words), pinyin names, and
 * Latin tokens / numbers kept as they are. Aliases the letters define expand both ways
 * (MOX ↔ 中华(澳门)金融资产交易股份有限公司).
 */
import type { WeightedTerm } from './lexicalIndex.ts';
import type { EnglishDictionaryData } from './englishDictionary.ts';
import { ENGLISH_STOPWORDS, englishKey } from './englishWords.ts';
import { normalizeForMatch } from './normalizeForMatch.ts';
import { namesForPinyin, type PinyinTableData } from './pinyinNames.ts';
import { chineseWords, cjkBigrams, hasHan, latinTokens, placeNames } from './segmenter.ts';
import { CHINESE_STOPWORDS, isChineseStopword } from './chineseStopwords.ts';

/** What the analyser needs to know about the corpus. */
export interface QueryContext {
  /** Document frequency of a family-prefixed term in the passage index. */
  df(term: string): number;
  english: EnglishDictionaryData;
  /** English words the full dictionary knows as common words: a capitalised word not among them is a name. */
  commonEnglish: Set<string>;
  pinyin: PinyinTableData;
  /** Normalised alias → normalised expansions (both directions). */
  aliases: Map<string, string[]>;
}

export interface AnalyzedQuery {
  /** Family-prefixed terms for LexicalIndex, merged (max weight per term). */
  terms: WeightedTerm[];
  /** Plain terms (Chinese words / Latin tokens) for display and quote selection. */
  display: { text: string; weight: number }[];
  /**
   * The question's concepts: each unit is one thing the question asks about (a Chinese word, an
   * English word or phrase, a name, a number), with the terms that would count as matching it.
   * The relevance judgement checks how many units a passage covers.
   */
  units: QueryUnit[];
  /**
   * Names an English question mentions (capitalised words that are not common English words nor
   * acronyms: Qingdao, Chengdu, Pidu), each with the corpus terms it was read as (empty when the
   * corpus knows no such name). The relevance judgement checks them against the letter found.
   */
  names: { word: string; terms: string[] }[];
  /** More Latin letters than Chinese characters: an English question. */
  english: boolean;
}

export interface QueryUnit {
  /** What the unit came from (question word), for explanations. */
  source: string;
  /**
   * The unit names the kind of answer wanted rather than a topic (哪家**企业**, 什么**时间**,
   * 落款**日期**): the answer contains an instance, not the word.
   */
  answerType?: boolean;
  /** Family-prefixed terms that satisfy the unit, with their weight. */
  alternatives: Map<string, number>;
}

/** Relative weights of term kinds. */
export const QUERY_WEIGHTS = {
  word: 1,
  bigram: 0.6,
  latin: 1.6,
  number: 1.8,
  translation: 1,
  translationBigram: 0.5,
  name: 1.8,
  alias: 0.7,
};

/**
 * Analyses a question into weighted terms.
 *
 * @example
 * analyzeQuery('青岛和MOX合作做了什么？', ctx).display.map((t) => t.text) // → ['青岛', '合作', 'mox', …]
 */
export function analyzeQuery(question: string, ctx: QueryContext): AnalyzedQuery {
  const weights = new Map<string, number>();
  const display = new Map<string, number>();
  const units: QueryUnit[] = [];
  let unit: QueryUnit | undefined;
  /** Starts a new concept; terms added until the next call satisfy it. */
  const beginUnit = (source: string | null) => {
    if (source === null) {
      unit = undefined; // terms that belong to no new concept
      return;
    }
    unit = { source, alternatives: new Map() };
    units.push(unit);
  };
  const add = (term: string, w: number) => {
    if (w > (weights.get(term) ?? 0)) weights.set(term, w);
    if (unit && w > (unit.alternatives.get(term) ?? 0)) unit.alternatives.set(term, w);
  };
  const show = (text: string, w: number) => {
    if (w > (display.get(text) ?? 0)) display.set(text, w);
  };
  /** A Chinese word with its bigrams (the bigrams catch other segmentations). */
  const addChinese = (word: string, w: number, bigramWeight: number) => {
    add('w:' + word, w);
    show(word, w);
    for (const b of cjkBigrams(word)) if (b.length === 2) add('b:' + b, bigramWeight);
  };

  const normalized = normalizeForMatch(question);
  const latinLetters = (normalized.match(/[a-z]/g) ?? []).length;
  const hanChars = (normalized.match(/\p{Script=Han}/gu) ?? []).length;
  const english = latinLetters > hanChars * 2;

  // Chinese part.
  const words = mergeSingleCharacters(chineseWords(normalized).filter((w) => !isChineseStopword(w)), normalized);
  for (const w of words) {
    // Search mode yields a long word and its parts; the parts are alternatives of the long word's unit.
    const parent = words.find((o) => o !== w && o.length > w.length && o.includes(w));
    if (!parent) {
      beginUnit(w);
      if (isAnswerType(w, normalized)) unit!.answerType = true;
    } else unit = units.find((u) => u.source === parent);
    // A run of single characters jieba could not group (新密, 盘山) is matched through its bigrams.
    if (!ctx.df('w:' + w) && w.length > 1) for (const c of w) add('w:' + c, QUERY_WEIGHTS.word * 0.3);
    add('w:' + w, QUERY_WEIGHTS.word);
    show(w, QUERY_WEIGHTS.word);
    for (const b of cjkBigrams(w)) if (b.length === 2) add('b:' + b, w.length === 2 ? QUERY_WEIGHTS.word : QUERY_WEIGHTS.bigram);
  }
  unit = undefined;
  for (const run of contentRuns(normalized)) {
    for (const b of cjkBigrams(run)) if (b.length === 2) add('b:' + b, QUERY_WEIGHTS.bigram);
  }

  // Latin tokens and numbers, kept as written (MOX, 0963, D022, 137).
  for (const t of latinTokens(normalized.replace(/(\d+)(st|nd|rd|th)\b/g, '$1'))) {
    if (/^\d+$/.test(t)) {
      beginUnit(units.some((u) => u.alternatives.has('w:' + t)) ? null : t);
      add('w:' + t, QUERY_WEIGHTS.number);
      show(t, QUERY_WEIGHTS.number);
    } else if (!english || (!ENGLISH_STOPWORDS.has(t) && ctx.df('w:' + t) > 0)) {
      // In an English question, an English word only counts as-is when the letters contain it.
      beginUnit(t);
      add('w:' + t, QUERY_WEIGHTS.latin);
      show(t, QUERY_WEIGHTS.latin);
    }
  }

  unit = undefined;
  if (latinLetters > 0) addEnglish(question, ctx, addChinese, beginUnit, (w) => add('w:' + w, QUERY_WEIGHTS.name));
  unit = undefined;
  const names = english ? questionNames(question, ctx, units) : chineseNames(normalized, ctx);

  // Aliases, both ways: a question about MOX also matches the full company name, and vice versa.
  for (const [text, w] of [...display]) {
    for (const expansion of ctx.aliases.get(text) ?? []) {
      if (hasHan(expansion)) {
        for (const word of chineseWords(expansion)) if (!isChineseStopword(word)) addChinese(word, w * QUERY_WEIGHTS.alias, w * QUERY_WEIGHTS.alias * 0.5);
      } else {
        add('w:' + expansion, w * QUERY_WEIGHTS.alias);
        show(expansion, w * QUERY_WEIGHTS.alias);
      }
    }
  }

  return {
    terms: [...weights].map(([term, weight]) => ({ term, weight })),
    display: [...display].map(([text, weight]) => ({ text, weight })).sort((a, b) => b.weight - a.weight),
    units: units.filter((u) => u.alternatives.size > 0),
    names,
    english,
  };
}

/**
 * Joins runs of consecutive single-character words into one word: jieba splits names it does not
 * know (新密 → 新 / 密), and the pair, matched as a bigram, is what the question means.
 */
function mergeSingleCharacters(words: string[], normalized: string): string[] {
  const out: string[] = [];
  let run = '';
  for (const w of words) {
    if (w.length === 1 && (!run || normalized.includes(run + w))) {
      run += w;
      continue;
    }
    if (run) out.push(run);
    run = w.length === 1 ? w : '';
    if (w.length > 1) out.push(w);
  }
  if (run) out.push(run);
  return out;
}

/** Words that name the kind of answer wherever they stand (落款日期, 联系电话号码). */
const ANSWER_TYPE_WORDS = new Set(['日期', '时间', '年份', '落款', '名称', '名字', '数量', '人数', '金额', '地点', '原因', '号码']);
/** Category nouns that name the kind of answer when a question word comes shortly before (哪家企业, 什么错峰措施). */
const CATEGORY_WORDS = new Set([
  '企业', '公司', '单位', '部门', '机构', '组织', '措施', '举措', '办法', '方法', '方式', '形式', '地方', '城市', '地区',
  '项目', '平台', '内容', '领域', '行业', '文件', '政策', '活动', '问题', '工作', '人', '人员', '东西', '事情', '方面',
]);
const WH = /哪|什么|多少|几|何/;

/** True when a question word names the kind of answer rather than a topic. */
function isAnswerType(word: string, normalized: string): boolean {
  if (ANSWER_TYPE_WORDS.has(word)) return true;
  if (!CATEGORY_WORDS.has(word)) return false;
  const at = normalized.indexOf(word);
  return at > 0 && WH.test(normalized.slice(Math.max(0, at - 6), at));
}

/** Runs of Chinese text between stopwords and punctuation, for bigrams that stay inside content. */
function contentRuns(normalized: string): string[] {
  let s = normalized;
  for (const w of CHINESE_STOPWORDS) if (w.length > 1) s = s.split(w).join(' ');
  return s.split(/[^\p{Script=Han}]+/u).filter((r) => r.length >= 2);
}

/**
 * Capitalised words inside an English question that are neither common English words nor acronyms,
 * with the terms the analysis read them as (from their units).
 */
function questionNames(question: string, ctx: QueryContext, units: QueryUnit[]): { word: string; terms: string[] }[] {
  const raw = question.replace(/['’]s\b/g, '').match(/[A-Za-z]+/g) ?? [];
  const out: { word: string; terms: string[] }[] = [];
  raw.forEach((token, i) => {
    if (i === 0 || !/^[A-Z][a-z]{2,}$/.test(token)) return;
    const word = token.toLowerCase();
    if (ENGLISH_STOPWORDS.has(word) || ctx.commonEnglish.has(englishKey(word))) return;
    const terms = units.filter((u) => u.source.split(' ').includes(word)).flatMap((u) => [...u.alternatives.keys()]);
    out.push({ word, terms: terms.filter((t) => ctx.df(t) > 0) });
  });
  return out;
}

/** Place and organisation names of a Chinese question, with the corpus terms that spell them. */
function chineseNames(normalized: string, ctx: QueryContext): { word: string; terms: string[] }[] {
  return placeNames(normalized).map((word) => {
    const bigrams = cjkBigrams(word).map((b) => 'b:' + b);
    // Known when the corpus has the whole name, or every character pair of it (盘山县 is not known from 山县 alone).
    const known = ctx.df('w:' + word) > 0 || bigrams.every((t) => ctx.df(t) > 0);
    return { word, terms: known ? ['w:' + word, ...bigrams] : [] };
  });
}

interface EnglishToken {
  word: string;
  key: string;
  capitalized: boolean;
  stop: boolean;
}

/** English words → Chinese candidates (phrases first), and pinyin names. */
function addEnglish(
  question: string,
  ctx: QueryContext,
  addChinese: (word: string, w: number, bigramWeight: number) => void,
  beginUnit: (source: string | null) => void,
  addLatin: (word: string) => void,
): void {
  const tokens: EnglishToken[] = (question.replace(/['’]s\b/g, '').match(/[A-Za-z]+/g) ?? []).map((raw, i) => {
    const word = raw.toLowerCase();
    return { word, key: englishKey(word), capitalized: i > 0 && /^[A-Z]/.test(raw), stop: ENGLISH_STOPWORDS.has(word) };
  });
  const covered = new Array<boolean>(tokens.length).fill(false);
  const translate = (key: string, w: number): boolean => {
    const candidates = ctx.english[key];
    if (!candidates?.length) return false;
    // Spread one English meaning over its translations so a word with many does not outweigh the rest.
    const total = candidates.reduce((s, [, q]) => s + q, 0);
    const share = Math.max(1, total / 1.5);
    for (const [zh, q] of candidates) addChinese(zh, (w * q) / share, ((w * q) / share) * QUERY_WEIGHTS.translationBigram);
    return true;
  };

  // Phrases, longest first: "school bus" → 校车 before "school" → 学校.
  for (let n = 4; n >= 2; n--) {
    for (let i = 0; i + n <= tokens.length; i++) {
      const span = tokens.slice(i, i + n);
      if (span[0].stop || span[n - 1].stop || span.every((t, j) => covered[i + j])) continue;
      const key = span.filter((t) => !t.stop).map((t) => t.key).join(' ');
      if (!ctx.english[key]?.length) continue;
      beginUnit(span.map((t) => t.word).join(' '));
      translate(key, QUERY_WEIGHTS.translation * 1.3);
      for (let j = 0; j < n; j++) covered[i + j] = true;
    }
  }

  // Names: a capitalised run (Qi Xiaowei → qixiaowei) and single tokens not known as English words.
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.stop) continue;
    const isEnglishWord = ctx.english[t.key] !== undefined;
    if (t.capitalized || !isEnglishWord) {
      let found = false;
      // Join with the following capitalised tokens (given names are often split: Xiao Wei).
      for (let j = Math.min(tokens.length, i + 3); j > i + 1; j--) {
        const run = tokens.slice(i, j);
        if (!run.every((r) => r.capitalized && !r.stop)) continue;
        const names = namesForPinyin(run.map((r) => r.word).join(''), ctx.pinyin, (p) => ctx.df('b:' + p));
        if (names.length) {
          beginUnit(run.map((r) => r.word).join(' '));
          names.forEach((n, k) => addChinese(n, QUERY_WEIGHTS.name / (k + 1), (QUERY_WEIGHTS.name / (k + 1)) * 0.6));
          for (let k = i; k < j; k++) covered[k] = true;
          found = true;
          break;
        }
      }
      if (!found) {
        const names = namesForPinyin(t.word, ctx.pinyin, (p) => ctx.df('b:' + p));
        if (names.length || !isEnglishWord) beginUnit(t.word);
        names.forEach((n, k) => addChinese(n, QUERY_WEIGHTS.name / (k + 1), (QUERY_WEIGHTS.name / (k + 1)) * 0.6));
        // A name the corpus does not know stays in the question as an unmatched concept (Pidu, Lhasa…):
        // the relevance judgement must see that something asked about is absent.
        if (!names.length && !isEnglishWord && t.word.length >= 3) addLatin(t.word);
        if (!isEnglishWord) covered[i] = true;
      }
    }
  }

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.stop || !ctx.english[t.key]?.length) continue;
    // A word already inside a phrase or name adds its own translations weakly, as no new concept.
    beginUnit(covered[i] ? null : t.word);
    translate(t.key, covered[i] ? QUERY_WEIGHTS.translation * 0.4 : QUERY_WEIGHTS.translation);
  }
}
