/**
 * The metadata block government pages print above a letter, in any of its layouts:
 * `[ 索引号 ] 1150…/2024-00024 [ 发文字号 ]`, `[ 索引号 ] | … | [ 发文字号 ] | |`, `索引号: | … |`,
 * one field per line, sometimes twice, often with empty fields; plus 来源:/发布时间: toolbars.
 */
import { parseDate } from './parseDate.ts';

/** Field values found (first non-empty value wins), keyed by canonical field name. */
export interface MetadataFields {
  indexNumber: string | null;
  docNumber: string | null;
  publisher: string | null;
  /** 成文日期 — the document's own date. */
  written: string | null;
  /** 发布日期 / 发文日期 / 发布时间 — when the page was published. */
  published: string | null;
  topic: string | null;
  genre: string | null;
  /** 来源 — the site section or body the page credits. */
  source: string | null;
  /** 组配分类 and similar free classifications (e.g. 省政协提案). */
  category: string | null;
}

const LABELS: Record<string, keyof MetadataFields> = {
  索引号: 'indexNumber',
  发文字号: 'docNumber',
  文件编号: 'docNumber',
  发布机构: 'publisher',
  发文机关: 'publisher',
  成文日期: 'written',
  发布日期: 'published',
  发文日期: 'published',
  发布时间: 'published',
  发表时间: 'published',
  时间: 'published',
  日期: 'published',
  主题分类: 'topic',
  体裁分类: 'genre',
  来源: 'source',
  信息来源: 'source',
  组配分类: 'category',
};
const OTHER_LABELS = ['公开方式', '有效性', '公开时限', '公开范围', '主题词', '生成日期', '浏览', '浏览量', '浏览次数', '字号', '字体', '访问量', '作者'];
const ALL_LABELS = [...Object.keys(LABELS), ...OTHER_LABELS].sort((a, b) => b.length - a.length);
/** A label, bracketed or followed by a colon or a pipe. */
const LABEL_RE = new RegExp(`[\\[【]\\s*(${ALL_LABELS.join('|')})\\s*[\\]】]|(${ALL_LABELS.join('|')})\\s*[:|]`, 'g');

function cleanValue(v: string): string | null {
  const t = v.replace(/[|【】\[\]]/g, ' ').replace(/\s+/g, ' ').trim();
  return t === '' ? null : t;
}

/**
 * Reads metadata fields from lines (search forms). Later duplicates never override a value found earlier.
 * @example readMetadata(['[ 索引号 ] | 115/2025-00013 | [ 发文字号 ] | |']).indexNumber // '115/2025-00013'
 */
export function readMetadata(lines: string[]): MetadataFields {
  const out: MetadataFields = {
    indexNumber: null, docNumber: null, publisher: null, written: null, published: null,
    topic: null, genre: null, source: null, category: null,
  };
  for (const line of lines) {
    const marks = [...line.matchAll(LABEL_RE)];
    for (let i = 0; i < marks.length; i++) {
      const label = marks[i][1] ?? marks[i][2];
      const from = marks[i].index + marks[i][0].length;
      const to = i + 1 < marks.length ? marks[i + 1].index : line.length;
      const key = LABELS[label];
      if (!key || out[key] !== null) continue;
      let value = cleanValue(line.slice(from, to));
      if (value === null) continue;
      if (key === 'written' || key === 'published') {
        const iso = parseDate(value);
        if (!iso) continue;
        value = iso;
      }
      out[key] = value;
    }
  }
  return out;
}
