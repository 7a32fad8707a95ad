/**
 * A question → weighted lexical terms.
 *
 * Chinese (Simplified or Traditional): jieba words minus question words, plus character bigrams of
 * the remaining runs. English: dictionary translations (phrases before words), pinyin names, and
 * Latin tokens / numbers kept as they are. Aliases the letters define expand both ways
 * (MOX ↔ 中华(澳门)金融资产交易股份有限公司).
 */
import { boundQuestion } from './boundQuestion.ts';
import type { WeightedTerm } from './lexicalIndex.ts';
import type { EnglishDictionaryData } from './englishDictionary.ts';
import { ENGLISH_STOPWORDS, englishKey } from './englishWords.ts';
import { normalizeForMatch } from './normalizeForMatch.ts';
import { namesForPinyin, type PinyinTableData } from './pinyinNames.ts';
import { isCommonWordTaggedPlace } from './commonPlaceTags.ts';
import { chineseWords, cjkBigrams, hasHan, latinTokens, placeNames } from './segmenter.ts';
import { CHINESE_STOPWORDS, isChineseStopword } from './chineseStopwords.ts';
import { englishTopic, foldColloquial, topicText } from './questionScaffolding.ts';

/** What the analyser needs to know about the corpus. */
export interface QueryContext {
  /** Document frequency of a family-prefixed term in the passage index. */
  df(term: string): number;
  /** For names read through pinyin: also counts the letters' metadata (site owner, issuer); default df. */
  nameDf?(term: string): number;
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
  /**
   * Places (and, in English, people) the question names, each with the ways a letter could write
   * it. The relevance judgement checks them against the letter found, including the metadata a
   * letter that never names its own county still has (title, issuer, site owner, site address).
   */
  places: QueryPlace[];
  /** The question asks for a sum of money (多少钱, 预算是多少, how much funding, what is the fee). */
  asksAmount: boolean;
  /**
   * The question asks for a person by role (局长叫什么名字, 联系人是谁, *who is the principal*, *the name
   * of the official who heads …*): 'official'; or for who made the proposal (哪位委员, *which deputy*):
   * 'proposer'. See asksPerson.
   */
  person?: 'official' | 'proposer';
  /** The question asks for a measured value (a count, an area, a length, a speed limit); see asksValue. */
  value?: AskedValue;
  /**
   * English: the noun the question asks about (how many **beds**, who is the **principal**, which
   * **company**) — the answer is about it, so the passages found must name it (in translation).
   */
  asked?: QueryUnit;
  /**
   * English: the noun asked for (what **penalty** did…, how many **beds**…) when it is a common English
   * word none of whose dictionary translations the corpus writes — no letter uses the concept, so
   * none states it (a name or a rare word is no such evidence: it may be spelled otherwise).
   */
  askedAbsent?: string;
  /** More Latin letters than Chinese characters: an English question. */
  english: boolean;
}

/** A place (or, in English, a person) a question names. */
export interface QueryPlace {
  /** As the question writes it, normalised: 盘山县, 郫都区, pidu. */
  word: string;
  /** Without its administrative suffix: 盘山, 郫都 (an English word is its own core). */
  core: string;
  /**
   * Marked as a jurisdiction (…县/区/市/镇, "Pidu district", "Wuhan municipal"): the place the
   * question is about, which the letter answering it must be from or speak of.
   */
  jurisdiction: boolean;
  /**
   * How fine the jurisdiction is (1 province … 3 county or district … 5 village; 0 when unmarked).
   * A question naming 成都市郫都区 or 四川省白河县 is about the finest one; letters often omit the others.
   */
  level: number;
  /** Corpus terms that spell it (empty when no passage of the corpus writes it). */
  terms: string[];
  /**
   * English names: the pinyin initials of the name's readings with fewest syllables (changshou →
   * chang shou → cs), for site addresses that abbreviate the place (cqcsrd.gov.cn). Chinese names
   * get theirs from the characters.
   */
  initials?: string[];
}

export interface QueryUnit {
  /** What the unit came from (question word), for explanations. */
  source: string;
  /**
   * The unit names the kind of answer wanted rather than a topic (哪家**企业**, 什么**时间**,
   * 落款**日期**): the answer contains an instance, not the word.
   */
  answerType?: boolean;
  /**
   * The unit is the question's own scaffolding: the verb that governs the question word (依据**的是**哪部,
   * 采取**了**什么). It says how the question is put, not what it is about; the letter need not use it.
   */
  asking?: boolean;
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
  question = boundQuestion(question);
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

