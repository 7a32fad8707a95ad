import JSZip from 'jszip';
import mammoth from 'mammoth';

/**
 * Most a DOCX may expand to, by the sizes its zip directory declares, before anything is inflated:
 * a reply letter's document.xml is tens of KB, and embedded images are stored, not shrunk — while a
 * 2 MB zip bomb declares 2 GiB (inflated, it took 15 s and 2.3 GB before it was rejected).
 */
export const MAX_DOCX_EXPANDED_BYTES = 64 * 1024 * 1024;

/**
 * The total uncompressed size the zip's central directory declares (Infinity for ZIP64 entries, whose
 * real size is elsewhere; null when there is no readable directory: JSZip then says it is not a zip).
 */
function declaredExpandedSize(bytes: Uint8Array): number | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // End of central directory: signature 0x06054b50, within the last 64 KB + 22 bytes.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const entries = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  let total = 0;
  for (let n = 0; n < entries; n++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) return null;
    const size = view.getUint32(at + 24, true);
    total += size === 0xffffffff ? Infinity : size;
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return total;
}

/** Text of a .docx body, or why it could not be read. */
export type DocxText = { ok: true; text: string; containerTitle?: string } | { ok: false; reason: string };

/** `<dc:title>` of docProps/core.xml, entity-decoded; undefined when absent. */
async function coreTitle(zip: JSZip): Promise<string | undefined> {
  const core = await zip.file('docProps/core.xml')?.async('string');
  const match = core?.match(/<dc:title>([\s\S]*?)<\/dc:title>/);
  if (!match?.[1]) return undefined;
  const title = match[1]
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&amp;/g, '&')
    .trim();
  return title || undefined;
}

/**
 * Text of a Word .docx: one paragraph per line (mammoth separates paragraphs with blank lines;
 * they are collapsed), title from the document properties when present. Never throws.
 *
 * @example
 * const result = await docxToText(await readFile('letter.docx'));
 * if (result.ok) console.log(result.containerTitle, result.text.split('\n').length);
 */
export async function docxToText(bytes: Uint8Array): Promise<DocxText> {
  const expanded = declaredExpandedSize(bytes);
  if (expanded !== null && expanded > MAX_DOCX_EXPANDED_BYTES) {
    const size = Number.isFinite(expanded) ? `${Math.round(expanded / 2 ** 20)} MB` : 'a ZIP64 size';
    return { ok: false, reason: `unreadable DOCX (it would expand to ${size}, over the ${MAX_DOCX_EXPANDED_BYTES / 2 ** 20} MB limit: a zip bomb?)` };
  }
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch {
    return { ok: false, reason: 'unreadable DOCX (not a zip archive)' };
  }
  if (!zip.file('word/document.xml')) return { ok: false, reason: 'unreadable DOCX (no word/document.xml)' };
  try {
    const { value } = await mammoth.extractRawText({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
    const text = value.replace(/\r\n?/g, '\n').replace(/\n[ \t]*\n+/g, '\n');
    let containerTitle: string | undefined;
    try {
      containerTitle = await coreTitle(zip);
    } catch {
      // Properties are optional; a broken core.xml does not spoil the body text.
    }
    return { ok: true, text, containerTitle };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `unreadable DOCX (${message.split('\n')[0]})` };
  }
}
