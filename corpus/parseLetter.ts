/**
 * RawDocument → Letter. Finds the letter on the page, reads its metadata, heading tree, aliases and
 * commitments. Never throws on odd text: what cannot be found is null. `text` is the letter's own
 * lines, trimmed and joined with '\n' — no character inside a line is changed, so every quote is exact.
 */
import { LetterSchema, type FieldOrigin, type Letter, type Provenance, type RawDocument } from './letter.ts';
import { parseAddressees } from './parse/addressees.ts';
import { findAliases } from './parse/aliases.ts';
import { cleanPage } from './parse/cleanPage.ts';
import { findCommitments } from './parse/commitments.ts';
import { findContact, isContactLine } from './parse/contact.ts';
import { headerLines } from './parse/headerSection.ts';
import { detectIssuer } from './parse/detectIssuer.ts';
import { cleanTitle, composeTitle, findSubject, looksLikeTitle, titleFromLines } from './parse/detectTitle.ts';
import { readFields, readMetadata } from './parse/metadataBlock.ts';
import { parseDate } from './parse/parseDate.ts';
import { findProposalNumber, findSession, letterKind } from './parse/proposal.ts';
import { searchForm } from './parse/searchForm.ts';
import { findSections } from './parse/sections.ts';
import { findSignature } from './parse/signature.ts';
import { siteOwner } from './parse/siteOwner.ts';
import { isTruncated } from './parse/truncation.ts';

/** Lines that close a letter before its signature: 此致 / 敬礼 / 领导签字: / 办复类别 / contact lines. */
const CLOSING = /^(此致|敬礼|领导签字|签发人|办复类别|承办单位|主办单位|会办单位|协办单位|\(?此件|（此件)/;
/** Fields a letter may print in its closing block, under or beside the signature. */
const CLOSING_FIELDS = new Set(['签发人', '签发领导', '领导署名', '办理结果', '办复类别', '答复类别', '发文字号', '成文日期']);
const DOC_NUMBER = /[\u4e00-\u9fa5A-Za-z]{0,12}\s*[〔\[【]\s*\d{4}\s*[〕\]】]\s*\d+\s*号/;
const RESULT_CLASS = /(?:办复类别|答复类别|类别)\s*[:：]?\s*([ABC])\s*类|[(（]\s*([ABC])\s*类\s*[)）]|^\s*([ABC])\s*类?\s*$/;

function firstNonNull<T>(...xs: (T | null | undefined)[]): T | null {
  for (const x of xs) if (x !== null && x !== undefined) return x;
  return null;
}

/** The first candidate found, with where it was read; `unknown` with the reason when none was. */
function pick<T>(candidates: [T | null | undefined, FieldOrigin['from']][], unknown: string): { value: T | null; origin: FieldOrigin } {
  for (const [value, from] of candidates) if (value !== null && value !== undefined && value !== '') return { value, origin: { from } };
  return { value: null, origin: { from: 'unknown', reason: unknown } };
}

/** Courtesy lines that close the letter's prose: 感谢…关心和支持 / 此复函已经…审签 / 对以上答复…意见. */
const COURTESY = /^(此复函|此答复|此件|对以上答复|对答复|以上答复|如对(本|以上)?答复|如有(不同)?意见|感谢|再次感谢|衷心感谢|非常感谢|谢谢|欢迎.{0,12}多提|请.{0,20}反馈)/;

/** Where the letter's prose ends: before the signature, and before closing/contact/courtesy lines just above it. */
function proseEndLine(lines: string[], signatureLine: number): number {
  let end = signatureLine >= 0 ? signatureLine : lines.length;
  while (end > 1) {
    const norm = searchForm(lines[end - 1]);
    const courtesy = COURTESY.test(norm) && norm.length <= 150;
    if (!isContactLine(lines[end - 1]) && !CLOSING.test(norm) && !courtesy) break;
    end--;
  }
  return end;
}

/**
 * Parses a read document into a validated Letter. Never throws: a parser bug yields the raw text
 * with nothing interpreted, so no letter is lost.
 * @example parseLetter({ file: 'a.txt', id: 'a', format: 'txt', text: '王义代表:\n您的建议收悉。', frontMatter: {} }).addressees // ['王义代表']
 */
export function parseLetter(doc: RawDocument): Letter {
  try {
    return parseLetterStrict(doc);
  } catch {
    // A parser bug must not lose the letter: fall back to the raw text with nothing interpreted.
    return LetterSchema.parse({
      id: doc.id || doc.file || 'letter', file: doc.file, source: doc.frontMatter?.source ?? null,
      title: doc.frontMatter?.title ?? doc.containerTitle ?? doc.file, issuer: doc.frontMatter?.issuer ?? null,
      addressees: [], proposal: doc.frontMatter?.proposal ?? null, session: null, kind: 'other', date: null, published: null,
      indexNumber: null, docNumber: null, resultClass: null, contact: null, truncated: false,
      text: doc.text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).join('\n'), sections: [], aliases: [], commitments: [],
    });
  }
}

