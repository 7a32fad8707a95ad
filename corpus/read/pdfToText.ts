import { extractTextItems, getDocumentProxy, getMeta } from 'unpdf';

/** Text pulled out of a PDF's text layer, or why there is none. */
export type PdfText = { ok: true; text: string; containerTitle?: string } | { ok: false; reason: string };

/** One positioned run of text as pdf.js reports it (origin bottom-left, y grows upwards). */
interface Item {
  str: string;
  x: number;
  y: number;
  width: number;
  fontSize: number;
}

/** A visual line: items sharing a baseline, left to right. */
interface VisualLine {
  text: string;
  left: number;
  right: number;
  fontSize: number;
}

/** A hostile or huge PDF must not stall a corpus run. */
const PDF_TIMEOUT_MS = 30_000;

const CJK_OR_FULLWIDTH = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/;

/** Group items into visual lines by baseline, tolerant to sub-point jitter. */
function toVisualLines(items: Item[]): VisualLine[] {
  const sorted = items
    .filter((item) => item.str.length > 0)
    .sort((a, b) => b.y - a.y || a.x - b.x);
  const rows: Item[][] = [];
  for (const item of sorted) {
    const row = rows[rows.length - 1];
    const tolerance = Math.max(1, (item.fontSize || 10) * 0.4);
    if (row && Math.abs(row[0]!.y - item.y) <= tolerance) row.push(item);
    else rows.push([item]);
  }
  return rows.map((row) => {
    row.sort((a, b) => a.x - b.x);
    let text = '';
    let lastRight = -Infinity;
    for (const item of row) {
      const gap = item.x - lastRight;
      const size = item.fontSize || 10;
      // Latin words separated by a visible gap get a space; CJK text never does.
      // Latin words separated by a visible gap get a space. Next to CJK a gap is only layout
      // (typesetters put autospace between 第 and 48), never a character of the letter.
      if (text && gap > size * 0.25 && !text.endsWith(' ') && !item.str.startsWith(' ') &&
        !CJK_OR_FULLWIDTH.test(text.slice(-1)) && !CJK_OR_FULLWIDTH.test(item.str[0] ?? '')) text += ' ';
      text += item.str;
      lastRight = Math.max(lastRight, item.x + item.width);
    }
    const first = row[0]!;
    return { text: text.trim(), left: first.x, right: lastRight, fontSize: first.fontSize || 10 };
  }).filter((line) => line.text.length > 0);
}

/**
 * Re-join visual lines that a paragraph was wrapped into: a line that runs to the right margin
 * continues on the next line unless that one is indented (a new paragraph in Chinese typesetting
 * starts two characters in). Short lines (headings, signatures, dates) stay lines of their own.
 */
function toParagraphs(lines: VisualLine[]): string[] {
  if (lines.length === 0) return [];
  const margin = Math.max(...lines.map((line) => line.right));
  const lefts = lines.map((line) => Math.round(line.left));
  const leftMargin = Math.min(...lefts);
  const paragraphs: string[] = [];
  let current = '';
  let open = false;
  for (const line of lines) {
    const indented = line.left > leftMargin + line.fontSize * 0.8;
    if (open && !indented) {
      const joiner = /[A-Za-z]$/.test(current) && /^[A-Za-z]/.test(line.text) ? ' ' : '';
      current += joiner + line.text;
    } else {
      if (current) paragraphs.push(current);
      current = line.text;
    }
    // A wrapped line starts at the margin or a paragraph indent (not centred or right-aligned
    // like titles, signatures and dates) and runs to within a few characters of the right edge:
    // a long Latin word or number that did not fit leaves such a gap.
    const startsLeft = line.left <= leftMargin + line.fontSize * 3;
    open = startsLeft && line.right >= margin - line.fontSize * 4 && lines.length > 1;
  }
  if (current) paragraphs.push(current);
  return paragraphs;
}

/**
 * pdf.js writes the typesetter's CJK–Latin autospace as a real space (`第 48 号`); the letter
 * says `第48号`. One space between a Han character and a digit/Latin letter is layout, not text.
 */
function dropAutospace(line: string): string {
  return line
    .replace(/([\u3400-\u9fff\u3000-\u303f\uff00-\uffef]) (?=[A-Za-z0-9])/g, '$1')
    .replace(/([A-Za-z0-9%]) (?=[\u3400-\u9fff\u3000-\u303f\uff00-\uffef])/g, '$1');
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function extract(bytes: Uint8Array): Promise<PdfText> {
  // pdf.js may transfer (detach) the buffer it is given: hand it a copy.
  const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
  try {
    const { items } = await extractTextItems(pdf);
    const pages = items.map((pageItems) => toParagraphs(toVisualLines(pageItems as Item[])).map(dropAutospace).join('\n'));
    const text = pages.filter((page) => page.trim() !== '').join('\n');
    if (text.replace(/\s/g, '') === '') return { ok: false, reason: 'no text layer (scanned PDF?)' };
    let containerTitle: string | undefined;
    try {
      const meta = await getMeta(pdf);
      const title = meta.info?.Title;
      if (typeof title === 'string' && title.trim()) containerTitle = title.trim();
    } catch {
      // Metadata is a nicety; its absence or corruption does not make the letter unreadable.
    }
    return { ok: true, text, containerTitle };
  } finally {
    await pdf.destroy().catch(() => undefined);
  }
}

/**
 * Text of a PDF's text layer, one paragraph per line, pages joined with newlines. Visual lines
 * are rebuilt from item positions and wrapped paragraph lines re-joined (see `toParagraphs`).
 * A PDF without any text (a scan) is reported, not returned empty. Never throws.
 *
 * @example
 * const result = await pdfToText(await readFile('letter.pdf'));
 * if (result.ok) console.log(result.text.split('\n')[0]); // '关于市政协六届二次会议第0963号提案的复函'
 * else console.log(result.reason); // 'no text layer (scanned PDF?)'
 */
export async function pdfToText(bytes: Uint8Array): Promise<PdfText> {
  try {
    return await withTimeout(extract(bytes), PDF_TIMEOUT_MS);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/password/i.test(message)) return { ok: false, reason: 'unreadable PDF (password protected)' };
    return { ok: false, reason: `unreadable PDF (${message.split('\n')[0]})` };
  }
}
