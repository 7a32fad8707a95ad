/**
 * Finds the letter inside a scraped page: where it starts (the salutation, 王义代表:), where it ends
 * (before the site footer), and which lines are page chrome. Lines are trimmed, never altered.
 */
import { lineKind, type LineKind } from './lineKinds.ts';
import { searchForm, searchFormWithMap } from './searchForm.ts';

/** One non-empty, trimmed line of the page. */
export interface PageLine {
  /** Position among the page's non-empty lines. */
  index: number;
  /** The trimmed line, verbatim. */
  text: string;
  /** Its search form. */
  norm: string;
  kind: LineKind;
}

/** The page split into the letter and what surrounds it. */
export interface CleanPage {
  lines: PageLine[];
  /** Lines before the letter (title, metadata, document number…), chrome excluded. */
  head: PageLine[];
  /** Metadata-looking lines anywhere on the page (fields, 来源/发布时间 lines, toolbars with dates). */
  meta: PageLine[];
  /** The letter's lines, verbatim (the first may start mid-line, at the salutation). */
  body: string[];
  /**
   * Indices into `body` of lines that follow a dropped page line (navigation, page info, a repeated
   * title): the page does not read on from the line before, so no passage may join across.
   */
  breaks: number[];
  /** Index into `body` of the salutation line, or -1. */
  salutation: number;
  /** Text cut off before a mid-line salutation (a title printed on the same line), if any. */
  inlineTitle: string | null;
  /**
   * Lines that are not the letter's but may carry its metadata, in page order: every line before the
   * letter and the page-info lines dropped from inside it, up to the site footer.
   */
  outside: PageLine[];
}

/** Page-info lines that are never letter text (field labels of the metadata block, 来源/发布时间 toolbars). */
const PAGE_INFO =
  /[\[【|]\s*(索引号|发文字号|主题分类|体裁分类|发布机构|成文日期|发布日期)|(索引号|发文字号|主题分类|体裁分类|发布机构|成文日期|发布日期|公开方式|组配分类|文件编号|发文日期)\s*[\]】:|]|^(来源|发布时间|发表时间|发布日期|更新时间|责任编辑|信息来源|供稿|撰稿)\s*[:]/;
const TRIM = /^[\s\u3000\u00a0\ufeff|]+|[\s\u3000\u00a0\ufeff]+$/g;

/** 王义代表: / 赵劲松、吴代文委员: / 尊敬的朱杰代表: / 罗吉卿等3位委员: */
const SALUTATION =
  /^(尊敬的)?\s*([^:，,。；！？“”《》()\s][^:，,。；！？“”《》()]{0,80}?)(委员|代表|同志|先生|女士)(们)?\s*[:]/;
/** A salutation printed mid-line after a title: `…的答复 林景华代表: 您提出…`. */
const INLINE_SALUTATION = /\s(尊敬的)?([\u4e00-\u9fa5、·]{2,40}?)(委员|代表)(们)?\s*[:]/;
/** A body addressed (会办意见 and the like): 省发改委: */
const BODY_SALUTATION = /^(尊敬的)?([\u4e00-\u9fa5]{2,16}?(委|局|厅|办|会|政府|部|院|处|室|公司|中心))\s*[:]$/;
const NOT_SALUTATION = /^(来源|时间|日期|联系|承办|领导|委员反馈|主办|会办|协办|附件|抄送|发布|索引|文件|备注|说明)/;

function splitLines(text: string): PageLine[] {
  const out: PageLine[] = [];
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const t = raw.replace(TRIM, '');
    if (t === '') continue;
    const norm = searchForm(t);
    out.push({ index: out.length, text: t, norm, kind: lineKind(norm) });
  }
  return out;
}

/** Lines of a site footer printed one field per line: 主办单位:… ⏎ 承办单位:… ⏎ 地址:… */
const FOOTER_FIELD = /^(主办|承办|协办|技术支持|运维|维护)(单位)?\s*[:]|^(网站)?(地址|通讯地址)\s*[:]/;
const LETTER_CLOSING = /会办|联系人|承办人|经办人|负责人|公章|盖章|签字/;

/**
 * A footer printed one field per line has no single line that gives it away: a run of footer-field
 * lines that reaches a footer line, or that holds both 主办 and 承办/地址, is footer as a whole.
 */
function markFooterRuns(lines: PageLine[]): void {
  for (let i = 0; i < lines.length; i++) {
    if (!FOOTER_FIELD.test(lines[i].norm) || LETTER_CLOSING.test(lines[i].norm) || lines[i].norm.length > 100) continue;
    let j = i;
    while (j + 1 < lines.length && FOOTER_FIELD.test(lines[j + 1].norm) && !LETTER_CLOSING.test(lines[j + 1].norm) && lines[j + 1].norm.length <= 100) j++;
    const run = lines.slice(i, j + 1);
    const sponsorAndMore = run.some((l) => /^主办/.test(l.norm)) && run.some((l) => !/^主办/.test(l.norm));
    if (sponsorAndMore || lines[j + 1]?.kind === 'footer') for (const l of run) l.kind = 'footer';
    i = j;
  }
}