/**
 * Like parseLetter, but lets internal errors through (tests use it to catch parser bugs).
 * @example parseLetterStrict(doc).text
 */
export function parseLetterStrict(doc: RawDocument): Letter {
  return LetterSchema.parse(parseUnchecked(doc));
}

function parseUnchecked(doc: RawDocument): Letter {
  const fm = doc.frontMatter ?? {};
  const page = cleanPage(doc.text);
  const lines = page.body;
  const text = lines.join('\n');
  const lineStarts: number[] = [];
  let at = 0;
  for (const l of lines) {
    lineStarts.push(at);
    at += l.length + 1;
  }
  const offsetOfLine = (i: number) => (i < lines.length ? lineStarts[i] : text.length);

  const headTexts = page.head.filter((l) => l.kind === 'text').map((l) => l.text);
  const meta = readMetadata([...page.head, ...page.meta].map((l) => l.text));
  const signature = findSignature(lines);
  const signatureLine = [signature.issuerLine, signature.dateLine].filter((i) => i >= 0).reduce((a, b) => Math.min(a, b), Infinity);
  const proseEnd = proseEndLine(lines, Number.isFinite(signatureLine) ? signatureLine : -1);
  const contentEnd = offsetOfLine(proseEnd);

  const opening = lines.slice(0, 4).map((l) => searchForm(l)).join('\n');
  const found = pick<string>([
    [fm.title?.trim(), 'front matter'],
    [page.inlineTitle ? cleanTitle(page.inlineTitle) : null, 'title'],
    [titleFromLines(headTexts), 'title'],
    [meta.title ? cleanTitle(meta.title) : null, 'metadata table'],
    [doc.containerTitle && looksLikeTitle(doc.containerTitle) ? cleanTitle(doc.containerTitle) : null, 'page title'],
  ], 'composed');
  const foundTitle = found.value;
  const titleNorm = foundTitle ? searchForm(foundTitle) : '';
  const headNorm = page.head.map((l) => l.norm).join('\n');

  const addressees = page.salutation === 0 && lines.length > 0 ? parseAddressees(lines[0].split(/[:：]/)[0] + '：') : [];
  const proposal = pick<string>([
    [fm.proposal, 'front matter'], [findProposalNumber(titleNorm), 'title'], [findProposalNumber(opening), 'opening'], [findProposalNumber(headNorm), 'title'],
  ], 'no proposal number in the title, the opening or the page head');
  const session = pick<string>([[findSession(titleNorm), 'title'], [findSession(opening), 'opening'], [findSession(headNorm), 'title']], 'no session (…届…次会议) named');
  const kind = letterKind({ genre: meta.genre, category: meta.category, session: session.value, addressees, title: titleNorm, opening });
  // 主办单位:县教育局 in the letter names the body that answered when there is no signature.
  const handler = lines.map((l) => /^主办单位\s*[:：]\s*(\S{2,30})$/.exec(l.trim())?.[1]).find((x) => x !== undefined) ?? null;
  const site = siteOwner(page.lines);
  const detected = detectIssuer({ signature: signature.issuer, handler, title: foundTitle, publisher: meta.publisher, source: meta.source, site });
  const issuer = fm.issuer?.trim() ? { issuer: fm.issuer.trim(), origin: { from: 'front matter' as const } } : detected;
  const title = foundTitle ?? composeTitle({ issuer: issuer.issuer, session: session.value, proposal: proposal.value, kind: kind.kind, subject: findSubject(lines) });
  const fmDate = fm.date ? parseDate(fm.date) : null;
  const date = pick<string>(
    [[fmDate, 'front matter'], [signature.date, 'signature'], [meta.written, 'metadata table']],
    signature.dateLine >= 0 ? 'the signature date is not readable (left blank?) and no 成文日期 is given' : 'no signature date and no 成文日期 field',
  );
  const published = pick<string>([[meta.published, 'metadata table']], 'the page gives no 发布日期');
  const provenance: Provenance = {
    title: found.value ? found.origin : { from: 'composed' },
    issuer: issuer.origin,
    date: date.origin,
    published: published.origin,
    proposal: proposal.origin,
    session: session.origin,
    addressees: addressees.length > 0 ? { from: 'salutation' } : { from: 'unknown', reason: 'no salutation (…委员: / …代表:) at the start of the letter' },
    kind: kind.from === 'unknown' ? { from: 'unknown', reason: 'neither 政协/提案/委员 nor 人大/建议/代表 is written' } : { from: kind.from },
  };

  const docLine = page.head.find((l) => DOC_NUMBER.test(l.norm) || l.kind === 'docNumber');
  const docNumber = firstNonNull(meta.docNumber, docLine ? (DOC_NUMBER.exec(docLine.text)?.[0].trim() ?? docLine.text) : null);
  let resultClass: string | null = null;
  for (const l of [...page.head.map((h) => h.norm), ...lines.map((b) => searchForm(b))]) {
    const m = RESULT_CLASS.exec(l);
    if (m && l.length <= 60) {
      resultClass = m[1] ?? m[2] ?? m[3];
      break;
    }
  }

  const sections = findSections(text, contentEnd);
  const commitments = findCommitments(text, sections, contentEnd);

  // The header section heads the text; everything found in the body moves down by its length.
  const header = headerLines(page.outside, { issuer: issuer.issuer, title });
  const headerText = header.map((h) => h.text).join('\n');
  const shift = header.length > 0 ? headerText.length + 1 : 0;
  const fields = [];
  let lineAt = 0;
  for (const h of header) {
    for (const f of h.fields) fields.push({ label: f.label, value: f.value, start: lineAt + f.start, valueStart: lineAt + f.valueStart, end: lineAt + f.end });
    lineAt += h.text.length + 1;
  }
  // 签发人 / 领导署名 / 办理结果 printed under the letter are header fields too (they stay where they are).
  for (let i = proseEnd; i < lines.length; i++) {
    for (const f of readFields(lines[i])) {
      if (!CLOSING_FIELDS.has(f.label)) continue;
      const at = offsetOfLine(i) + shift;
      fields.push({ label: f.label, value: f.value, start: at + f.start, valueStart: at + f.valueStart, end: at + f.end });
    }
  }

  return {
    id: doc.id,
    file: doc.file,
    source: fm.source ?? null,
    site,
    title,
    issuer: issuer.issuer,
    addressees,
    proposal: proposal.value,
    session: session.value,
    kind: kind.kind,
    date: date.value,
    published: published.value,
    provenance,
    indexNumber: meta.indexNumber,
    docNumber,
    resultClass,
    contact: findContact(lines),
    truncated: isTruncated(lines, signature.issuer !== null || signature.dateLine >= 0),
    text: shift > 0 ? `${headerText}\n${text}` : text,
    header: { end: headerText.length, fields },
    breaks: page.breaks.map((j) => offsetOfLine(j) + shift),
    sections: sections.map(({ path, heading, level, start, end }) => ({ path, heading, level, start: start + shift, end: end + shift })),
    aliases: findAliases(text),
    commitments: commitments.map((c) => ({ ...c, start: c.start + shift, end: c.end + shift })),
  };
}
