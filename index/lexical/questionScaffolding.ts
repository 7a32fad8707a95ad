/**
 * How a question is put, apart from what it is about. "请给原句", "I want to quote…", "那份答复", "有哪几份",
 * Cantonese particles (嘅, 咩, 咗) say what kind of answer is wanted — a verbatim line, a list, a
 * letter — and never name a topic a letter must contain: counted as topic, they made questions look
 * uncovered ("…请给原句" was refused, the same question without it answered). Two steps:
 *
 * - `foldColloquial`: colloquial and Cantonese question words to their Mandarin forms (几时 → 什么时候,
 *   几多 → 多少, 边个 → 谁), so the intent rules (dates, amounts, persons) read them too;
 * - `topicText` / `englishTopic`: the question without its scaffolding, the text topic terms come from.
 *
 * Both are closed tables of general wording, in Simplified forms (questions are normalised first).
 */

/** Cantonese / colloquial question words → Mandarin, longest first. */
const COLLOQUIAL: [RegExp, string][] = [
  [/几时/g, '什么时候'],
  [/几多/g, '多少'],
  [/几耐/g, '多久'],
  [/边个/g, '谁'],
  [/边度|边处/g, '哪里'],
  [/边啲/g, '哪些'],
  // 同邊啲部門 (with which departments): 同 as "and / with" before the question word.
  [/同(?=哪些|谁|哪个)/g, '和'],
  [/边(?=一?年|一?天|个月|几|间|位|份|处)/g, '哪'],
  [/点样|点么样/g, '怎样'],
  [/点解/g, '为什么'],
  [/乜嘢|乜野|咩嘢/g, '什么'],
  [/做乜|为乜/g, '为什么'],
  [/乜/g, '什么'],
  [/佢哋/g, '他们'],
  [/佢/g, '他'],
  [/搵/g, '找'],
  [/睇/g, '看'],
  [/系咪|系唔系/g, '是不是'],
  [/有冇/g, '有没有'],
  // 會點跟進 (how will … follow up): 点 as "how" before a verb.
  [/(?<=[会要将可能])点(?=[\p{Script=Han}])/gu, '怎样'],
  [/泊车/g, '停车'],
  [/起好/g, '建好'],
  [/唔使|唔驶/g, '不用'],
  [/唔/g, '不'],
  [/冇/g, '没有'],
  // 係 folds to 系; before a question word it is the copula (係幾時, 係咩), not 系 as in 葡语系.
  [/系(?=什么|谁|哪|多少|咩|点|不是|怎)/g, '是'],
  [/咩/g, '什么'],
  [/嘅/g, '的'],
  [/咗/g, '了'],
  [/𠮶|嗰/g, '那'],
  [/(?:俾|畀)(?=我|原|返)/g, '给'],
];

/**
 * Colloquial and Cantonese question words in Mandarin (input already normalised to Simplified).
 *
 * @example
 * foldColloquial('盘山县教育局回复校车𠮶份,系几时发嘅?') // → '盘山县教育局回复校车那份,是什么时候发的?'
 */
export function foldColloquial(normalized: string): string {
  let s = normalized;
  for (const [re, to] of COLLOQUIAL) s = s.replace(re, to);
  return s;
}

/**
 * Chinese scaffolding (after foldColloquial): asking for the verbatim line, pointing at "that reply",
 * asking which letters, politeness, particles. Replaced by a space, so words on either side stay apart.
 */
