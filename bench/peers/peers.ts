/**
 * The peers the benchmark runs, by name.
 */
import { flexsearchPeer } from './flexsearch.ts';
import { minisearchPeer } from './minisearch.ts';
import { oramaPeer } from './orama.ts';
import type { Peer } from './peer.ts';

/** Every peer, in report order. */
export const PEERS: readonly Peer[] = [flexsearchPeer, minisearchPeer, oramaPeer];

/** The peer called `name`; throws naming the known ones. @example peerNamed('orama').label */
export function peerNamed(name: string): Peer {
  const peer = PEERS.find((p) => p.name === name);
  if (!peer) throw new Error(`unknown peer ${name} (known: ${PEERS.map((p) => p.name).join(', ')})`);
  return peer;
}
