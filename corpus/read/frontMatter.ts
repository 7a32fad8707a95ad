import { parse } from 'yaml';
import { FrontMatterSchema, type FrontMatter } from '../letter.ts';

/** Text split into its YAML front matter (validated) and the body that follows it. */
export type FrontMatterSplit =
  | { ok: true; frontMatter: FrontMatter; body: string }
  | { ok: false; reason: string };

/** `---` on the first line, YAML lines, then a closing `---` (or `...`) line. */
const FRONT_MATTER = /^---[ \t]*\n([\s\S]*?)\n?(?:---|\.\.\.)[ \t]*(?:\n|$)/;

/**
 * Split leading YAML front matter off a text (line endings already normalised to `\n`).
 *
 * Parsed with YAML's failsafe schema so every scalar stays a string exactly as written:
 * `proposal: 0963` must stay `'0963'`, not become the number 963. A text that does not start
 * with a `---` line, or has no closing line, has no front matter and is returned whole.
 *
 * @example
 * splitFrontMatter('---\nsource: https://gov.cn/a.html\n---\n关于…的复函\n');
 * // { ok: true, frontMatter: { source: 'https://gov.cn/a.html' }, body: '关于…的复函\n' }
 */
export function splitFrontMatter(text: string): FrontMatterSplit {
  const match = FRONT_MATTER.exec(text);
  if (!match) return { ok: true, frontMatter: {}, body: text };
  let data: unknown;
  try {
    data = parse(match[1] ?? '', { schema: 'failsafe', uniqueKeys: false, maxAliasCount: 50, logLevel: 'error' });
  } catch (error) {
    return { ok: false, reason: `invalid front matter: ${firstLine(error)}` };
  }
  if (data === null || data === undefined || data === '') data = {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, reason: 'invalid front matter: not a key: value mapping' };
  }
  const checked = FrontMatterSchema.safeParse(data);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const where = issue?.path.join('.') || 'front matter';
    return { ok: false, reason: `invalid front matter: ${where}: ${issue?.message ?? 'invalid'}` };
  }
  return { ok: true, frontMatter: checked.data, body: text.slice(match[0].length) };
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]?.trim() || 'unparsable YAML';
}
