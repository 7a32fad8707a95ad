/**
 * FlexSearch 0.8 as its README sets it up for Chinese: `Charset.CJK` (one term per CJK character), contextual
 * search (neighbouring characters scored together, which is what gives CJK queries their order), a Document with
 * the title field before the body (`merge: true` lists a passage once, matched fields first), `suggest: true` so a
 * query whose every character is not in one passage still returns the closest ones.
 */
import FlexSearch from 'flexsearch';
import { installedVersion, type Peer, type PeerDoc } from './peer.ts';

const { Document, Charset } = FlexSearch;
const version = installedVersion('flexsearch');

/** The FlexSearch peer. @example const index = await flexsearchPeer.build(docs); index.search('乡村振兴', 10) */
export const flexsearchPeer: Peer = {
  name: 'flexsearch',
  label: `flexsearch ${version}`,
  config: 'Document over title + body, encoder Charset.CJK, context: true, tokenize "strict"; search with suggest: true, merge: true',
  build(docs: PeerDoc[]) {
    const index = new Document({ document: { id: 'id', index: ['title', 'body'] }, encoder: Charset.CJK, tokenize: 'strict', context: true });
    for (const d of docs) index.add(d);
    return {
      search(query: string, k: number): number[] {
        const merged = index.search(query, { limit: k, suggest: true, merge: true }) as unknown as { id: number }[];
        return merged.slice(0, k).map((r) => r.id);
      },
    };
  },
};
