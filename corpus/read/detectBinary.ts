/**
 * Heuristics that tell a text file (in any encoding) from a binary one, on raw bytes.
 * Bytes >= 0x80 are never counted against a file: GBK, Big5 and UTF-8 text is full of them.
 */

/** How many leading bytes to inspect; binary files show themselves early. */
const SAMPLE_BYTES = 64 * 1024;

/** Control bytes that plain text legitimately contains: \t \n \v \f \r and ESC (old terminal text). */
function isTextControl(byte: number): boolean {
  return byte === 0x09 || byte === 0x0a || byte === 0x0b || byte === 0x0c || byte === 0x0d || byte === 0x1b;
}

/**
 * Where NUL bytes sit, if every one of them is on the same parity: the signature of BOM-less
 * UTF-16 (ASCII characters have a zero high byte). `'none'` when there is no NUL at all.
 *
 * @example
 * nulParity(Buffer.from('a\n', 'utf16le')); // 'odd'  (61 00 0a 00)
 * nulParity(Buffer.from('abc'));            // 'none'
 */
export function nulParity(bytes: Uint8Array): 'none' | 'even' | 'odd' | 'mixed' {
  let even = 0;
  let odd = 0;
  const end = Math.min(bytes.length, SAMPLE_BYTES);
  for (let i = 0; i < end; i++) {
    if (bytes[i] === 0) {
      if (i % 2 === 0) even++;
      else odd++;
    }
  }
  if (even === 0 && odd === 0) return 'none';
  if (even > 0 && odd > 0) return 'mixed';
  return even > 0 ? 'even' : 'odd';
}

/**
 * True when raw bytes look like a binary file for an 8-bit or multi-byte encoding: a NUL byte,
 * or more than 5% of other control bytes in the first 64 KB. (UTF-16 must be ruled in before
 * calling this: its NUL bytes are text.)
 *
 * @example
 * looksBinary(Buffer.from('关于第12号提案的答复\n')); // false
 * looksBinary(Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0)); // true (PNG)
 */
export function looksBinary(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, SAMPLE_BYTES);
  if (end === 0) return false;
  let controls = 0;
  for (let i = 0; i < end; i++) {
    const byte = bytes[i]!;
    if (byte === 0) return true;
    if ((byte < 0x20 && !isTextControl(byte)) || byte === 0x7f) controls++;
  }
  return controls / end > 0.05;
}

/**
 * Share of characters in decoded text that no text file contains (C0/C1 controls other than
 * tab/newline, U+FFFD replacement characters). Used after decoding: a binary file that slipped
 * through the byte checks decodes into a soup of these.
 *
 * @example
 * junkCharShare('复函\n'); // 0
 * junkCharShare('\u0001\u0002ab'); // 0.5
 */
export function junkCharShare(text: string): number {
  if (text.length === 0) return 0;
  let junk = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d && code !== 0x0c && code !== 0x0b) ||
      (code >= 0x7f && code <= 0x9f) || code === 0xfffd) junk++;
  }
  return junk / text.length;
}
