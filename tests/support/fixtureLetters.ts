/**
 * Real letters for tests: the shipped corpus and the fixture letters, read and parsed once per test file.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Letter } from '../../corpus/letter.ts';
import { parseLetter } from '../../corpus/parseLetter.ts';
import { readCorpus } from '../../corpus/readCorpus.ts';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SHIPPED_CORPUS = path.join(REPO, 'corpus', 'letters');
export const FIXTURE_LETTERS = path.join(REPO, 'tests', 'fixtures', 'letters');

/**
 * Parsed letters of the given folders.
 *
 * @example
 * const letters = await parsedLetters(SHIPPED_CORPUS, FIXTURE_LETTERS);
 */
export async function parsedLetters(...dirs: string[]): Promise<Letter[]> {
  const { docs } = await readCorpus(dirs);
  return docs.map(parseLetter);
}