  // `full` is the whole question (what kind of answer it wants is read from it); topic terms come
  // from `normalized`, the question without its scaffolding (请给原句, 那份答复, I want to quote…).
  const full = foldColloquial(normalizeForMatch(question));
  const latinLetters = (full.match(/[a-z]/g) ?? []).length;
  const hanChars = (full.match(/\p{Script=Han}/gu) ?? []).length;
  const english = latinLetters > hanChars * 2;
  const topicQuestion = english ? englishTopic(question) : question;
  const normalized = topicText(foldColloquial(normalizeForMatch(topicQuestion)));

  // Chinese part.
  const rawWords = chineseWords(normalized);
  const words = mergeSingleCharacters(rawWords.filter((w) => !isChineseStopword(w)), normalized);
  for (const w of words) {
    // Search mode yields a long word and its parts; the parts are alternatives of the long word's unit.
    const parent = words.find((o) => o !== w && o.length > w.length && o.includes(w));
    if (!parent) {
      beginUnit(w);
      if (isAnswerType(w, normalized)) unit!.answerType = true;
      else if (isAskingVerb(w, normalized)) unit!.asking = true;
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
      // A two-digit year as people type it (21到22年, 23年): letters write 2021, 2022.
      if (t.length === 2 && new RegExp(`(?<!\\d)${t}(?:年|\\s*[到至~-]\\s*\\d{2}年)`).test(normalized)) add('w:20' + t, QUERY_WEIGHTS.number);
    } else if (!english || (!ENGLISH_STOPWORDS.has(t) && ctx.df('w:' + t) > 0)) {
      // In an English question, an English word only counts as-is when the letters contain it.
      beginUnit(t);
      add('w:' + t, QUERY_WEIGHTS.latin);
      show(t, QUERY_WEIGHTS.latin);
    }
  }

  unit = undefined;
  if (latinLetters > 0) addEnglish(topicQuestion, ctx, addChinese, beginUnit, (w) => add('w:' + w, QUERY_WEIGHTS.name));
  unit = undefined;
  const tagged = english ? [] : placeNames(normalized);
  const names = english ? questionNames(topicQuestion, ctx, units) : chineseNames(tagged, ctx);
  const places = english ? englishPlaces(topicQuestion, names) : chinesePlaces(normalized, tagged, rawWords, ctx);

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
    places,
    asksAmount: asksAmount(full),
    person: asksPerson(full),
    value: valueOf(full, units, places),
    asked: english ? askedUnit(full, units) : undefined,
    askedAbsent: english ? askedAbsent(full, ctx) : undefined,
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
const ANSWER_TYPE_WORDS = new Set(['日期', '时间', '年份', '落款', '名称', '名字', '数量', '人数', '金额', '地点', '原因', '号码',
  // The letter's own facts (its number, signer, dates): answered by its header lines, which are no passages.
  '文号', '字号', '发文字号', '索引号', '签发人', '签发', '署名', '成文日期', '发布日期', '发布时间', '发表时间']);
/** Category nouns that name the kind of answer when a question word comes shortly before (哪家企业, 什么错峰措施). */
const CATEGORY_WORDS = new Set([
  '企业', '公司', '单位', '部门', '机构', '组织', '措施', '举措', '办法', '方法', '方式', '形式', '地方', '城市', '地区',
  '项目', '平台', '内容', '领域', '行业', '文件', '政策', '活动', '问题', '工作', '人', '人员', '东西', '事情', '方面',
]);
const WH = /哪|什么|多少|几|何/;

/** Question words jieba glues to a measure word or adjective (哪部, 几个, 多大, 多长): the asking itself. */
const ASKING_WORD = /哪|什么|多少|几|何|^多[大长高宽远久重深]$/;

/** True when a question word names the kind of answer (or wraps another concept) rather than a topic. */
function isAnswerType(word: string, normalized: string): boolean {
  if (ANSWER_TYPE_WORDS.has(word) || ASKING_WORD.test(word)) return true;
  if (!CATEGORY_WORDS.has(word)) return false;
  const at = normalized.indexOf(word);
  // …负担重的问题采取了什么办法: after 的, a category noun wraps the concept before it and adds none.
  return at > 0 && (WH.test(normalized.slice(Math.max(0, at - 6), at)) || normalized[at - 1] === '的');
}

/**
 * True when a word governs the question word through an aspect or focus particle (采取了什么办法,
 * 依据的是哪部办法, 参加过哪些): a verb of the asking, not the thing asked. A noun before 是 + question
 * word (依据是什么, 面积是多少) is the thing asked and does not match.
 */
function isAskingVerb(word: string, normalized: string): boolean {
  for (let at = normalized.indexOf(word); at >= 0; at = normalized.indexOf(word, at + 1)) {
    if (/^(了|过|的是)(哪|什么|多少|几|何)/.test(normalized.slice(at + word.length))) return true;
  }
  return false;
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
    out.push({ word, terms: terms.filter((t) => (ctx.nameDf ?? ctx.df)(t) > 0) });
  });
  return out;
}

