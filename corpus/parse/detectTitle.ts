/**
 * The letter's title: as the page prints it (possibly split over lines, possibly printed twice),
 * else what the container offers, else composed from issuer, session, number and kind.
 */
import type { LetterKind } from '../letter.ts';
import { isJunkName } from './furniture.ts';
import { searchFormWithMap, stripPinyin, searchForm } from './searchForm.ts';

const TITLE_END = /(答复|复函|答复函|的函|会办意见|意见|回复|复文|办理答复|办理情况)[)）]?$/;
const TITLE_WORDS = /关于|对|提案|建议/;

/** Titles keep their characters; only pinyin glosses and spaces between Chinese characters go. */
export function tidyTitle(s: string): string {
  return stripPinyin(s)
    .replace(/\s+/g, ' ')
    .replace(/([^\x00-\x7f]) (?=[^\x00-\x7f])/g, '$1')
    .trim();
}

/** A field label a metadata table puts before the title: 标题: | … */
const TITLE_LABEL = /^\s*[\[【]?\s*(标题|名称|题目|文件名称)\s*[\]】]?\s*[:|]?\s*\|?\s*/;
/** The title proper inside a line that carries more: an optional body, then 关于/对 … 答复/复函/意见. */
const TITLE_CORE = new RegExp(
  `([\u4e00-\u9fa5()]{2,40}?(?:局|委员会|委|厅|办公室|政府|大队|支队|中心|院|部|会|处|署|办|集团|公司))?\s*(?:关于|对)[^|:>]{2,110}?${TITLE_END.source.replace(/\$$/, '')}`,
);

/**
 * A title as a citation may print it, or null when what was found is page chrome: tidied (see
 * tidyTitle), a field label (标题: |) dropped, and when furniture is stuck to it (tab labels,
 * toolbars, 发布时间 …) cut down to the title proper; a breadcrumb or a line of furniture is no title.
 *
 * @example cleanTitle('标题: | 关于市政协六届二次会议第0963号提案的复函') // '关于市政协六届二次会议第0963号提案的复函'
 * @example cleanTitle('•答复内容•建议内容对区人大第30号建议的答复') // '对区人大第30号建议的答复'
 * @example cleanTitle('首页 > 政府信息公开 > 建议提案') // null
 */
export function cleanTitle(raw: string): string | null {
  let title = tidyTitle(raw).replace(TITLE_LABEL, '').trim();
  if (!title) return null;
  if (isJunkName(searchForm(title))) {
    const { text, map } = searchFormWithMap(title);
    const core = TITLE_CORE.exec(text);
    if (!core) return null;
    // A body named before 关于/对 stays only when it is clean (not 建议内容 or a toolbar).
    let from = core.index;
    if (core[1] && isJunkName(core[1])) from += core[1].length;
    title = title.slice(map[from], map[core.index + core[0].length]).replace(/^[\s|•·:>-]+/, '').trim();
    if (!title || isJunkName(searchForm(title))) return null;
  }
  return title;
}

/**
 * The first title found among head lines (joining up to 4 consecutive lines), or null.
 * @example titleFromLines(['高平市卫生健康和体育局', '关于对市七届人大五次会议第71号建议的', '答 复']) // '高平市卫生健康和体育局关于对市七届人大五次会议第71号建议的答复'
 */
export function titleFromLines(lines: string[]): string | null {
  for (let i = 0; i < lines.length; i++) {
    let joined = '';
    for (let j = i; j < Math.min(lines.length, i + 4); j++) {
      joined += (joined ? ' ' : '') + lines[j];
      const norm = searchForm(tidyTitle(joined)).replace(/\s+/g, '');
      if (norm.length > 120) break;
      // A real title names what it answers; a nav entry like 人大代表建议答复 does not.
      if (TITLE_END.test(norm) && TITLE_WORDS.test(norm) && (norm.length >= 12 || /第\s*\S{1,8}号|关于/.test(norm))) {
        const clean = cleanTitle(joined);
        if (clean) return clean;
      }
    }
  }
  return null;
}

/** Does a container title (HTML <title>, PDF metadata) read like a letter's title? */
export function looksLikeTitle(s: string): boolean {
  const norm = searchForm(s).replace(/\s+/g, '');
  return norm.length <= 120 && TITLE_WORDS.test(norm) && /(答复|复函|函|意见|回复|提案|建议)/.test(norm);
}

/**
 * A title composed from what is known, when the page prints none.
 * @example composeTitle({ issuer: '青岛市人民政府', session: null, proposal: null, kind: 'cppcc-proposal', subject: '关于推进上合示范区与澳门联动发展的建议' })
 * // '青岛市人民政府关于《关于推进上合示范区与澳门联动发展的建议》的复函'
 */
export function composeTitle(p: { issuer: string | null; session: string | null; proposal: string | null; kind: LetterKind; subject: string | null }): string {
  const issuer = p.issuer ?? '';
  if (p.session || p.proposal) {
    const what = p.kind === 'cppcc-proposal' ? '提案' : p.kind === 'npc-suggestion' ? '建议' : '建议提案';
    return `${issuer}关于${p.session ?? ''}${p.proposal ? `第${p.proposal}号` : ''}${what}的复函`;
  }
  if (p.subject) return `${issuer}关于《${p.subject}》的复函`;
  return `${issuer}复函`;
}

/** The proposal's own title, quoted in the opening: 您提出的《关于…的建议》 / “关于…的提案”. */
export function findSubject(lines: string[]): string | null {
  for (const line of lines.slice(0, 4)) {
    // The proposal's title follows 提出(的)/所提(的): 您提出的《关于…的建议》.
    const quoted = /(?:提出|所提|提)的?\s*(?:关于)?[《“"]([^》”"]{4,80})[》”"]/.exec(line);
    if (quoted) return tidyTitle(quoted[1]);
    const bare = /(?:提出|所提)的?\s*(关于[^，,。；:：]{4,60}?(?:建议|提案|问题))/.exec(line);
    if (bare) return tidyTitle(bare[1]);
  }
  return null;
}
