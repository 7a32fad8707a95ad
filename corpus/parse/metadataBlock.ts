/**
 * The metadata block government pages print above a letter, in any of its layouts:
 * `[ 索引号 ] 1150…/2024-00024 [ 发文字号 ]`, `[ 索引号 ] | … | [ 发文字号 ] | |`, `索引号: | … |`,
 * `签 发 人:伏瑞峰`, one field per line, sometimes twice, often with empty fields; plus
 * 来源:/发布时间: toolbars. This module is the one place field labels are read: `readFields` finds
 * them in a line with their spans (the header section of a letter is built from it), `readMetadata`
 * turns them into the letter's metadata.
 */
import { parseDate } from './parseDate.ts';
import { searchFormWithMap } from './searchForm.ts';

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
  /** 标题 / 名称 — the title as the metadata table gives it. */
  title: string | null;
  /** 签发人 / 领导署名 — who signed. */
  signer: string | null;
  /** 办理结果 / 办复类别 — the result class as written (A类, 已办结…). */
  result: string | null;
}

/** Canonical label (Simplified, no spaces) → the metadata field it fills (null: kept in the header only). */
const LABELS: Record<string, keyof MetadataFields | null> = {
  索引号: 'indexNumber',
  发文字号: 'docNumber',
  文件编号: 'docNumber',
  文号: 'docNumber',
  发布机构: 'publisher',
  发文机关: 'publisher',
  发布单位: 'publisher',
  发文单位: 'publisher',
  成文日期: 'written',
  发布日期: 'published',
  发文日期: 'published',
  发布时间: 'published',
  发表时间: 'published',
  印发日期: 'published',
  时间: 'published',
  日期: 'published',
  主题分类: 'topic',
  体裁分类: 'genre',
  来源: 'source',
  信息来源: 'source',
  组配分类: 'category',
  标题: 'title',
  签发人: 'signer',
  签发领导: 'signer',
  领导署名: 'signer',
  办理结果: 'result',
  办复类别: 'result',
  答复类别: 'result',
  公开方式: null,
  公开范围: null,
  公开时限: null,
  有效性: null,
  主题词: null,
  生成日期: null,
};

/**
 * Page furniture written like a field (浏览次数: 6058, 字号:大 中 小, 编辑: …, 公文时效: 长期公开):
 * it ends the value before it and is never a field of the letter.
 */
const FURNITURE_LABELS = [
  '浏览次数', '浏览量', '浏览', '点击数', '点击量', '点击率', '点击', '访问量', '访问次数', '阅读次数', '阅读量', '字体', '字号',
  '打印', '分享到', '分享', '收藏', '关闭', '责任编辑', '编辑', '审核', '校对', '作者', '公文时效', '扫一扫', '供稿', '撰稿',
];

const spaced = (label: string) => [...label].join('[ \\u3000]*');
const byLength = (a: string, b: string) => b.length - a.length;
const FIELD_ALTERNATION = Object.keys(LABELS).sort(byLength).map(spaced).join('|');
const STOP_ALTERNATION = [...Object.keys(LABELS), ...FURNITURE_LABELS].sort(byLength).map(spaced).join('|');
/** A label, bracketed (`[ 索引号 ]`) or followed by a colon or a pipe. */
const LABEL_RE = new RegExp(`[\\[【]\\s*(${STOP_ALTERNATION})\\s*[\\]】]|(${STOP_ALTERNATION})\\s*[:|]`, 'g');
const FIELD_LABEL = new RegExp(`^(?:${FIELD_ALTERNATION})$`);

/** One labelled field of a line; offsets are into the line as written. */
export interface LineField {
  /** Canonical label: Simplified, spaces removed (`签 發 人` → 签发人). */
  label: string;
  /** The value as written, separators (`|`, brackets) and outer spaces trimmed; never empty. */
  value: string;
  /** Where the field starts (its label, or the bracket before it). */
  start: number;
  /** Where the value starts. */
  valueStart: number;
  /** Where the value ends. */
  end: number;
}

/** Separators around values: pipes, brackets, colons, spaces. */
const EDGE = /[\s\u3000|｜\[\]【】:：]/;

/**
 * The labelled fields of one line, with spans into it. Furniture labels (浏览次数, 字号, 编辑…) end
 * the value before them and are not returned; empty fields are not returned.
 *
 * @example
 * readFields('[ 成文日期 ] | 2025-05-13 | [ 发布日期 ] | 2025-07-09 |')
 * // [{ label: '成文日期', value: '2025-05-13', start: 0, valueStart: 13, end: 23 }, { label: '发布日期', … }]
 */
export function readFields(line: string): LineField[] {
  const { text: norm, map } = searchFormWithMap(line);
  const marks = [...norm.matchAll(LABEL_RE)];
  const out: LineField[] = [];
  for (let i = 0; i < marks.length; i++) {
    const label = (marks[i][1] ?? marks[i][2]).replace(/[ \u3000]/g, '');
    if (!FIELD_LABEL.test(label)) continue;
    let from = map[marks[i].index + marks[i][0].length];
    let to = i + 1 < marks.length ? map[marks[i + 1].index] : line.length;
    while (from < to && EDGE.test(line[from])) from++;
    while (to > from && EDGE.test(line[to - 1])) to--;
    if (from >= to) continue;
    out.push({ label, value: line.slice(from, to), start: map[marks[i].index], valueStart: from, end: to });
  }
  return out;
}

/**
 * Reads metadata fields from lines (as written). Later duplicates never override a value found earlier.
 * @example readMetadata(['[ 索引号 ] | 115/2025-00013 | [ 发文字号 ] | |']).indexNumber // '115/2025-00013'
 */
export function readMetadata(lines: string[]): MetadataFields {
  const out: MetadataFields = {
    indexNumber: null, docNumber: null, publisher: null, written: null, published: null,
    topic: null, genre: null, source: null, category: null, title: null, signer: null, result: null,
  };
  for (const line of lines) {
    for (const field of readFields(line)) {
      const key = LABELS[field.label];
      if (!key || out[key] !== null) continue;
      let value: string | null = field.value.replace(/[|｜【】[\]]/g, ' ').replace(/\s+/g, ' ').trim();
      if (key === 'written' || key === 'published') value = parseDate(value);
      else if (key === 'signer') value = value.replace(/[\s\u3000]+/g, '');
      if (value) out[key] = value;
    }
  }
  return out;
}
