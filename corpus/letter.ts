/**
 * The data model of the first stage: what a reply letter becomes once read and parsed.
 *
 * Every span (`start`, `end`) is a half-open character range into `Letter.text`
 * (JavaScript string indices, i.e. UTF-16 code units), so `letter.text.slice(start, end)`
 * is always the exact text it describes. Quotes shown to users are such slices.
 */
import { z } from 'zod';

/** A heading in the letter (一、 / (一) / 1. / 一是…) and the span of the section it opens. */
export const SectionSchema = z.object({
  /** Path of headings from the root, e.g. `二、(一)`. */
  path: z.string(),
  /** The heading line itself, verbatim (e.g. `(二)下步工作计划`). */
  heading: z.string(),
  /** 1 for 一、, 2 for (一), 3 for 1., 4 for (1) / 一是… */
  level: z.number().int().min(1),
  /** Span of the whole section (heading included) in `text`. */
  start: z.number().int().min(0),
  end: z.number().int().min(0),
});
export type Section = z.infer<typeof SectionSchema>;

/** An abbreviation the letter defines: 中华(澳门)金融资产交易股份有限公司(以下简称“MOX”). */
export const AliasSchema = z.object({ short: z.string().min(1), full: z.string().min(1) });
export type Alias = z.infer<typeof AliasSchema>;

/** A concrete thing the issuing body says it will do next, verbatim, with its span in `text`. */
export const CommitmentSchema = z.object({
  text: z.string().min(1),
  start: z.number().int().min(0),
  end: z.number().int().min(0),
  /** Section path the commitment sits in ('' at top level). */
  section: z.string().default(''),
});
export type Commitment = z.infer<typeof CommitmentSchema>;

export const LetterKindSchema = z.enum(['cppcc-proposal', 'npc-suggestion', 'other']);
export type LetterKind = z.infer<typeof LetterKindSchema>;

/** ISO date `YYYY-MM-DD`. */
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/**
 * One labelled field of the header section: `[ 成文日期 ] | 2025-05-13`, `签 发 人:伏瑞峰`, or a
 * document number line (高卫体发〔2023〕148号, label 发文字号).
 */
export const HeaderFieldSchema = z.object({
  /** Canonical label, Simplified and without spaces: 索引号, 发文机关, 成文日期, 发布日期, 发文字号, 签发人, 领导署名, 办理结果… */
  label: z.string().min(1),
  /** The value as written (`text.slice(valueStart, end)`). */
  value: z.string().min(1),
  /** Span of the whole field as written, label (or its bracket) to value: `text.slice(start, end)` is the quote. */
  start: z.number().int().min(0),
  valueStart: z.number().int().min(0),
  end: z.number().int().min(0),
});
export type HeaderField = z.infer<typeof HeaderFieldSchema>;

/**
 * The header section: the page's metadata lines, verbatim, at the head of `text`. It is
 * `text.slice(0, end)` (lines joined with '\n'; `end` is 0 when the page prints none), and the
 * letter proper starts at `end + 1`. These lines are metadata, not prose: no passage is cut from
 * them (so topic search never ranks them), but a quote may be a field's span.
 */
export const HeaderSchema = z.object({
  end: z.number().int().min(0),
  fields: z.array(HeaderFieldSchema),
});
export type Header = z.infer<typeof HeaderSchema>;

/**
 * Where a metadata field was read: the page's metadata table (索引号/发布机构/成文日期…), the title,
 * the signature block (or the letter's own 主办单位 line), the site owner (footer 主办单位 / header
 * 欢迎来到…), front matter, the page's <title> or document properties, the salutation, the letter's
 * opening lines; `composed` when built from other fields; `unknown` when nowhere (then `reason` says why).
 */
export const FieldSourceSchema = z.enum([
  'front matter', 'metadata table', 'title', 'signature', 'site owner', 'page title', 'salutation', 'opening', 'composed', 'unknown',
]);
export type FieldSource = z.infer<typeof FieldSourceSchema>;
export const FieldOriginSchema = z.object({ from: FieldSourceSchema, reason: z.string().optional() });
export type FieldOrigin = z.infer<typeof FieldOriginSchema>;
/** Where each citation field came from (`fuhan inspect` shows it). */
export const ProvenanceSchema = z
  .object({
    title: FieldOriginSchema, issuer: FieldOriginSchema, date: FieldOriginSchema, published: FieldOriginSchema,
    proposal: FieldOriginSchema, session: FieldOriginSchema, addressees: FieldOriginSchema, kind: FieldOriginSchema,
  })
  .partial();
