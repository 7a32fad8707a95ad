import JSZip from 'jszip';
import mammoth from 'mammoth';

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
