/**
 * What a letter as a whole is indexed under: who wrote it, to whom, about which proposal, on
 * whose site, and its text. Questions usually name the letter ("Qingdao's reply", "0963号提案", "陈捷委员") as well
 * as the content; the letter-level score carries the first part.
 */
import { bodyStart, type Letter } from '../../corpus/letter.ts';

const KIND_WORDS: Record<Letter['kind'], string> = {
  'cppcc-proposal': '政协 提案 委员',
  'npc-suggestion': '人大 建议 代表',
  other: '',
};

/**
 * The text a letter is indexed under at letter level. Metadata is repeated so that it weighs more
 * than any one mention in the body.
 *
 * @example
 * letterProfile(letter) // → '重庆市人民政府港澳事务办公室 … 0963 … 贾瑞 …'
 */
export function letterProfile(letter: Letter): string {
  const meta = [
    letter.title,
    letter.issuer ?? '',
    // The site the page came from often names the county a letter never names itself.
    letter.site ?? '',
    letter.addressees.join(' '),
    letter.proposal ? `${letter.proposal} 第${letter.proposal}号` : '',
    letter.session ?? '',
    KIND_WORDS[letter.kind],
    letter.date ? `${letter.date.slice(0, 4)}年` : '',
    letter.published ? `${letter.published.slice(0, 4)}年` : '',
  ].join('\n');
  // The header section (索引号, 主题分类, 发布日期 … lines) is metadata, not what the letter is about (issue #11).
  return `${meta}\n${meta}\n${letter.text.slice(bodyStart(letter))}`;
}

/** The text a passage is indexed under: its heading chain (context) and its own text. */
export function passageProfile(headings: string[], text: string): string {
  return headings.length ? `${headings.join('\n')}\n${text}` : text;
}
