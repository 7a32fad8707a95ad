/**
 * Does the letter visibly stop mid-way? Its last line ends without a sentence end and no
 * signature or date follows — the scrape lost the rest.
 */
import { isContactLine } from './contact.ts';
import { searchForm } from './searchForm.ts';

/** A line that ends a sentence (a closing quote counts only after a sentence end), a field or a table row. */
const FINAL = /([。！？!?…．.;；][”’」』）)】\]》]*|[:：|])$/;

/**
 * @example isTruncated(['您提出的建议收悉。', '营造良好'], false) // true
 */
export function isTruncated(lines: string[], hasSignature: boolean): boolean {
  if (hasSignature || lines.length === 0) return false;
  // Contact and 主办单位 lines after the prose are the letter's own ending, not a cut.
  let i = lines.length - 1;
  while (i > 0 && (isContactLine(lines[i]) || /^(主办|会办|协办|承办)单位/.test(searchForm(lines[i])))) i--;
  if (i < lines.length - 1) return false;
  const last = searchForm(lines[i]).trim();
  return !FINAL.test(last);
}
