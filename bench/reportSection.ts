/**
 * A section of docs/BENCHMARKS.md that one bench mode owns (`--peers`, `--vectors N`): kept between two HTML
 * comment markers, so that mode can rewrite its section without a full run, and a full run keeps it.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';

const start = (name: string) => `<!-- bench:${name}:start -->`;
const end = (name: string) => `<!-- bench:${name}:end -->`;

/**
 * `markdown` with section `name` replaced by `body` (appended when absent).
 *
 * @example withSection('# Benchmarks\n', 'peers', '## Peers\n…')
 */
export function withSection(markdown: string, name: string, body: string): string {
  const block = `${start(name)}\n${body.trim()}\n${end(name)}`;
  const a = markdown.indexOf(start(name));
  const b = markdown.indexOf(end(name));
  if (a >= 0 && b > a) return markdown.slice(0, a) + block + markdown.slice(b + end(name).length);
  return `${markdown.trimEnd()}\n\n${block}\n`;
}

/**
 * The sections of `markdown` by name (what a full run must carry over into the file it rewrites).
 *
 * @example sectionsOf(old) // → { peers: '<!-- bench:peers:start -->…' }
 */
export function sectionsOf(markdown: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of markdown.matchAll(/<!-- bench:([\w-]+):start -->[\s\S]*?<!-- bench:\1:end -->/g)) out[m[1]] = m[0];
  return out;
}

/** Rewrites section `name` of the Markdown file `file` (created when missing). */
export async function writeSection(file: string, name: string, body: string): Promise<void> {
  const old = existsSync(file) ? await readFile(file, 'utf8') : '# Benchmarks\n';
  await writeFile(file, withSection(old, name, body));
}

/**
 * Appends to `file` the sections of `previous` (its text before a full run rewrote it) that it lacks now, so a
 * full `npm run bench` keeps what `--peers` and `--vectors N` wrote.
 *
 * @example const before = await readFile(md, 'utf8'); await writeReport(…); await carrySections(md, before);
 */
export async function carrySections(file: string, previous: string): Promise<void> {
  let now = await readFile(file, 'utf8');
  const present = sectionsOf(now);
  for (const [name, block] of Object.entries(sectionsOf(previous))) if (!present[name]) now = `${now.trimEnd()}\n\n${block}\n`;
  await writeFile(file, now);
}
