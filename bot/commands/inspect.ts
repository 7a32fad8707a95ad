/**
 * `fuhan inspect PATH… [--json]` — shows how letters parse: metadata, section tree, aliases,
 * commitments and passages with their spans. Directories are walked (readCorpus).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Letter, Passage } from '../../corpus/letter.ts';
import { parseLetter } from '../../corpus/parseLetter.ts';
import { cutPassages } from '../../corpus/passages.ts';
import { readCorpus } from '../../corpus/readCorpus.ts';
import { parseOptions, UsageError } from './commandSetup.ts';

const USAGE = `usage: fuhan inspect PATH… [--json]

Shows how each letter parses: metadata (and where each field was read: metadata table, title,
signature, site owner, front matter, composed…), header fields, section tree, aliases, commitments
and passages with spans.
  --json   one JSON object per file per line: {"file", "letter", "passages"} or {"file", "skipped"}`;

function oneLine(s: string, width = 70): string {
  const flat = s.replace(/\n/g, '⏎');
  return flat.length > width ? `${flat.slice(0, width)}…` : flat;
}

function render(letter: Letter, passages: Passage[]): string {
  const out: string[] = [];
  out.push(`━━ ${letter.file}`);
  out.push(`  id          ${letter.id}`);
  const from = (field: keyof NonNullable<Letter['provenance']>) => {
    const origin = letter.provenance?.[field];
    return origin ? `   ← ${origin.from}${origin.reason ? ` (${origin.reason})` : ''}` : '';
  };
  out.push(`  title       ${letter.title}${from('title')}`);
  const fields: [string, string | null][] = [
    ['issuer', letter.issuer], ['addressees', letter.addressees.join('、') || null], ['proposal', letter.proposal],
    ['session', letter.session], ['kind', letter.kind], ['date', letter.date], ['published', letter.published],
    ['indexNumber', letter.indexNumber], ['docNumber', letter.docNumber], ['resultClass', letter.resultClass],
    ['contact', letter.contact], ['source', letter.source], ['truncated', String(letter.truncated)],
  ];
  const traced = new Set(['issuer', 'addressees', 'proposal', 'session', 'kind', 'date', 'published']);
  for (const [k, v] of fields) out.push(`  ${k.padEnd(12)}${v ?? '—'}${traced.has(k) ? from(k as keyof NonNullable<Letter['provenance']>) : ''}`);
  out.push(`  text        ${letter.text.length} chars`);
  const header = letter.header?.fields ?? [];
  out.push(`  header (${header.length} fields, text 0–${letter.header?.end ?? 0})`);
  for (const f of header) out.push(`    [${f.start}–${f.end}] ${f.label}  ${oneLine(f.value, 60)}`);
  out.push(`  sections (${letter.sections.length})`);
  for (const s of letter.sections) out.push(`    ${'  '.repeat(s.level - 1)}${s.path}  [${s.start}–${s.end}]  ${oneLine(s.heading, 50)}`);
  out.push(`  aliases (${letter.aliases.length})`);
  for (const a of letter.aliases) out.push(`    ${a.short} = ${a.full}`);
  out.push(`  commitments (${letter.commitments.length})`);
  for (const c of letter.commitments) out.push(`    [${c.start}–${c.end}] ${c.section || '·'}  ${oneLine(c.text)}`);
  out.push(`  passages (${passages.length})`);
  for (const p of passages) out.push(`    #${p.id.split('#').pop()} [${p.start}–${p.end}] ${p.end - p.start}ch ${p.section || '·'}  ${oneLine(p.text)}`);
  return out.join('\n');
}

/**
 * Runs the command; returns the exit code (0 ok; 1 when a named path does not exist or nothing was readable; 2 usage).
 * @example await run(['corpus/letters', '--json'])
 */
export async function run(args: string[]): Promise<number> {
  const parsed = parseOptions(args, { positionals: true, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (parsed.values.help) {
    console.log(USAGE);
    return 0;
  }
  if (parsed.positionals.length === 0) throw new UsageError('give at least one file or directory');
  const json = parsed.values.json === true;
  const { docs, skipped } = await readCorpus(parsed.positionals);
  for (const doc of docs) {
    const letter = parseLetter(doc);
    const passages = cutPassages(letter);
    if (json) {
      console.log(JSON.stringify({
        file: doc.file,
        letter,
        passages: passages.map((p) => ({ section: p.section, start: p.start, end: p.end, text: p.text })),
      }));
    } else {
      console.log(render(letter, passages));
      console.log('');
    }
  }
  const missing = parsed.positionals.filter((p) => !existsSync(p));
  // A missing path is said once, below, not also as an unreadable file.
  const gone = new Set(missing.map((p) => path.resolve(p)));
  for (const s of skipped) {
    if (json) console.log(JSON.stringify({ file: s.file, skipped: s.reason }));
    else if (!gone.has(path.resolve(s.file))) console.error(`skipped ${s.file}: ${s.reason}`);
  }
  for (const p of missing) console.error(`fuhan inspect: no such file or directory: ${p}`);
  return missing.length > 0 || (docs.length === 0 && skipped.length > 0) ? 1 : 0;
}
