/**
 * The citable reference of a letter (what search hits and answers point at).
 */
import path from 'node:path';
import type { Letter } from '../corpus/letter.ts';
import type { LetterRef } from './searchTypes.ts';

/**
 * @example
 * letterRefOf(letter).doc // → 'qingdao-shanghe-mox.txt'
 */
export function letterRefOf(letter: Letter): LetterRef {
  return {
    id: letter.id,
    doc: path.basename(letter.file),
    title: letter.title,
    issuer: letter.issuer,
    date: letter.date ?? letter.published,
    proposal: letter.proposal,
    source: letter.source,
  };
}