/** Place and organisation names of a Chinese question, with the corpus terms that spell them. */
function chineseNames(tagged: string[], ctx: QueryContext): { word: string; terms: string[] }[] {
  return tagged.map((word) => {
    const bigrams = cjkBigrams(word).map((b) => 'b:' + b);
    // Known when the corpus has the whole name, or every character pair of it (盘山县 is not known from 山县 alone).
    const known = ctx.df('w:' + word) > 0 || bigrams.every((t) => ctx.df(t) > 0);
    return { word, terms: known ? ['w:' + word, ...bigrams] : [] };
  });
}

/** A Chinese question asking for a sum of money: 多少钱, 多少万元, 预算是多少, 罚款标准是多少. */
const AMOUNT_ZH =
  /多少钱|几块钱|多少[万亿千]?元|几[十百千]?[万亿]元|(金额|价格|价钱|票价|造价|费用|预算|罚款|罚金|注册资本|投资额|资金|补贴|收费|租金)(标准)?(是|为|有|大约|大概|共|一共|总共)?(多少|几何|多高)|多少(资金|投资|预算|补贴|费用|罚款)/;
/** An English question asking for one: how much funding / money / …, what is the price / fee / budget…. */
const AMOUNT_EN =
  /\bhow much\b[^?]{0,40}?\b(money|funding|funds?|budget|costs?|prices?|fees?|fines?|subsid(?:y|ies)|investment|capital|spend|spent|spending|pay|paid|charges?|charged|yuan|rmb|compensation|salar(?:y|ies)|rent|allowances?)\b|\bwhat (?:is|was|are|were|will be) the\b[^?]{0,24}?\b(prices?|costs?|fees?|budget|fines?|registered capital|charges?|tuition|rent)\b|\bhow much (?:does|did|will|would)\b[^?]*\b(cost|spend|pay|invest|charge)\b/;

/**
 * True when a (normalised) question asks for a sum of money: the answer must state one.
 *
 * @example
 * asksAmount('金川县开通校车的预算是多少万元？') // → true
 */
export function asksAmount(normalized: string): boolean {
  return AMOUNT_ZH.test(normalized) || AMOUNT_EN.test(normalized.toLowerCase());
}

/** Roles an official is named with (司马局长, 常务副县长李建国, 联系人:刘芳). */
export const OFFICIAL_ROLES = ['主任', '局长', '校长', '院长', '县长', '区长', '市长', '镇长', '乡长', '书记', '主席', '厅长', '处长', '科长', '部长', '队长', '站长', '所长', '经理', '负责人', '联系人', '承办人', '同志'];
const ROLE = `(?:副|常务副)?(?:${OFFICIAL_ROLES.join('|')})`;
const PERSON_ZH = new RegExp(`${ROLE}[^，。？?]{0,3}(?:是谁|叫什么|姓名|名字|是哪位)|哪位(?:领导|${ROLE})|谁(?:审签|签发|签的|签字)`);
const PROPOSER_ZH = /哪几?位(?:委员|代表)|哪些(?:委员|代表)|(?:委员|代表|提案人)(?:是谁|叫什么|姓名)|谁提出|是谁提的/;
const PERSON_EN =
  /\bwho (?:is|was) the (?:[a-z-]+ ){0,2}(?:principal|director|head|chief|mayor|secretary|chairman|chairperson|manager|official|president|leader|contact|contact person)\b|\bname of the (?:[a-z-]+ ){0,2}(?:official|person|director|head|chief|principal|mayor|contact)\b|\bwhich (?:deputy (?:county |district )?(?:head|mayor|director)|director|official|principal|chief)\b|\bwho signed\b/;
const PROPOSER_EN = /\bwhich (?:deputy|deputies|member|members|delegate|delegates|cppcc member|npc deputy)\b(?! (?:county|district|head|mayor|director))|\bwho (?:proposed|made the proposal|put forward|raised|submitted)\b/;

