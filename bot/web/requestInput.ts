/**
 * Reading what a request asks for — a question, a letter id from the path, a quote range, the
 * commitments filters — into typed values, or a `RequestProblem` saying in one sentence (Chinese and
 * English) what is wrong. The app turns a problem into its status and error page (or JSON).
 */
import type { Letter } from '../../corpus/letter.ts';
import type { Searcher } from '../../index/searchTypes.ts';
import type { CommitmentQuery } from './commitmentRows.ts';
import type { TextRange } from './letterText.ts';

/** Longest question answered; longer ones are refused with a sentence saying so (a pasted article is not a question). */
export const MAX_QUESTION_CHARS = 500;

/** A bad request, with the status to answer and what to tell the reader. */
export class RequestProblem extends Error {
  constructor(
    readonly status: 400 | 404 | 429 | 500,
    readonly zh: string,
    readonly en: string,
  ) {
    super(en);
  }
}

/**
 * The question of `?q=` (trimmed; '' when absent).
 *
 * @example
 * readQuestion('  MOX? ') // → 'MOX?'
 * readQuestion('x'.repeat(501)) // throws RequestProblem (400)
 */
export function readQuestion(raw: string | undefined): string {
  const q = (raw ?? '').trim();
  if (q.length > MAX_QUESTION_CHARS) {
    throw new RequestProblem(400, `问题太长（${q.length} 个字符），请控制在 ${MAX_QUESTION_CHARS} 字以内。`, `That question is too long (${q.length} characters); please keep it under ${MAX_QUESTION_CHARS}.`);
  }
  return q;
}

/**
 * The letter a path names after its prefix (`/letters/…`, `/api/letters/…`); each segment URL-decoded.
 *
 * @example
 * findLetter(engine, '2024/%E9%87%8D%E5%BA%86') // the letter with id '2024/重庆', or throws RequestProblem (404)
 */
export function findLetter(engine: Pick<Searcher, 'letter'>, encodedId: string): Letter {
  let id: string;
  try {
    id = encodedId.split('/').map(decodeURIComponent).join('/');
  } catch {
    throw new RequestProblem(400, '复函编号无法解析。', 'That letter id is not a valid address.');
  }
  const letter = id ? engine.letter(id) : undefined;
  if (!letter) throw new RequestProblem(404, `没有编号为「${id}」的复函。`, `There is no letter with the id "${id}".`);
  return letter;
}

/**
 * The quote range of `?q=<start>-<end>` (undefined when absent); it must lie inside the letter.
 *
 * @example
 * readRange('89-151', letter) // → { start: 89, end: 151 }
 * readRange('50-10', letter)  // throws RequestProblem (400)
 */
export function readRange(raw: string | undefined, letter: Letter): TextRange | undefined {
  if (raw === undefined) return undefined;
  const m = /^(\d{1,9})-(\d{1,9})$/.exec(raw.trim());
  const start = m ? Number(m[1]) : NaN;
  const end = m ? Number(m[2]) : NaN;
  if (!m || start >= end || end > letter.text.length) {
    throw new RequestProblem(
      400,
      `引文范围「${raw}」不在这封复函之内（全文共 ${letter.text.length} 字，范围应为 起点-终点）。`,
      `The quote range "${raw}" is not inside this letter (it has ${letter.text.length} characters; give start-end).`,
    );
  }
  return { start, end };
}

/**
 * The 1-based page of `?page=` (1 when absent or odd; at most 50).
 *
 * @example
 * readPage('2') // → 2
 */
export function readPage(raw: string | undefined): number {
  return Math.min(50, Math.max(1, Math.floor(Number(raw ?? 1)) || 1));
}

/**
 * How many passages `/api/search` returns (`?k=`, default 10).
 *
 * @example
 * readK('5') // → 5
 */
export function readK(raw: string | undefined): number {
  const k = Number(raw ?? 10);
  if (!Number.isInteger(k) || k < 1 || k > 100) throw new RequestProblem(400, 'k 应为 1 到 100 的整数。', 'k must be a whole number from 1 to 100.');
  return k;
}

/**
 * The commitments filters and order; anything unknown is ignored rather than refused (they come from links and forms).
 *
 * @example
 * readCommitmentQuery((name) => new URLSearchParams('year=2024&sort=issuer').get(name) ?? undefined) // → { year: 2024, sort: 'issuer', … }
 */
export function readCommitmentQuery(param: (name: string) => string | undefined): CommitmentQuery {
  const year = Number(param('year'));
  const sort = param('sort');
  const dir = param('dir');
  return {
    issuer: param('issuer')?.slice(0, 200) || undefined,
    year: Number.isInteger(year) && year > 0 ? year : undefined,
    words: param('words')?.trim().slice(0, 200) || undefined,
    sort: sort === 'date' || sort === 'issuer' || sort === 'letter' ? sort : undefined,
    dir: dir === 'asc' || dir === 'desc' ? dir : undefined,
  };
}
