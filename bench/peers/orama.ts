/**
 * Orama 3 with its Mandarin tokenizer (@orama/tokenizers/mandarin: Intl.Segmenter words) as its docs set it up,
 * BM25 (the default), the title boosted ×2, threshold 1 (the default: passages matching any term count).
 */
import { create, insertMultiple, search } from '@orama/orama';
import { createTokenizer } from '@orama/tokenizers/mandarin';
import { installedVersion, type Peer, type PeerDoc } from './peer.ts';

const version = installedVersion('@orama/orama');

/** The Orama peer. @example const index = await oramaPeer.build(docs); await index.search('乡村振兴', 10) */
export const oramaPeer: Peer = {
  name: 'orama',
  label: `@orama/orama ${version} + @orama/tokenizers/mandarin`,
  config: 'schema { title, body: string; pid: number }, components.tokenizer = createTokenizer() (mandarin), boost { title: 2 }, BM25 defaults',
  async build(docs: PeerDoc[]) {
    const db = create({ schema: { title: 'string', body: 'string', pid: 'number' } as const, components: { tokenizer: createTokenizer() } });
    await insertMultiple(
      db,
      docs.map((d) => ({ title: d.title, body: d.body, pid: d.id })),
      1000,
    );
    return {
      async search(query: string, k: number): Promise<number[]> {
        const r = await search(db, { term: query, properties: ['title', 'body'], boost: { title: 2 }, limit: k });
        return r.hits.map((h) => h.document.pid as number);
      },
    };
  },
};