/**
 * Whether a (normalised) question asks for a person: an official by role ('official': 局长叫什么名字,
 * 联系人是谁, *who is the principal*, *which director signed*) or the member who made the proposal
 * ('proposer': 哪位委员提出的, *who proposed*). Not 归谁管 / *who is responsible*: those ask for a body.
 *
 * @example
 * asksPerson('白河县交通运输局的局长叫什么名字？') // → 'official'
 */
export function asksPerson(normalized: string): 'official' | 'proposer' | undefined {
  const en = normalized.toLowerCase();
  if (PROPOSER_ZH.test(normalized) || PROPOSER_EN.test(en)) return 'proposer';
  if (PERSON_ZH.test(normalized) || PERSON_EN.test(en)) return 'official';
  return undefined;
}

/** What kind of measured value a question asks for, and the units an answer would state it in. */
export interface AskedValue {
  kind: 'count' | 'area' | 'length' | 'speed' | 'completion' | 'event';
  /**
   * What must follow a number in the answer: the measure word the question counts with (几**名**,
   * 多少**张**), or, when it names none (English "how many"), any measure word or unit.
   */
  units: string[];
  /** Chinese: the concept measured (传承人, 展区); the value must be stated in a sentence naming it. */
  measured?: QueryUnit;
  /**
   * kind 'event' (哪一年**搬到**…, *in which year did … move*): the concepts of the event whose time is
   * asked (its clause, without the places it names); a time must be stated in a sentence naming one.
   */
  event?: QueryUnit[];
}

/** Chinese measure words a count is stated with (7名, 6个领域, 两个高铁站, 14个, 20项, 1家). */
export const MEASURE_WORDS = [
  '个', '名', '张', '台', '辆', '家', '所', '项', '条', '座', '处', '位', '届', '对', '件', '户', '人', '栋', '间', '套',
  '部', '批', '种', '类', '场', '支', '根', '棵', '块', '片', '期', '班', '趟', '架', '艘', '只', '头', '幢', '站', '点', '级',
];
/**
 * Units an answer to an English "how many" may use: any measure word or unit, except those that
 * number the documents themselves (十一届二次会议, 第3期, 省级) and so are in every letter.
 */
const DOCUMENT_MEASURES = new Set(['届', '期', '级']);
const AREA_UNITS = ['平方公里', '平方千米', '平方米', '平米', '亩', '公顷', '㎡', 'm2', '万平'];
const LENGTH_UNITS = ['公里', '千米', '米', 'km'];
const ENGLISH_COUNT_UNITS = [...MEASURE_WORDS.filter((m) => !DOCUMENT_MEASURES.has(m)), ...LENGTH_UNITS, ...AREA_UNITS];
/**
 * 个 is the general measure word: spoken questions count people and things with it (有几个澳门青年,
 * 幾多個) where letters write the specific one (7名, 3位, 20项), so any measure word answers it.
 */
const GENERAL_COUNT_UNITS = MEASURE_WORDS.filter((m) => !DOCUMENT_MEASURES.has(m));
const SPEED_UNITS = ['公里/小时', '千米/小时', 'km/h', '公里每小时', '码', '迈'];

// 哪几项 asks which, not how many.
const COUNT_ZH = new RegExp(`(?:多少|(?<!哪)几)(${MEASURE_WORDS.join('|')})`);
const AREA_ZH = /面积[^，。？?]{0,4}(多大|多少|几)|多大面积|占地多少|多少平方|多少亩/;
const LENGTH_ZH = /多长|长度[^，。？?]{0,3}多少|多少(公里|千米|米)(?!\/)/;
const SPEED_ZH = /限速|车速[^，。？?]{0,3}多少|速度[^，。？?]{0,3}多少/;
// "area" alone is as often a zone (the Jiefang Road commercial area) as a size.
const AREA_EN = /\bhow (big|large) is\b|\b(floor|land|total|building|site) area\b|\bhow many square\b/;
const LENGTH_EN = /\bhow long is\b|\bhow (many|much) (kilometres|kilometers|km|metres|meters)\b/;
const SPEED_EN = /\bspeed limit\b|\bhow fast\b/;
const COUNT_EN = /\bhow many\b/;
/** When something will be (or was) finished: the answer is a time, not a condition or a plan. */
const COMPLETION_ZH = /(什么时候|何时|哪一?年|哪天|几月|哪个月)[^，。？?]{0,8}(建成|完工|竣工|建好|修好|投用|投入使用|上线|挂牌|落成)/;
const COMPLETION_EN = /\bwhen\b[^?]*\b(finished|completed?|built|ready|operational|in(?:to)? (?:use|service|operation)|launched|go live)\b/;
/**
 * A year, month or day asked for an event other than completion (哪一年搬到…, 哪天把…报给, *in which
 * year did … move*). Not 什么时候 / *when will* alone: those are as often answered by a condition
 * (待新建道路投用时) as by a date.
 */