export type Provenance = z.infer<typeof ProvenanceSchema>;

export const LetterSchema = z.object({
  /** Stable id derived from the file path relative to the corpus root, without extension. */
  id: z.string().min(1),
  /** The file the letter was read from, as given to the reader. */
  file: z.string(),
  source: z.string().nullable(),
  /** The body that runs the website the letter was scraped from (footer 主办单位, header 欢迎来到…), as written. */
  site: z.string().nullable().optional(),
  title: z.string(),
  /** The signing body. */
  issuer: z.string().nullable(),
  /** 委员 / 代表 names the letter is addressed to (or the body, e.g. 省发改委, for 会办意见). */
  addressees: z.array(z.string()),
  /** Proposal or suggestion number as written: 0963, D022, DH0271, 2023J0612 … */
  proposal: z.string().nullable(),
  /** e.g. 市政协六届二次会议 */
  session: z.string().nullable(),
  kind: LetterKindSchema,
  /** Signature date. */
  date: IsoDate.nullable(),
  /** Publication date on the page. */
  published: IsoDate.nullable(),
  indexNumber: z.string().nullable(),
  docNumber: z.string().nullable(),
  resultClass: z.string().nullable(),
  contact: z.string().nullable(),
  truncated: z.boolean(),
  /**
   * The letter itself, boilerplate removed, wording untouched. Every quote is a substring of this.
   * It opens with the header section (see `header`), then the letter from its salutation on.
   */
  text: z.string(),
  /** Where title, issuer, date, proposal, session, addressees and kind were read (absent in older indexes). */
  provenance: ProvenanceSchema.optional(),
  /** The header section at the head of `text`; absent in letters parsed before it existed (read as none). */
  header: HeaderSchema.optional(),
  /**
   * Offsets in `text` of line starts right after a page line that was dropped (navigation, page
   * info, a repeated title): the page does not read on there, so no passage or quote spans one.
   */
  breaks: z.array(z.number().int().min(0)).optional(),
  sections: z.array(SectionSchema),
  aliases: z.array(AliasSchema),
  commitments: z.array(CommitmentSchema),
});
export type Letter = z.infer<typeof LetterSchema>;

/** A retrievable, quotable piece of a letter. */
export const PassageSchema = z.object({
  /** `${letter}#${n}` — unique in a corpus. */
  id: z.string(),
  /** Letter id. */
  letter: z.string(),
  /** Section path, e.g. `二、(一)` ('' for text outside any section). */
  section: z.string(),
  /** Heading chain of the section, outermost first: context for search, never part of a quote. */
  headings: z.array(z.string()),
  start: z.number().int().min(0),
  end: z.number().int().min(0),
  /** `letter.text.slice(start, end)`. */
  text: z.string(),
});
export type Passage = z.infer<typeof PassageSchema>;

/** Front matter a text file may carry; it overrides what the parser finds. */
export const FrontMatterSchema = z
  .object({
    source: z.string().optional(),
    title: z.string().optional(),
    issuer: z.string().optional(),
    date: z.string().optional(),
    proposal: z.string().optional(),
  })
  .passthrough();
export type FrontMatter = z.infer<typeof FrontMatterSchema>;

/** What the reader hands the parser: a file turned into plain text lines, nothing interpreted yet. */
export interface RawDocument {
  /** Path as given. */
  file: string;
  /** Stable letter id (see `Letter.id`). */
  id: string;
  format: 'txt' | 'md' | 'html' | 'pdf' | 'docx';
  /** Detected source encoding for text formats (e.g. 'UTF-8', 'GB18030'). */
  encoding?: string;
  /** Plain text, one paragraph per line, front matter removed. */
  text: string;
  frontMatter: FrontMatter;
  /** A title the container offers (HTML <title>/<h1>, DOCX/PDF metadata), if any. */
  containerTitle?: string;
}

/** Result of reading one file: a document, or a one-line reason it was skipped. */
export type ReadResult = { ok: true; doc: RawDocument } | { ok: false; file: string; reason: string };

/**
 * Where the letter proper starts in `text`: just after the header section (0 when there is none).
 * Text before it is metadata; passages and prose quotes start at or after it.
 * @example letter.text.slice(bodyStart(letter)).split('\n')[0] // the salutation, e.g. '贾瑞委员:'
 */
export function bodyStart(letter: Pick<Letter, 'header'>): number {
  return letter.header && letter.header.end > 0 ? letter.header.end + 1 : 0;
}
