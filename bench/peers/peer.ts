import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The search libraries a TypeScript developer would pick instead of Fuhan, behind one interface, so the benchmark
 * gives each the same chunks (Fuhan's passages) and the same questions. One file per peer; each is configured
 * the way its documentation suggests for Chinese text (see `config`).
 */

/** One passage as the peers index it: the letter's title (boosted where the library can) and the text. */
// A type alias, not an interface: FlexSearch wants documents assignable to an index signature.
export type PeerDoc = {
  /** Passage ordinal in Fuhan's index. */
  id: number;
  title: string;
  /** The passage's headings (context), then its text. */
  body: string;
};

/** A built peer index. */
export interface PeerIndex {
  /** Ordinals of the best `k` passages, best first. */
  search(query: string, k: number): number[] | Promise<number[]>;
}

/** A peer library. */
export interface Peer {
  /** Short name (used on the command line and in tables). */
  name: 'flexsearch' | 'minisearch' | 'orama';
  /** npm package and its installed version. */
  label: string;
  /** The configuration, in a sentence, for the report. */
  config: string;
  /** Indexes the passages. */
  build(docs: PeerDoc[]): PeerIndex | Promise<PeerIndex>;
}

/**
 * A passage as a peer document.
 *
 * @example peerDoc(0, '关于…的提案的答复', { headings: ['一、'], text: '…' })
 */
export function peerDoc(id: number, title: string, passage: { headings: string[]; text: string }): PeerDoc {
  return { id, title, body: [...passage.headings, passage.text].join('\n') };
}

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/**
 * Words of a text by the platform's word segmenter (ICU, dictionary-based for Chinese), lower-cased, punctuation
 * dropped: what MiniSearch's and Orama's docs suggest for languages without spaces.
 *
 * @example segmentWords('推进乡村振兴 Rural') // → ['推进', '乡村', '振兴', 'rural']
 */
export function segmentWords(text: string): string[] {
  const out: string[] = [];
  for (const s of segmenter.segment(text)) if (s.isWordLike) out.push(s.segment.toLowerCase());
  return out;
}

const NODE_MODULES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'node_modules');

/**
 * The installed version of a package (read from its package.json: some packages do not export that file).
 *
 * @example installedVersion('minisearch') // → '7.2.0'
 */
export function installedVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(path.join(NODE_MODULES, name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