const EVENT_TIME_ZH = /哪一?年|哪一?天|哪个月|几月|几号|哪一日/;
const EVENT_TIME_EN = /\b(?:in |during )?(?:which|what) (?:year|month|date|day)\b|\bwhen (?:did|was|were|had)\b/;
/** The question is about the reply itself (its date: 答复…是哪天, 哪天发的): the letter's own date answers it. */
const ABOUT_REPLY = /答复|复函|回复|函复|回函|发文|落款|发的|签发|发布|发表|\b(?:repl(?:y|ied)|responded|answered|letter|opinion|signed|issued|written|posted|published|dated)\b/i;
/** Time expressions an answer to "when" states: 2020年1月, 4月30日, 年底, 下半年, 2025-07. */
export const TIME_UNITS = ['年', '月', '日', '年底', '年内', '年末', '季度', '月底', '上半年', '下半年'];

/**
 * The measured value a (normalised) question asks for, if any: the answer must state a number in a
 * fitting unit (a count with its measure word, an area in 平方米 or 亩, a length in 公里, a speed).
 * Sums of money are asksAmount's; dates are not values here.
 *
 * @example
 * asksValue('怀远县有多少名国家级非遗传承人？') // → { kind: 'count', units: ['名'] }
 */
export function asksValue(normalized: string): AskedValue | undefined {
  return matchValue(normalized)?.value;
}

/** asksValue with where the asking phrase stands in the question (Chinese patterns only; -1 otherwise). */
function matchValue(normalized: string): { value: AskedValue; at: number; end: number } | undefined {
  const en = normalized.toLowerCase();
  const zh = (re: RegExp) => re.exec(normalized);
  const found = (kind: AskedValue['kind'], units: string[], m: RegExpExecArray | null) => ({ value: { kind, units }, at: m ? m.index : -1, end: m ? m.index + m[0].length : -1 });
  let m: RegExpExecArray | null;
  if ((m = zh(COMPLETION_ZH)) || COMPLETION_EN.test(en)) return found('completion', TIME_UNITS, m);
  if (!ABOUT_REPLY.test(normalized) && ((m = zh(EVENT_TIME_ZH)) || (m = EVENT_TIME_EN.exec(en)))) return found('event', TIME_UNITS, m);
  if ((m = zh(SPEED_ZH)) || SPEED_EN.test(en)) return found('speed', SPEED_UNITS, m);
  if ((m = zh(AREA_ZH)) || AREA_EN.test(en)) return found('area', AREA_UNITS, m);
  if ((m = zh(LENGTH_ZH)) || LENGTH_EN.test(en)) return found('length', LENGTH_UNITS, m);
  if ((m = zh(COUNT_ZH))) return found('count', m[1] === '个' ? GENERAL_COUNT_UNITS : [m[1]], m);
  if (COUNT_EN.test(en)) return found('count', ENGLISH_COUNT_UNITS, null);
  return undefined;
}

function valueOf(normalized: string, units: QueryUnit[], places: QueryPlace[]): AskedValue | undefined {
  const m = matchValue(normalized);
  if (!m) return undefined;
  if (m.value.kind === 'event') return { ...m.value, event: eventUnits(normalized, units, places, m.at, m.end) };
  const measured = m.value.kind === 'count' || m.value.kind === 'area' || m.value.kind === 'length' ? measuredUnit(normalized, units, m.at, m.end) : undefined;
  return measured ? { ...m.value, measured } : m.value;
}

/**
 * The concepts of the event whose time a question asks: Chinese, the content words of the clause
 * holding the question word (金川县东方红**小学**计划哪一年**搬到**…**中学现址**); English, the content
 * words after it (in which year did … **move** …). Places are left out: they say where, and a letter
 * from there names them everywhere.
 */
