/**
 * Who a letter is addressed to, from its salutation line: `王义代表:` → ['王义代表'],
 * `赵劲松、吴代文、佘正义委员:` → ['赵劲松委员', '吴代文委员', '佘正义委员'], `罗吉卿等3位委员:` →
 * ['罗吉卿等3位委员'], `尚路鹏(等4位)代表:` → ['尚路鹏(等4位)代表'], `省发改委:` → ['省发改委'].
 */
import { stripPinyin } from './searchForm.ts';

const ROLE_SALUTATION = /^(?:尊敬的)?\s*(.{1,80}?)(委员|代表|同志|先生|女士)(们)?\s*[:：]/;
const BODY_SALUTATION = /^(?:尊敬的)?\s*([\u4e00-\u9fa5\u3400-\u9fff]{2,16})\s*[:：]\s*$/;

/**
 * Addressees named in a salutation line (verbatim characters, spaces inside names removed), or [].
 * @example parseAddressees('吴章平、闫 冰代表:') // ['吴章平代表', '闫冰代表']
 */
export function parseAddressees(line: string): string[] {
  const clean = stripPinyin(line).trim();
  const role = ROLE_SALUTATION.exec(clean);
  if (role) {
    const names = role[1].replace(/[\s\u3000]+/g, '');
    // 罗吉卿等3位 / 尚路鹏(等4位) / 各位: keep the group as written.
    if (/等\s*[\d一二三四五六七八九十]+\s*(位|名)[)）]?$/.test(names) || /^各位?$/.test(names) || names === '') {
      return [`${names}${role[2]}`];
    }
    return names
      .split(/[、，,;；]/)
      .map((n) => n.trim())
      .filter((n) => n.length > 0 && n.length <= 12)
      .map((n) => `${n}${role[2]}`);
  }
  const body = BODY_SALUTATION.exec(clean);
  return body ? [body[1]] : [];
}
