/**
 * MiniSearch 7 with the tokeniser its docs suggest for languages without spaces (`tokenize` → Intl.Segmenter
 * words), the title boosted ×2 as in its README's example, prefix and fuzzy matching off (they help Latin
 * typos, not Chinese words), OR combination (the default).
 */
import MiniSearch from 'minisearch';
import { installedVersion, segmentWords, type Peer, type PeerDoc } from './peer.ts';

const version = installedVersion('minisearch');

/** The MiniSearch peer. @example const index = minisearchPeer.build(docs); index.search('乡村振兴', 10) */
export const minisearchPeer: Peer = {
  name: 'minisearch',
  label: `minisearch ${version}`,
  config: 'fields title + body, tokenize = Intl.Segmenter("zh") words, searchOptions boost { title: 2 }, combineWith OR',
  build(docs: PeerDoc[]) {
    const index = new MiniSearch<PeerDoc>({ fields: ['title', 'body'], tokenize: segmentWords, searchOptions: { boost: { title: 2 } } });
    index.addAll(docs);
    return {
      search(query: string, k: number): number[] {
        return index
          .search(query)
          .slice(0, k)
          .map((r) => r.id as number);
      },
    };
  },
};
