/**
 * The header section of a letter: the page's metadata lines (索引号, 发文机关, 成文日期, 发布日期,
 * 发文字号, 签发人, 领导署名, 办理结果 …), the document number line and the letterhead (the issuing
 * body's name and the title printed above the salutation), kept verbatim so answers can
 * quote them ("when was it published?" → 「[ 发布日期 ] | 2025-07-09」), but set apart from the
 * letter's prose: they head `Letter.text`, and no passage is cut from them.
 */
import type { PageLine } from './cleanPage.ts';
import { readFields, type LineField } from './metadataBlock.ts';

/** A document number (高卫体发〔2023〕148号, 衡公提复〔2022〕12号) on a line of its own. */
const DOC_NUMBER = /[\u4e00-\u9fa5A-Za-z]{0,12}\s*[〔\[【]\s*\d{4}\s*[〕\]】]?\s*\d*[A-Za-z]?\s*号?/;

/** One header line: a stretch of one page line, and the fields in it (offsets into `text`). */
export interface HeaderLine {
  /** The kept stretch of the page line, verbatim. */
  text: string;
  fields: LineField[];
}

const spaceless = (t: string) => t.replace(/\s+/g, '');

/** Lines that can carry the page's metadata (never prose, never the site footer). */
function canCarryFields(line: PageLine): boolean {
  return line.kind === 'meta' || line.kind === 'nav' || line.kind === 'docNumber' || line.kind === 'resultClass';
}

/** The labelled fields of a page line, or its document number as an unlabelled 发文字号 field. */
function fieldsOfLine(line: PageLine): LineField[] {
  if (line.kind === 'docNumber') {
    const m = DOC_NUMBER.exec(line.text);
    if (!m) return [];
    const value = m[0].trim();
    const start = m.index + m[0].indexOf(value);
    return [{ label: '发文字号', value, start, valueStart: start, end: start + value.length }];
  }
  return readFields(line.text);
}

/**
 * The header lines of a page, in page order: each metadata line cut to the stretch from its first
 * field to its last (furniture such as 浏览次数 / 字号 / 打印 around them left out), lines whose every
 * field was already seen (pages print the block twice) dropped.
 *
 * @example
 * headerLines(cleanPage('[ 成文日期 ] | 2025-05-13 | [ 发布日期 ] | 2025-07-09 |\n王义代表:\n…').lines.slice(0, 1))
 * // [{ text: '[ 成文日期 ] | 2025-05-13 | [ 发布日期 ] | 2025-07-09', fields: [成文日期…, 发布日期…] }]
 */
export function headerLines(lines: PageLine[], letterhead: { issuer?: string | null; title?: string | null } = {}): HeaderLine[] {
  const seen = new Set<string>();
  const out: HeaderLine[] = [];
  // A letter whose signature block is lost (a truncated page) still names its signer in the letterhead
  // (某某市文化和旅游局 over 关于…的答复函): those lines are kept, once each, with no fields.
  const heads = new Set([letterhead.issuer, letterhead.title].filter((t): t is string => !!t).map(spaceless));
  for (const line of lines) {
    if (line.kind === 'text' && heads.delete(spaceless(line.norm))) {
      out.push({ text: line.text, fields: [] });
      continue;
    }
    if (!canCarryFields(line)) continue;
    const fields = fieldsOfLine(line);
    if (fields.length === 0) continue;
    const keys = fields.map((f) => `${f.label}\u0000${f.value.replace(/\s+/g, '')}`);
    if (keys.every((k) => seen.has(k))) continue;
    for (const k of keys) seen.add(k);
    const from = fields[0].start;
    const to = fields[fields.length - 1].end;
    out.push({
      text: line.text.slice(from, to),
      fields: fields.map((f) => ({ ...f, start: f.start - from, valueStart: f.valueStart - from, end: f.end - from })),
    });
  }
  return out;
}