const ZH_SCAFFOLDING: RegExp[] = [
  // The verbatim line: 请给原句, 麻烦给原文, 原文是怎么写的, 我要引用…那句话, 原话是什么.
  /(?:请|麻烦|唔该|劳烦)?(?:你)?(?:给|发)(?:我)?(?:看看|看下|一下)?(?:原句|原文|原话|原稿|出处)/g,
  /(?:我|我们)?(?:要|想|需要|打算)?(?:引用|引述|摘录|转引|照录)/g,
  /(?:原句|原话|原文|原稿)(?:是|系)?(?:怎么|怎样|如何|点)?(?:说|写|讲|表述)?(?:的|㗎)?/g,
  /(?:逐字|一字不差|一字不漏|照抄|一字一句)/g,
  /(?:是)?(?:怎么|怎样|如何|点)(?:说|写|讲|表述)的?/g,
  /(?:那|这|哪)(?:一)?句(?:话)?/g,
  // "That reply", "which letters": every letter is a reply; the letter is found by its topic.
  /(?:有没有|是否有)?(?:那|这|哪|呢)(?:一|几|两)?(?:份|封|件)(?:答复|回复|复函|回函|函|文件)?/g,
  /(?:那|这)个(?:提案|建议)/g,
  /(?:答复|回复|复函|回函|答覆)(?:过|了)?(?:里面|里|中|入面)?/g,
  /(?:有|还有)?(?:哪些|哪几|哪两|哪三)(?:个|份|家|封|位|条)?(?:地方|地区|城市|区县|部门|单位)?/g,
  /(?:提到|提及|讲到|说到|谈到|写到|涉及|讲了|说了|讲过|说过)(?:过)?/g,
  // Politeness, emphasis, pronouns and leftovers of the asking.
  /请问|麻烦|唔该|劳烦|到底|究竟|自己|本人|分别(?:是)?|具体(?:都)?|所以|一下/g,
  /(?<=[局委府厅办队院])(?:话|讲|说)(?=[^\s,，。？?])/g,
  /[㗎啲噉喺佢哋嚟咁喎啩嘢呀啦吖噃]/g,
];

/**
 * The topic of a Chinese question (normalised, colloquial words folded): its scaffolding removed.
 * Falls back to the whole question when nothing would be left.
 *
 * @example
 * topicText('考古遗址公园写进“十四五”规划的那句,请给原句。') // → '考古遗址公园写进“十四五”规划的 , 。'
 */
export function topicText(folded: string): string {
  let s = folded;
  for (const re of ZH_SCAFFOLDING) s = s.replace(re, ' ');
  return /\p{Script=Han}|[a-z0-9]/iu.test(s) ? s : folded;
}

/**
 * English scaffolding, matched case-insensitively on the raw question (names keep their capitals).
 */
const EN_SCAFFOLDING: [RegExp, string][] = [
  [/\b(?:can you |could you |please |pls )?(?:give|show|send|tell|find) me\b/gi, ' '],
  [/\b(?:i|we) (?:want|need|would like|'d like|wish) to (?:quote|cite)\b/gi, ' '],
  [/\b(?:i|we) (?:want|need|would like|'d like)\b/gi, ' '],
  [/\b(?:the )?(?:exact|verbatim|precise|original|actual|literal) (?:wording|words|sentence|sentences|quote|quotes|quotation|text|line|lines|phrase|phrasing)s?\b(?: (?:of|on|where|for|that|in|about|from|saying))?/gi, ' '],
  [/\bverbatim(?: quote| quotation)?\b|\bword for word\b|\bquote (?:it|this|that|them|both(?: (?:replies|letters))?|all|each)\b|\bquote please\b|\bplease\b/gi, ' '],
  [/\b(?:i need )?(?:all|both) of them\b/gi, ' '],
  [/\b(?:was|is|are|were) there (?:anything|something|any(?:thing)?)(?: (?:about|on|regarding))?\b/gi, ' '],
  [/\b(?:answered|replied|said|written) anything (?:about|on|regarding)\b/gi, ' '],
  [/\b(?:mention|mentions|mentioned|talk about|talks about|deal with|deals with|dealt with|discuss|discusses|discussed)\b/gi, ' '],
  [/\b(?:the |a |any |their |its )?(?:reply|replies|letter|letters|response|responses)\b/gi, ' '],
];

/**
 * An English question without its scaffolding (case kept).
 *
 * @example
 * englishTopic('I need the verbatim line where the bureau admits rents are too high.') // → '    the bureau admits rents are too high.'
 */
export function englishTopic(question: string): string {
  let s = question;
  for (const [re, to] of EN_SCAFFOLDING) s = s.replace(re, to);
  return /[a-z0-9\p{Script=Han}]/iu.test(s) ? s : question;
}
