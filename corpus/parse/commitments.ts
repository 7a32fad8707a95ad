/**
 * What the issuing body says it will do. Two sources:
 * - sections whose heading announces plans (下一步工作计划, 下步工作计划, 今后…, 下一步打算): every item
 *   (一是…) in them, and every sentence outside items;
 * - anywhere else, sentences that read as a commitment (下一步，… / 我局将… / 将继续… / 计划…).
 * Each commitment is a whole item or sentence, verbatim, with its span.
 */
import type { Commitment } from '../letter.ts';
import type { SectionInfo } from './sections.ts';
import { lastSentenceBefore, splitSentences, trimSpan, type Span } from './sentences.ts';
import { searchForm } from './searchForm.ts';

const PLAN_HEADING = /下一步|下步|下阶段|今后|工作计划|工作打算|打算|努力方向|工作思路|后续工作|改进措施|工作安排|后续计划/;
const COMMIT_START = /^(下一步|下步|下阶段|今后|接下来|后期|后续|近期|下半年|(今年|明年|年内)[^。]{0,20}(将|计划|拟|力争))/;
/** Acknowledgements and courtesy (您的建议收悉…我们将认真对待) promise nothing concrete. */
const NOT_COMMITMENT = /收悉|已收到|感谢|谢谢|审签|如有意见|敬请反馈|请.{0,10}反馈/;
const COMMIT_VERB =
  /(将|拟|计划|准备|力争|争取)(继续|进一步|积极|加大|加强|全力|持续|认真|尽快|逐步|广泛|不断|配合|充分|大力|重点|着力|推动|推进|会同|结合|按照|做好|开展|建立|完善|提高|研究|协调|考虑|适时|新建|实施|启动|组织|督促|联合|指导|主动|密切|严格|把|对|在|于年|力争|争取)/;
const ACTOR_WILL = /(我们|我[局委厅办队市区县院部中心]|[单大支中]?队|局|委|厅|办|中心|学院|政府|示范区|集团|公司)(也|还|仍|均)?(将|拟|计划)/;
/** Other ways of saying "will": 将会/将要, 筹划…, and 待…后/时 (once X is done, Y). */
const FUTURE = /将会|将要|筹划|筹备|谋划|(^|[，,])待[^，,。]{1,40}(后|时)/;

function isCommitmentSentence(norm: string): boolean {
  if (NOT_COMMITMENT.test(norm)) return false;
  return COMMIT_START.test(norm) || COMMIT_VERB.test(norm) || ACTOR_WILL.test(norm) || FUTURE.test(norm);
}

/** The lines of text[from, to), trimmed. */
function paragraphs(text: string, from: number, to: number): Span[] {
  const out: Span[] = [];
  let start = from;
  for (let i = from; i <= to; i++) {
    if (i === to || text[i] === '\n') {
      const t = trimSpan(text, start, i);
      if (t) out.push(t);
      start = i + 1;
    }
  }
  return out;
}

/** The parts of `span` (a span of `text`) not covered by any of `cuts`, trimmed. */
function outside(text: string, span: Span, cuts: Span[]): Span[] {
  const inside = cuts.filter((c) => c.start < span.end && span.start < c.end).sort((a, b) => a.start - b.start);
  const out: Span[] = [];
  let at = span.start;
  for (const c of inside) {
    const t = c.start > at ? trimSpan(text, at, c.start) : null;
    if (t) out.push(t);
    at = Math.max(at, c.end);
  }
  const last = at < span.end ? trimSpan(text, at, span.end) : null;
  if (last) out.push(last);
  return out;
}

function innermostPath(sections: SectionInfo[], at: number): string {
  let best: SectionInfo | null = null;
  for (const s of sections) if (s.start <= at && at < s.end && (!best || s.level >= best.level)) best = s;
  return best ? best.path : '';
}

/**
 * Commitments of a letter, in text order, without overlaps.
 * @example findCommitments('二、下一步工作计划\n一是继续办好论坛。\n二是加强交流。', sections).map(c => c.text) // ['一是继续办好论坛。', '二是加强交流。']
 */
export function findCommitments(text: string, sections: SectionInfo[], contentEnd = text.length): Commitment[] {
  const spans: Span[] = [];
  const covered = (s: Span) => spans.some((c) => s.start < c.end && c.start < s.end);
  const headingOnlySpans = sections.filter((s) => s.headingOnly).map((s) => ({ start: s.start, end: s.start + s.heading.length }));
  const isHeadingLine = (s: Span) => headingOnlySpans.some((h) => h.start === s.start);

  for (const sec of sections) {
    // Only a heading of its own or an outer level announces a plan; an item like 三是实施引才计划 does not.
    if ((!sec.headingOnly && sec.level > 3) || !PLAN_HEADING.test(searchForm(sec.heading))) continue;
    // Items of a plan section (its direct or deeper children) are commitments as a whole.
    const items = sections.filter((c) => c !== sec && c.start >= sec.start && c.end <= sec.end && c.level > sec.level && !c.headingOnly);
    const leafItems = items.filter((c) => !items.some((d) => d !== c && d.start >= c.start && d.end <= c.end && d.level > c.level));
    for (const it of leafItems) if (!covered(it)) spans.push({ start: it.start, end: it.end });
    // Every other paragraph under a plan heading is a plan item too, kept whole (its parts between items).
    for (const para of paragraphs(text, sec.start, sec.end)) {
      for (const piece of outside(text, para, leafItems)) {
        if (isHeadingLine(piece) || covered(piece) || piece.end - piece.start < 6) continue;
        if (sec.headingOnly && piece.start === sec.start) continue;
        if (NOT_COMMITMENT.test(searchForm(text.slice(piece.start, piece.end)))) continue;
        spans.push(piece);
      }
    }
  }
  // A list that opens right after a plan sentence (后期，…将全力推动…。⏎一是…二是…) lists the plan's items.
  const items = sections.filter((s) => s.level === 4 && !s.headingOnly).sort((a, b) => a.start - b.start);
  for (let i = 0; i < items.length; i++) {
    const first = items[i];
    if (!/^(一是|[(（]1[)）]|①)/.test(first.heading) || (first.start > 0 && text[first.start - 1] !== '\n')) continue;
    const before = lastSentenceBefore(text, first.start);
    if (!before || !isCommitmentSentence(searchForm(text.slice(before.start, before.end)))) continue;
    let prev = first;
    for (let j = i; j < items.length && (j === i || items[j].start - prev.end <= 2); j++) {
      if (j > i && /^(一是|[(（]1[)）]|①)/.test(items[j].heading)) break;
      if (!covered(items[j])) spans.push({ start: items[j].start, end: items[j].end });
      prev = items[j];
    }
  }
  for (const s of splitSentences(text, 0, contentEnd)) {
    if (covered(s) || isHeadingLine(s)) continue;
    if (s.end - s.start < 6) continue;
    if (isCommitmentSentence(searchForm(text.slice(s.start, s.end)))) spans.push(s);
  }
  return spans
    .sort((a, b) => a.start - b.start)
    .map((s) => ({ text: text.slice(s.start, s.end), start: s.start, end: s.end, section: innermostPath(sections, s.start) }));
}
