/**
 * The heading tree of a letter. Heading styles and their levels:
 * 1 `一、`  2 `(一)` / `（一）`  3 `1.` / `1、`  4 `(1)` / `①` / `一是…` (at a line start or inline after a sentence end).
 * A marker only counts when its numbering follows on (一 starts a run, then 二, 三 …), so a stray
 * `三、` in prose does not open a section.
 */
import type { Section } from '../letter.ts';
import { trimSpan } from './sentences.ts';

const CN = '一二三四五六七八九十';

function cnValue(s: string): number {
  if (/^\d+$/.test(s)) return Number(s);
  if (s === '十') return 10;
  if (s.startsWith('十')) return 10 + CN.indexOf(s[1]) + 1;
  if (s.endsWith('十')) return (CN.indexOf(s[0]) + 1) * 10;
  if (s.length === 3 && s[1] === '十') return (CN.indexOf(s[0]) + 1) * 10 + CN.indexOf(s[2]) + 1;
  return s.length === 1 ? CN.indexOf(s) + 1 : 0;
}

interface Marker {
  level: number;
  /** Style key: numbering runs are per style. */
  style: string;
  value: number;
  /** The marker as a path component (full-width brackets folded). */
  label: string;
  /** Offset in text where the heading starts. */
  at: number;
  /** Offset where the marker ends (the heading words begin). */
  after: number;
  /** At the start of a line? */
  lineStart: boolean;
}

const LINE_MARKERS: { re: RegExp; level: number; style: string; label: (m: RegExpExecArray) => string }[] = [
  { re: /^([一二三四五六七八九十]{1,3})\s*[、.．]/, level: 1, style: 'cn、', label: (m) => `${m[1]}、` },
  { re: /^[(（]\s*([一二三四五六七八九十]{1,3})\s*[)）]\s*[、.．]?/, level: 2, style: '(cn)', label: (m) => `(${m[1]})` },
  { re: /^(\d{1,2})\s*([.．、])(?!\d)/, level: 3, style: '1.', label: (m) => `${m[1]}${m[2] === '、' ? '、' : '.'}` },
  { re: /^[(（]\s*(\d{1,2})\s*[)）]\s*[、.．]?/, level: 4, style: '(1)', label: (m) => `(${m[1]})` },
  { re: /^([①②③④⑤⑥⑦⑧⑨⑩])/, level: 4, style: '①', label: (m) => m[1] },
  { re: /^([一二三四五六七八九十]{1,2})是/, level: 4, style: 'cn是', label: (m) => `${m[1]}是` },
];
/** `一是` after a sentence end inside a paragraph. */
const INLINE_ITEM = /([。；;！？:：])\s*([一二三四五六七八九十]{1,2})是/g;

function markerValue(style: string, raw: string): number {
  if (style === '①') return '①②③④⑤⑥⑦⑧⑨⑩'.indexOf(raw) + 1;
  return cnValue(raw);
}

function lineMarkers(text: string): Marker[] {
  const out: Marker[] = [];
  let lineStart = 0;
  for (const line of text.split('\n')) {
    for (const mk of LINE_MARKERS) {
      const m = mk.re.exec(line);
      if (!m) continue;
      out.push({ level: mk.level, style: mk.style, value: markerValue(mk.style, m[1]), label: mk.label(m), at: lineStart, after: lineStart + m[0].length, lineStart: true });
      break;
    }
    for (const m of line.matchAll(INLINE_ITEM)) {
      const at = lineStart + m.index + m[0].length - m[2].length - 1;
      out.push({ level: 4, style: 'cn是', value: cnValue(m[2]), label: `${m[2]}是`, at, after: at + m[2].length + 1, lineStart: false });
    }
    lineStart += line.length + 1;
  }
  return out.sort((a, b) => a.at - b.at);
}