/** Title-like lines (before the letter) are never where the prose starts. */
const TITLE_LINE = /(答复|复函|函|意见|回复)[)）]?$/;

function findSalutation(lines: PageLine[]): { line: number; offset: number } | null {
  // Navigation can be long, so look far; but a salutation comes before the prose, so stop at the second prose line.
  const limit = Math.min(lines.length, 200);
  let prose = 0;
  for (let i = 0; i < limit; i++) {
    const l = lines[i];
    if (l.kind === 'text' && l.norm.length > 60 && /[。！？]/.test(l.norm) && ++prose > 2) break;
    if (l.kind !== 'text' || NOT_SALUTATION.test(l.norm)) continue;
    const plain = SALUTATION.exec(l.norm);
    // `…第27号建议的答复 林景华代表:` is a title with the salutation on the same line, handled below.
    if (plain && !/答复|复函|会议|第\s*\d/.test(plain[2])) return { line: i, offset: 0 };
    if (BODY_SALUTATION.test(l.norm)) return { line: i, offset: 0 };
    const inline = INLINE_SALUTATION.exec(l.norm);
    if (inline && /答复|复函|提案|建议|函$/.test(l.norm.slice(0, inline.index))) {
      return { line: i, offset: inline.index + 1 };
    }
  }
  return null;
}

/** Where the letter starts when there is no salutation: the first line that reads like prose. */
function findProseStart(lines: PageLine[]): number {
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.kind === 'text' && (l.norm.length > 40 || /[。！？]/.test(l.norm)) && !(TITLE_LINE.test(l.norm) && !/[。！？]/.test(l.norm))) return i;
  }
  return lines.findIndex((l) => l.kind === 'text');
}

/**
 * Splits a page into head, letter body and chrome.
 * @example cleanPage('您当前的位置: 首页\n王义代表:\n您提出的建议收悉。').body // ['王义代表:', '您提出的建议收悉。']
 */
export function cleanPage(text: string): CleanPage {
  const lines = splitLines(text);
  markFooterRuns(lines);
  const found = findSalutation(lines);
  const start = found ? found.line : findProseStart(lines);
  const meta = lines.filter((l) => l.kind === 'meta' || (l.kind === 'nav' && /\d{4}/.test(l.norm)));
  const firstFooter = lines.findIndex((l) => l.kind === 'footer');
  const beforeFooter = firstFooter < 0 ? lines : lines.slice(0, firstFooter);
  if (start < 0) {
    return { lines, head: lines.filter((l) => l.kind !== 'nav' && l.kind !== 'footer'), meta, body: [], breaks: [], salutation: -1, inlineTitle: null, outside: beforeFooter };
  }
  const outside = beforeFooter.slice(0, start);

  const head = lines.slice(0, start).filter((l) => l.kind !== 'nav' && l.kind !== 'footer' && l.kind !== 'number');
  const body: string[] = [];
  /** Page line index of each body line. */
  const from: number[] = [];
  let inlineTitle: string | null = null;
  for (let i = start; i < lines.length; i++) {
    const l = lines[i];
    // The site footer ends the letter; nothing after it is the letter's.
    if (l.kind === 'footer') break;
    if (l.kind === 'nav' || l.kind === 'number') {
      outside.push(l);
      continue;
    }
    // Inside the letter only unmistakable page-info lines go; a line like 时间:6月至12月 may be the letter's own.
    if (l.kind === 'meta' && PAGE_INFO.test(l.norm)) {
      outside.push(l);
      continue;
    }
    if (i === start && found && found.offset > 0) {
      // The offset is in the search form (pinyin glosses dropped); map it back to the line as written.
      const cut = searchFormWithMap(l.text).map[found.offset] ?? 0;
      inlineTitle = l.text.slice(0, cut).trim();
      body.push(l.text.slice(cut).trim());
      from.push(i);
      continue;
    }
    body.push(l.text);
    from.push(i);
  }
  // Pages often print the title again under the letter; it is not letter text.
  const titleLike = new Set(
    head.filter((l) => l.kind === 'text' && /(答复|复函|函|意见)$/.test(l.norm)).map((l) => l.norm.replace(/\s+/g, '')),
  );
  const keep = body.map((t, i) => i === 0 || !titleLike.has(searchForm(t).replace(/\s+/g, '')));
  const kept = body.filter((_, i) => keep[i]);
  const keptFrom = from.filter((_, i) => keep[i]);
  const breaks = keptFrom.flatMap((at, j) => (j > 0 && at !== keptFrom[j - 1] + 1 ? [j] : []));
  return { lines, head, meta, body: kept, breaks, salutation: found ? 0 : -1, inlineTitle, outside };
}
