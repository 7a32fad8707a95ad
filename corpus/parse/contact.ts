/**
 * Contact lines of a letter: 联系人/联系电话/联系单位/承办人 (one or several lines, maybe in brackets).
 */
import { searchForm } from './searchForm.ts';

const CONTACT = /^[(（]?\s*(联系人|联系电话|联系单位|联系方式|承办人|承办负责人|经办人|办理人|联系部门|电话)/;

/**
 * The contact lines of a letter joined with '；', brackets around a whole line dropped, or null.
 * @example findContact(['……', '(联系人:王尚,电话:0532—85270905)']) // '联系人:王尚,电话:0532—85270905'
 */
export function findContact(lines: string[]): string | null {
  const found: string[] = [];
  for (const line of lines) {
    const norm = searchForm(line);
    if (line.length > 100 || !CONTACT.test(norm)) continue;
    const unwrapped = /^[(（](.*)[)）]$/.exec(line.trim());
    found.push((unwrapped ? unwrapped[1] : line).trim());
  }
  return found.length > 0 ? found.join('；') : null;
}

/**
 * Is this line a contact line?
 * @example isContactLine('联系人:王国勇 联系电话:13881206923') // true
 */
export function isContactLine(line: string): boolean {
  return line.length <= 100 && CONTACT.test(searchForm(line));
}
