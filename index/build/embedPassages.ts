/**
 * The text a passage is embedded as, and embedding a build's new passages in order of length.
 */
import type { Passage } from '../../corpus/letter.ts';
import type { Embedder } from '../embedding/embedder.ts';
import type { BuildProgress } from '../store/buildProgress.ts';

/**
 * The text embedded for a passage: its innermost heading (context), then its text.
 *
 * @example
 * passageEmbeddingText({ headings: ['一、基本情况'], text: '…', … }) // → '一、基本情况\n…'
 */
export function passageEmbeddingText(p: Passage): string {
  return p.headings.length ? `${p.headings.at(-1)}\n${p.text}` : p.text;
}

/**
 * Embeds passages (with their nearest heading) in order of length, so each batch pads little
 * (wasted inference); 512 at a time keeps the progress bar live. Vectors come back in passage order.
 *
 * @example const vectors = await embedInLengthOrder(embedder, plan.newPassages.flat(), plan.progress);
 */
export async function embedInLengthOrder(embedder: Embedder, passages: Passage[], progress: BuildProgress): Promise<Float32Array[]> {
  const texts = passages.map(passageEmbeddingText);
  const order = texts.map((_, i) => i).sort((a, b) => texts[a].length - texts[b].length);
  const vecs = new Array<Float32Array>(texts.length);
  const chunk = 512;
  for (let s = 0; s < order.length; s += chunk) {
    const ids = order.slice(s, s + chunk);
    const out = await embedder.embedPassages(ids.map((i) => texts[i]));
    ids.forEach((i, k) => (vecs[i] = out[k]));
    progress.embedded(ids.length, texts.length);
  }
  return vecs;
}