function eventUnits(normalized: string, units: QueryUnit[], places: QueryPlace[], at: number, end: number): QueryUnit[] {
  const english = !/\p{Script=Han}/u.test(normalized.slice(at, end));
  const start = english ? end : Math.max(0, ...[...normalized.slice(0, at).matchAll(/[，。？?！!；;,]/g)].map((x) => x.index + 1));
  const stop = normalized.slice(end).search(/[，。？?！!；;,]|$/) + end;
  const clause = english ? normalized.slice(start).toLowerCase() : normalized.slice(start, stop);
  // The question word's own pieces (一年 in 哪一年) are no part of the event.
  const asking = normalized.slice(at, end).toLowerCase();
  const isPlace = (u: QueryUnit) => places.some((p) => u.source === p.word || u.source === p.core || u.source.split(' ').includes(p.word));
  return units.filter((u) => u.alternatives.size > 0 && !u.answerType && !u.asking && !/^\d+$/.test(u.source) && [...u.source].length >= 2 && clause.includes(u.source) && !asking.includes(u.source) && !isPlace(u));
}

/**
 * The concept a Chinese question measures: the head noun after the asking phrase (多少名国家级非遗
 * **传承人**), or, when the phrase ends the clause, the noun before it (葡语系**展区**面积有多大).
 */
function measuredUnit(normalized: string, units: QueryUnit[], at: number, end: number): QueryUnit | undefined {
  if (at < 0) return undefined;
  const clauseEnd = normalized.slice(end).search(/[，。？?！!；;,]|$/) + end;
  const placed = units.map((u) => ({ u, pos: normalized.indexOf(u.source) })).filter((x) => x.pos >= 0 && [...x.u.source].length >= 2 && !x.u.answerType);
  const after = placed.filter((x) => x.pos >= end && x.pos < clauseEnd);
  if (after.length) return after[after.length - 1].u;
  const before = placed.filter((x) => x.pos + x.u.source.length <= at && !/[，。？?！!；;,]/.test(normalized.slice(x.pos, at)));
  return before.length ? before[before.length - 1].u : undefined;
}

/** Words that end the noun phrase after "how many" / "who is the" (a verb, an auxiliary, a preposition). */
const PHRASE_END = '(?:does|do|did|will|would|has|have|had|are|is|were|was|can|could|in|of|on|at|for|from|with|near|per|there|that|who|which|to|and|\\?|$)';
const ASKED_EN = [
  new RegExp(`\\bhow many ((?:[a-z-]+ ){0,4}?[a-z-]+) ${PHRASE_END}`),
  new RegExp(`\\bwho (?:is|was|are|were) the ((?:[a-z-]+ ){0,3}?[a-z-]+) ${PHRASE_END}`),
  new RegExp(`\\b(?:which|what) ((?:[a-z-]+ ){0,2}?(?:company|companies|firm|firms|enterprise|enterprises|contractor|contractors|builder|builders))\\b`),
];

// "What penalty did…", "what kind of fee does…": the noun before the auxiliary (not "what is the…", "what did…").
const WHAT_NOUN_EN = new RegExp(
  `\\bwhat (?!(?:is|are|was|were|did|does|do|will|would|has|have|had|can|could|should|about|if|else)\\b)((?:[a-z-]+ ){0,3}?[a-z-]+) (?:did|does|do|will|would|has|have|had|is|are|was|were|can|could|should)\\b`,
);

/**
 * The noun an English question asks for (what **penalty** did…, and the phrases of askedUnit) when the
 * full dictionary knows it as a common word and the corpus writes none of its translations.
 */
