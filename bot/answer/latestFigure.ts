/**
 * A count asked as it stands now (现在有几个, how many … now): when a letter says a figure changed
 * (服务站由3个增加到8个) and another of its sentences still gives the old figure (已在3个服务站试点),
 * the sentence reporting the change is the current answer — it goes just ahead of the older one.
 */

/** The figure a sentence says something changed from: 由3个增加到8个 → 3个; 从三家扩大到五家 → 三家. */
const FROM_FIGURE = /(?:由|从)\s*([\d一二两三四五六七八九十百千万.]+)\s*([个家项所条座名处类批支])[^。,，;；]{0,12}?(?:至|到|为)\s*[\d一二两三四五六七八九十百千万]/u;

/** What supersedeOldFigures needs of a quote candidate. */
export interface FigureCandidate {
  letter: string;
  start: number;
  end: number;
  score: number;
}

/**
 * Lifts each sentence reporting a change of figure just above the best-scored sentence of the same
 * letter that still gives the old figure (and no change). Scores are changed in place; nothing else.
 *
 * @example
 * // 「已在3个服务站试点」 scored 1.4, 「服务站由3个增加到8个」 scored 1.3 → the second now scores just above 1.4
 * supersedeOldFigures(candidates, (id) => searcher.letter(id)?.text)
 */
export function supersedeOldFigures<T extends FigureCandidate>(candidates: T[], textOf: (letter: string) => string | undefined): void {
  const sentence = (c: T) => textOf(c.letter)?.slice(c.start, c.end) ?? '';
  for (const change of candidates) {
    const m = FROM_FIGURE.exec(sentence(change));
    if (!m) continue;
    const old = `${m[1]}${m[2]}`;
    const older = candidates.filter((c) => c !== change && c.letter === change.letter && c.score >= change.score && !FROM_FIGURE.test(sentence(c)) && includesFigure(sentence(c), old));
    if (older.length > 0) change.score = Math.max(...older.map((c) => c.score)) + 1e-6;
  }
}

/** True when the text writes the figure as a figure (3个, not 13个 or 3个月 read as 3个). */
function includesFigure(text: string, figure: string): boolean {
  let at = text.indexOf(figure);
  while (at >= 0) {
    const before = text[at - 1] ?? '';
    const after = text[at + figure.length] ?? '';
    if (!/[\d一二两三四五六七八九十百千万.]/u.test(before) && after !== '月') return true;
    at = text.indexOf(figure, at + 1);
  }
  return false;
}
