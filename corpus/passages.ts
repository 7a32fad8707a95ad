/**
 * Letter → Passages: retrievable, quotable pieces that follow the section structure and never split
 * a sentence. A passage is always `letter.text.slice(start, end)`. The header section is not cut.
 */
import { bodyStart, type Letter, type Passage, type Section } from './letter.ts';
import { splitSentences, type Span } from './parse/sentences.ts';

/** Length goals in characters: passages aim at `target`, stay under `max`, merge when under `min`. */
export interface PassageOptions {
  min?: number;
  target?: number;
  max?: number;
}

const DEFAULTS = { min: 150, target: 300, max: 400 };
/** Clause ends a runaway sentence (a page without full stops) may be cut at. */
const CLAUSE_END = /[，,、：:\s]/;

/** Is a section's heading a line of its own (context, not quotable prose)? */
function isHeadingOnlyLine(text: string, s: Section): boolean {
  const lineEnd = text.indexOf('\n', s.start);
  const line = text.slice(s.start, lineEnd < 0 ? text.length : lineEnd);
  return line === s.heading && !/[。！？；;!?]$/.test(line);
}

/** Cuts a sentence far longer than `max` at clause ends (else hard), so no passage is unbounded. */
function splitRunaway(text: string, span: Span, max: number): Span[] {
  const hard = max * 2;
  if (span.end - span.start <= hard) return [span];
  const out: Span[] = [];
  let start = span.start;
  while (span.end - start > hard) {
    let cut = -1;
    for (let i = start + max; i > start + max / 3; i--) {
      if (CLAUSE_END.test(text[i - 1])) {
        cut = i;
        break;
      }
    }
    if (cut < 0) cut = start + max;
    // Never cut a surrogate pair in two.
    const code = text.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut++;
    const trimmed = trimmedSpan(text, start, cut);
    if (trimmed) out.push(trimmed);
    start = cut;
  }
  const last = trimmedSpan(text, start, span.end);
  if (last) out.push(last);
  return out;
}

function lineEndAt(text: string, at: number): number {
  const i = text.indexOf('\n', at);
  return i < 0 ? text.length : i;
}

function trimmedSpan(text: string, start: number, end: number): Span | null {
  let s = start;
  let e = end;
  while (s < e && /\s/.test(text[s])) s++;
  while (e > s && /\s/.test(text[e - 1])) e--;
  return s < e ? { start: s, end: e } : null;
}

interface Unit extends Span {
  /** Innermost section path. */
  path: string;
  /** Path of the innermost section of level ≤ 3: passages never cross it. */
  group: string;
  /** Starts a new line (paragraph)? */
  paragraphStart: boolean;
  /** End of the paragraph (line) it sits in. */
  paragraphEnd: number;
}

/**
 * Cuts a letter into passages.
 * @example cutPassages(letter).every(p => letter.text.slice(p.start, p.end) === p.text) // true
 */
export function cutPassages(letter: Letter, options: PassageOptions = {}): Passage[] {
  const min = options.min ?? DEFAULTS.min;
  const max = Math.max(options.max ?? DEFAULTS.max, 1);
  const target = Math.min(options.target ?? DEFAULTS.target, max);
  const text = letter.text;
  const sections = letter.sections.filter((s) => s.start >= 0 && s.end <= text.length && s.start < s.end);
  const headingLines = new Set(sections.filter((s) => isHeadingOnlyLine(text, s)).map((s) => s.start));
  const breaks = new Set(letter.breaks ?? []);

  /** Paths of the innermost section at `at`, and of the innermost one of level ≤ 3 (one pass for both: asked per sentence). */
  const innermostPaths = (at: number): { path: string; group: string } => {
    let best: Section | null = null;
    let group: Section | null = null;
    for (const s of sections) {
      if (!(s.start <= at && at < s.end)) continue;
      if (!best || s.level >= best.level) best = s;
      if (s.level <= 3 && (!group || s.level >= group.level)) group = s;
    }
    return { path: best?.path ?? '', group: group?.path ?? '' };
  };

  const units: Unit[] = [];
  // The header section (metadata lines) is quotable but never a passage: topic search must not rank it.
  for (const sentence of splitSentences(text, bodyStart(letter))) {
    if (headingLines.has(sentence.start) && text.indexOf('\n', sentence.start) === sentence.end) continue;
    if (headingLines.has(sentence.start) && sentence.end === text.length) continue;
    for (const piece of splitRunaway(text, sentence, max)) {
      const { path, group } = innermostPaths(piece.start);
      units.push({
        start: piece.start,
        end: piece.end,
        path,
        group,
        paragraphStart: piece.start === 0 || text[piece.start - 1] === '\n',
        paragraphEnd: lineEndAt(text, piece.start),
      });
    }
  }

  /** The innermost section holding all of [start, end), or null. */
  const containerOf = (start: number, end: number): Section | null => {
    let best: Section | null = null;
    for (const s of sections) if (s.start <= start && end <= s.end && (!best || s.level >= best.level)) best = s;
    return best;
  };

  const groups: Unit[][] = [];
  for (const u of units) {
    const cur = groups[groups.length - 1];
    if (!cur) {
      groups.push([u]);
      continue;
    }
    const last = cur[cur.length - 1];
    const curLen = last.end - cur[0].start;
    const newLen = u.end - cur[0].start;
    const samePath = last.path === u.path;
    // A line after a dropped page line does not continue the one before: never join across.
    let join = newLen <= max && !(u.paragraphStart && breaks.has(u.start));
    if (join && cur[0].group !== u.group) {
      // Tiny sibling sections (1. / 2. items of a few words) share a passage under their common heading.
      join = curLen < min && newLen <= target && containerOf(cur[0].start, u.end) !== null;
    }
    if (join && !samePath && curLen >= min) join = false; // a new item starts a new passage once this one is big enough
    if (join && u.paragraphStart && curLen >= min && newLen > target) join = false;
    // Mid-paragraph: stop near the target, unless the rest of the paragraph still fits (no tiny tails).
    if (join && !u.paragraphStart && curLen >= target && u.paragraphEnd - cur[0].start > max) join = false;
    if (join) cur.push(u);
    else groups.push([u]);
  }

  return groups.map((g, n) => {
    const start = g[0].start;
    const end = g[g.length - 1].end;
    const path = g.every((u) => u.path === g[0].path) ? g[0].path : (containerOf(start, end)?.path ?? '');
    return {
      id: `${letter.id}#${n}`,
      letter: letter.id,
      section: path,
      headings: sectionHeadings(sections, path, start),
      start,
      end,
      text: text.slice(start, end),
    };
  });
}

/**
 * The heading chain, outermost first, of the section with this path at this position: what a
 * passage carries as search context. The index store re-derives passages' headings with it.
 *
 * @example
 * sectionHeadings(letter.sections, '五、(二)', 1200) // → ['五、下一步工作计划', '(二)加强青年交流']
 */
export function sectionHeadings(sections: readonly Section[], path: string, at: number): string[] {
  const chain = sections.filter((s) => s.start <= at && at < s.end && path.startsWith(s.path));
  return chain.sort((a, b) => a.level - b.level || a.start - b.start).map((s) => s.heading);
}
