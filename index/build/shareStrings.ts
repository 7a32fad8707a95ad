/**
 * A letter that comes back from a parsing thread arrives as a structured clone: every string in it is a copy
 * of its own — each passage's text, letter id, section path and headings, each commitment's text. A build keeps
 * every new letter until it writes, so at 100,000 letters (1 M passages) those copies are a large part of its
 * peak. Here they are made slices of the letter's text (V8 shares the characters) or one string per value.
 */
import type { Letter, Passage } from '../../corpus/letter.ts';

/**
 * Makes the strings of a letter and its passages share memory, values unchanged: texts become slices of
 * `letter.text`, repeated values (section paths, headings, the letter id) one string each.
 *
 * @example
 * shareLetterStrings(letter, passages);
 * passages[0].text === letter.text.slice(passages[0].start, passages[0].end) // → true (and shares its characters)
 */
export function shareLetterStrings(letter: Letter, passages: Passage[]): void {
  const text = letter.text;
  const strings = new Map<string, string>();
  const one = (s: string): string => {
    const known = strings.get(s);
    if (known !== undefined) return known;
    strings.set(s, s);
    return s;
  };
  for (const s of letter.sections) {
    s.path = one(s.path);
    s.heading = one(text.startsWith(s.heading, s.start) ? text.slice(s.start, s.start + s.heading.length) : s.heading);
  }
  for (const c of letter.commitments) {
    c.section = one(c.section);
    if (text.startsWith(c.text, c.start) && c.end === c.start + c.text.length) c.text = text.slice(c.start, c.end);
  }
  for (const p of passages) {
    if (p.letter === letter.id) p.letter = letter.id;
    p.section = one(p.section);
    p.headings = p.headings.map(one);
    p.text = text.slice(p.start, p.end);
  }
}
