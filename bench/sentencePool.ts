/**
 * The vocabulary of the synthetic corpus: sentences of the real letters, sorted by the role they play
 * (opening prose, the lead of an 一是… item, item body, plans, headings, closings). The generator recombines them, so
 * synthetic letters read, tokenise and embed like real ones.
 */
import { parseLetter } from '../corpus/parseLetter.ts';
import { readCorpus } from '../corpus/readCorpus.ts';

export interface SentencePool {
  /** Whole sentences (ending in 。！？；) from body prose. */
  body: string[];
  /** Sentences from 下一步 / plan sections or written as commitments (将…, 进一步…). */
  plans: string[];
  /** First sentence of 一是… items, without the ordinal (e.g. 稳步推进渝澳合作专班机制。). */
  leads: string[];
  /** Level-1 heading titles without the numeral (e.g. 发挥机制平台作用,凝聚渝澳发展合力). */
  headings: string[];
  /** Thanks and closing sentences (感谢…). */
  closings: string[];
  /** How many real letters the pool came from. */
  letters: number;
}

const ITEM = /^[一二三四五六七八九十]+是/;
const HEADING = /^[一二三四五六七八九十]+、\s*(.+)$/;
const SUB_HEADING = /^[(（][一二三四五六七八九十]+[)）]\s*(.+)$/;
const PLAN_SECTION = /下一步|下步|工作计划|下阶段|今后/;
const PLAN_SENTENCE = /^(下一步|今后|我们将|我局将|我委将|将|进一步|继续|持续|力争|计划)/;
/** Sentences about the letter itself (its handling, feedback forms), or damaged by the scrape (inline pinyin). */
const META = /提案|建议》|答复|复函|征询意见|审签|[(（][a-zü]+[)）]|^[一二三四五六七八九十]+是|^(首先|其次|\d+[.、])/;
const SKIP_LINE = /收悉|答复如下|委员[:：]|代表[:：]|联系人|联系电话|办复类别|抄送|^\d{4}年\d{1,2}月\d{1,2}日$/;

/** Splits a paragraph into sentences, each keeping its end mark. */
export function splitIntoSentences(paragraph: string): string[] {
  return paragraph.match(/[^。！？；!?;]+[。！？；!?;]?/g)?.map((s) => s.trim()).filter((s) => s.length > 0) ?? [];
}

/**
 * Reads the real letters in `dirs` and sorts their sentences by role. Duplicates (the same letter in two folders)
 * are dropped.
 *
 * @example
 * const pool = await buildSentencePool(['corpus/letters', 'tests/fixtures/letters']);
 * pool.leads.length // → a few dozen
 */
export async function buildSentencePool(dirs: string[]): Promise<SentencePool> {
  // Folder by folder, in the order given: readCorpus sorts all files by absolute path, which would make the
  // pool (and so the corpus) depend on where the checkout sits relative to ../shared.
  const docs = [];
  for (const dir of dirs) docs.push(...(await readCorpus([dir])).docs);
  const body = new Set<string>();
  const plans = new Set<string>();
  const leads = new Set<string>();
  const headings = new Set<string>();
  const closings = new Set<string>();
  const seenTexts = new Set<string>();
  let letters = 0;
  for (const doc of docs) {
    const letter = parseLetter(doc);
    if (seenTexts.has(letter.text)) continue;
    seenTexts.add(letter.text);
    letters++;
    let inPlans = false;
    for (const raw of letter.text.split('\n')) {
      const line = raw.trim();
      if (!line || SKIP_LINE.test(line)) continue;
      const heading = HEADING.exec(line) ?? SUB_HEADING.exec(line);
      if (heading && !/[。；]$/.test(line)) {
        inPlans = PLAN_SECTION.test(line);
        if (!inPlans && heading[1].length >= 4 && heading[1].length <= 30) headings.add(heading[1].trim());
        continue;
      }
      if (!/[。！？；]/.test(line)) continue; // signatures, issuers, dates, stray headings
      let sentences = splitIntoSentences(line);
      if (ITEM.test(line)) {
        const lead = sentences[0].replace(ITEM, '').trim();
        if (lead.length >= 6 && lead.length <= 60) leads.add(lead);
        sentences = sentences.slice(1);
      }
      for (const s of sentences) {
        if (s.length < 12 || s.length > 260 || !/[。！？；]$/.test(s) || META.test(s)) continue;
        if (/^感谢|^谢谢|^欢迎/.test(s)) closings.add(s);
        else if (inPlans || PLAN_SENTENCE.test(s)) plans.add(s);
        else body.add(s);
      }
    }
  }
  const pool: SentencePool = { body: [...body], plans: [...plans], leads: [...leads], headings: [...headings], closings: [...closings], letters };
  if (pool.body.length < 20 || pool.leads.length < 5) {
    throw new Error(`the real letters in ${dirs.join(', ')} give too few sentences to recombine (${pool.body.length} body, ${pool.leads.length} item leads)`);
  }
  return pool;
}
