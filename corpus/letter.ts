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
  /** The letter itself, boilerplate removed, wording untouched. Every quote is a substring of this. */
  text: z.string(),
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
