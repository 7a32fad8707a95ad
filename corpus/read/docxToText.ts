import JSZip from 'jszip';
import mammoth from 'mammoth';
import { inflateRawSync } from 'node:zlib';

/**
 * Most a DOCX may expand to, before JSZip and mammoth inflate it: a reply letter's document.xml is
 * tens of KB, and embedded images are stored, not shrunk — while a 2 MB zip bomb expands to 2 GiB
 * (inflated whole, it took 15 s and 2.3 GB before it was rejected).
 */
export const MAX_DOCX_EXPANDED_BYTES = 64 * 1024 * 1024;

/** One entry of a zip's central directory: how it is compressed, its sizes, where its data starts. */
interface ZipEntry {
  method: number;
  compressedSize: number;
  /** As declared; Infinity for ZIP64 entries, whose real size is elsewhere. */
  size: number;
  dataStart: number;
}

/** The zip's central directory, or null when there is none readable (JSZip then says it is not a zip). */
function zipEntries(bytes: Uint8Array): ZipEntry[] | null {
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
  const count = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) return null;
    const size = view.getUint32(at + 24, true);
    const local = view.getUint32(at + 42, true);
    if (local + 30 > bytes.length) return null;
    entries.push({
      method: view.getUint16(at + 10, true),
      compressedSize: view.getUint32(at + 20, true),
      size: size === 0xffffffff ? Infinity : size,
      dataStart: local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true),
    });
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return entries;
}

/**
 * Why the zip would expand past the limit, or null: first by the sizes its directory declares (no
 * inflating at all), then — a directory may lie — by inflating each deflated entry with an output
 * cap, so at most the limit is ever allocated.
 */
function bombReason(bytes: Uint8Array): string | null {
  const entries = zipEntries(bytes);
  if (!entries) return null;
  const limit = `over the ${MAX_DOCX_EXPANDED_BYTES / 2 ** 20} MB limit: a zip bomb?`;
  const declared = entries.reduce((n, e) => n + e.size, 0);
  if (declared > MAX_DOCX_EXPANDED_BYTES) return `it would expand to ${Number.isFinite(declared) ? `${Math.round(declared / 2 ** 20)} MB` : 'a ZIP64 size'}, ${limit}`;
  let budget = MAX_DOCX_EXPANDED_BYTES;
  for (const e of entries) {
    if (e.method !== 8) continue;
    try {
      budget -= inflateRawSync(bytes.subarray(e.dataStart, e.dataStart + e.compressedSize), { maxOutputLength: Math.max(1, budget) }).length;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return `it expands to more than its directory says, ${limit}`;
      // Damaged data: JSZip and mammoth say so below.
    }
  }
  return null;
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
  const bomb = bombReason(bytes);
  if (bomb) return { ok: false, reason: `unreadable DOCX (${bomb})` };
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