/** The heading text of a section: the whole line when it is a short title line, else its first sentence (or clause). */
function headingText(text: string, mk: Marker): { heading: string; headingOnly: boolean } {
  const lineEnd = text.indexOf('\n', mk.at);
  const line = text.slice(mk.at, lineEnd < 0 ? text.length : lineEnd);
  if (mk.lineStart && line.length <= 50 && !/[。！？；;!?]/.test(line)) return { heading: line, headingOnly: true };
  const sentence = /^[^。！？；;!?\n]*[。！？；;!?]?/.exec(line)?.[0] ?? line;
  if (sentence.length <= 60) return { heading: sentence, headingOnly: false };
  const clause = /^[^，,。！？；;!?\n]*[，,]?/.exec(line)?.[0] ?? '';
  return { heading: clause.length >= 2 && clause.length <= 60 ? clause : line.slice(0, 40), headingOnly: false };
}

/** A section plus what the parser needs beyond the contract. */
export interface SectionInfo extends Section {
  /** The heading is a line of its own (no prose on it): it is context, not quotable text. */
  headingOnly: boolean;
  /** Chain of headings from the outermost, this one included. */
  headings: string[];
}

/**
 * Builds the section tree of `text`. Sections never extend past `contentEnd` (where the signature starts).
 * @example findSections('一、概况\n情况。\n二、下一步\n将继续。').map(s => s.path) // ['一、', '二、']
 */
export function findSections(text: string, contentEnd = text.length): SectionInfo[] {
  const markers = lineMarkers(text).filter((m) => m.at < contentEnd);
  interface Open { info: SectionInfo; style: string; value: number; lineStart: boolean }
  const stack: Open[] = [];
  const out: SectionInfo[] = [];
  /** Last accepted value per style within the current parent: key = parent path + style. */
  const lastValue = new Map<string, number>();

  const close = (o: Open, end: number) => {
    const span = trimSpan(text, o.info.start, Math.max(o.info.start, end));
    o.info.end = span ? span.end : o.info.start;
  };

  for (const mk of markers) {
    // Where would this marker sit? Under the innermost open section of a smaller level.
    const parentIdx = (() => {
      for (let i = stack.length - 1; i >= 0; i--) if (stack[i].info.level < mk.level) return i;
      return -1;
    })();
    const parentPath = parentIdx >= 0 ? stack[parentIdx].info.path : '';
    const key = `${parentPath}|${mk.style}`;
    const last = lastValue.get(key) ?? 0;
    const accepted = mk.value === last + 1 || mk.value === 1;
    if (!accepted) continue;
    // An inline 一是 needs a following 二是 in the same paragraph to be a list, not prose.
    if (!mk.lineStart && mk.value === 1) {
      const lineEnd = text.indexOf('\n', mk.at);
      const rest = text.slice(mk.after, lineEnd < 0 ? contentEnd : Math.min(lineEnd, contentEnd));
      if (!/[。；;！？:：]\s*二是/.test(rest)) continue;
    }
    // Close sections at the same or deeper level.
    while (stack.length > 0 && stack[stack.length - 1].info.level >= mk.level) close(stack.pop()!, mk.at);
    lastValue.set(key, mk.value);
    const parent = stack[stack.length - 1];
    const { heading, headingOnly } = headingText(text, mk);
    const info: SectionInfo = {
      path: `${parent ? parent.info.path : ''}${mk.label}`,
      heading,
      level: mk.level,
      start: mk.at,
      end: contentEnd,
      headingOnly,
      headings: [...(parent ? parent.info.headings : []), heading],
    };
    // Children of a new section number from one again.
    for (const k of [...lastValue.keys()]) if (k.startsWith(`${info.path}|`)) lastValue.delete(k);
    stack.push({ info, style: mk.style, value: mk.value, lineStart: mk.lineStart });
    out.push(info);
    // An inline item ends with its paragraph at the latest.
    if (!mk.lineStart) {
      const lineEnd = text.indexOf('\n', mk.at);
      info.end = lineEnd < 0 ? contentEnd : Math.min(lineEnd, contentEnd);
    }
  }
  while (stack.length > 0) close(stack.pop()!, contentEnd);
  // Inline items were capped at their paragraph; re-apply after closing (close() may have widened them).
  for (const s of out) {
    if (s.level === 4) {
      const lineEnd = text.indexOf('\n', s.start);
      const startsLine = s.start === 0 || text[s.start - 1] === '\n';
      if (!startsLine && lineEnd >= 0 && s.end > lineEnd) s.end = lineEnd;
    }
    const t = trimSpan(text, s.start, s.end);
    s.end = t ? t.end : s.start;
  }
  return out;
}