function askedAbsent(normalized: string, ctx: QueryContext): string | undefined {
  const en = normalized.toLowerCase().replace(/['’]s\b/g, '');
  for (const re of [...ASKED_EN, WHAT_NOUN_EN]) {
    const m = re.exec(en);
    if (!m) continue;
    const head = m[1].split(' ').pop()!;
    const key = englishKey(head);
    if (ENGLISH_STOPWORDS.has(head) || !ctx.commonEnglish.has(key) || ctx.english[key]?.length || ctx.df('w:' + head) > 0) return undefined;
    return head;
  }
  return undefined;
}

/**
 * The unit an English question asks about: the head noun (last word) of the phrase after "how many",
 * "who is the", "which company".
 */
function askedUnit(normalized: string, units: QueryUnit[]): QueryUnit | undefined {
  const en = normalized.toLowerCase().replace(/['’]s\b/g, '');
  for (const re of ASKED_EN) {
    const m = re.exec(en);
    if (!m) continue;
    const head = m[1].split(' ').pop()!;
    return units.find((u) => u.source.split(' ').includes(head));
  }
  return undefined;
}

/** Administrative suffixes, longest first: a name ending in one is a jurisdiction (盘山县, 浦东新区). */
export const ADMIN_SUFFIXES = '自治州|自治县|自治区|新区|省|市|县|区|镇|乡';
const ADMIN_SUFFIX = new RegExp(`(${ADMIN_SUFFIXES})$`);
/**
 * Cores of generic area words that end like a jurisdiction but name none (示范区, 商业区, 高新区,
 * 全市, 县级): a closed class of Chinese words, not a list of places.
 */
const GENERIC_AREA_CORES = new Set([
  '新城', '老城', '主城', '城乡', '高新', '开发', '示范', '商业', '行政', '合作', '经济', '工业', '产业', '保税', '自贸', '试验',
  '服务', '生活', '办公', '居住', '风景', '旅游', '度假', '保护', '管理', '核心', '功能', '特色', '地级', '直辖', '中心', '城市',
  '全省', '全市', '全县', '全区', '本市', '本县', '本区', '我省', '我市', '我县', '我区', '该县', '该市', '该区', '各县', '各区', '各市',
  '省市', '市县', '区县', '县区', '乡镇', '城镇', '集镇',
]);
/** Endings of organisation names jieba tags as names (交警大队, 澳门大学, 重庆市政府): not places. */
export const ORGANISATION_END = /(局|院|委|队|学|府|司|心|会|所|部|厅|办|站|馆|团|社|行|处|室|组|联)$/;

/**
 * Places a Chinese question names. Jurisdictions: a name jieba tags as a place that ends in an
 * administrative suffix (长寿区, 上海市浦东新区 → 上海市 + 浦东新区), a word jieba does not know that
 * ends in one (郫都区), or a place name followed by a one-character suffix (新宾 县). Other place names
 * jieba tags (澳门, 鞍山, 珠穆朗玛峰) are places without a jurisdiction mark.
 */
function chinesePlaces(normalized: string, tagged: string[], words: string[], ctx: QueryContext): QueryPlace[] {
  const out: QueryPlace[] = [];
  const seen = new Set<string>();
  const push = (word: string, jurisdiction: boolean, suffix = '') => {
    const core = jurisdiction ? word.replace(ADMIN_SUFFIX, '') : word;
    const level = jurisdiction ? adminLevel(suffix || (ADMIN_SUFFIX.exec(word)?.[1] ?? '')) : 0;
    if ([...core].length < 2 || GENERIC_AREA_CORES.has(core) || seen.has(core)) return;
    seen.add(core);
    const bigrams = cjkBigrams(word).map((b) => 'b:' + b);
    const known = ctx.df('w:' + word) > 0 || ctx.df('w:' + core) > 0 || (bigrams.length > 0 && bigrams.every((t) => ctx.df(t) > 0));
    const coreBigrams = cjkBigrams(core).map((b) => 'b:' + b);
    out.push({ word, core, jurisdiction, level, terms: known ? [...new Set(['w:' + word, 'w:' + core, ...bigrams, ...coreBigrams])] : [] });
  };
  for (const name of tagged) {
    // 上海市浦东新区 is two places.
    for (const part of name.match(/.+?(自治州|自治县|自治区|新区|省|市|县|区)(?=.)|.+$/gu) ?? [name]) {
      if (ADMIN_SUFFIX.test(part)) push(part, true);
      else if (!ORGANISATION_END.test(part)) {
        const rest = normalized.slice(normalized.indexOf(part) + part.length);
        const suffix = /^[省市县区镇乡]/.test(rest) && !/^[市县区][级委政长直]/.test(rest) ? rest[0] : '';
        // jieba's tag alone is not enough: 入口 is tagged a place, and CC-CEDICT knows it only as "entrance".
        if (!suffix && isCommonWordTaggedPlace(part)) continue;
        push(part, suffix !== '', suffix);
      }
    }
  }
  // Words jieba does not know as a whole but that end in a suffix (郫都区): their core is no word of its own.
  for (const w of words) {
    if ([...w].length < 3 || !ADMIN_SUFFIX.test(w) || tagged.includes(w)) continue;
    const core = w.replace(ADMIN_SUFFIX, '');
    if (!words.includes(core)) push(w, true);
  }
  return out;
}

/** Level of an administrative suffix or English admin word: 1 province, 2 city, 3 county/district, 4 town, 5 village. */
const ADMIN_LEVELS: Record<string, number> = {
  省: 1, 自治区: 1, province: 1,
  市: 2, 自治州: 2, city: 2, municipal: 2, municipality: 2, prefecture: 2,
  县: 3, 区: 3, 新区: 3, 自治县: 3, district: 3, county: 3, area: 3,
  镇: 4, 乡: 4, town: 4, township: 4,
  village: 5,
};

function adminLevel(suffix: string): number {
  return ADMIN_LEVELS[suffix] ?? 3;
}

const ADMIN_WORDS = new Set(['district', 'county', 'city', 'province', 'town', 'township', 'village', 'municipality', 'municipal', 'prefecture']);

/** One toneless pinyin syllable (a little looser than the real inventory: enough to split a name). */
const PINYIN_SYLLABLE = /^(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:iang|iong|uang|ang|eng|ing|ong|uai|ian|iao|uan|van|ai|ei|ao|ou|an|en|er|ia|ie|in|iu|ua|uo|ui|un|ue|ve|a|o|e|i|u|v)$/;

/**
 * Pinyin initials of a Latin word read as whole pinyin syllables, in the readings with fewest
 * syllables (changshou → chang·shou → cs). A single syllable (xian) has no initials worth matching.
 * Independent of the corpus: the place may be one no letter writes in characters.
 *
 * @example
 * pinyinInitials('changshou') // → ['cs']
 */
export function pinyinInitials(word: string): string[] {
  let best: string[][] = [];
  let steps = 0; // a bound for pathological tokens (aaaa…): names are short
  const walk = (rest: string, acc: string[]) => {
    if (++steps > 5000 || (best.length && acc.length > best[0].length)) return;
    if (!rest) {
      if (!best.length || acc.length < best[0].length) best = [];
      best.push(acc.slice());
      return;
    }
    for (let len = Math.min(6, rest.length); len >= 1; len--) {
      const s = rest.slice(0, len);
      if (PINYIN_SYLLABLE.test(s)) walk(rest.slice(len), [...acc, s]);
    }
  };
  if (/^[a-z]{4,24}$/.test(word)) walk(word, []);
  return [...new Set(best.filter((split) => split.length >= 2).map((split) => split.map((x) => x[0]).join('')))];
}

/** Places and people an English question names; a name followed by district, county… is a jurisdiction. */
function englishPlaces(question: string, names: { word: string; terms: string[] }[]): QueryPlace[] {
  const tokens = (question.replace(/['’]s\b/g, ' ’s').match(/[A-Za-z’]+/g) ?? []).map((t) => t.toLowerCase());
  const out: QueryPlace[] = [];
  for (const n of names) {
    if (out.some((p) => p.word === n.word)) continue;
    const at = tokens.indexOf(n.word);
    const next = tokens.slice(at + 1, at + 3);
    const newArea = next[0] === 'new' && next[1] === 'area';
    const jurisdiction = at >= 0 && (ADMIN_WORDS.has(next[0]) || newArea);
    const level = jurisdiction ? adminLevel(newArea ? 'area' : next[0]) : 0;
    out.push({ word: n.word, core: n.word, jurisdiction, level, terms: n.terms, initials: pinyinInitials(n.word) });
  }
  return out;
}

/** Function characters that begin or end a phrase (位于重庆, 与中方): a pair holding one is rarely a name. */
const FUNCTION_EDGE = /^[于与和在的了是及并对为从向将把被由以之其该各]|[于与和在的了是及并对为从向将把被由以之其该各]$/u;

/**
 * A two-character reading of a pinyin name that the corpus writes only across words (Yuzhong → 于重 in
 * 位于重庆): a function character at its edge and no word of its own. A real name the corpus writes
 * is its own word (于都 in 于都县) or holds no function character (新密).
 */
function straddles(name: string, ctx: QueryContext): boolean {
  return [...name].length === 2 && FUNCTION_EDGE.test(name) && ctx.df('w:' + name) === 0 && (ctx.nameDf ?? ctx.df)('w:' + name) === 0;
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
        const names = namesForPinyin(run.map((r) => r.word).join(''), ctx.pinyin, (p) => (ctx.nameDf ?? ctx.df)('b:' + p)).filter((n) => !straddles(n, ctx));
        if (names.length) {
          beginUnit(run.map((r) => r.word).join(' '));
          names.forEach((n, k) => addChinese(n, QUERY_WEIGHTS.name / (k + 1), (QUERY_WEIGHTS.name / (k + 1)) * 0.6));
          for (let k = i; k < j; k++) covered[k] = true;
          found = true;
          break;
        }
      }
      if (!found) {
        const names = namesForPinyin(t.word, ctx.pinyin, (p) => (ctx.nameDf ?? ctx.df)('b:' + p)).filter((n) => !straddles(n, ctx));
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
