/**
 * Evaluation questions (JSON lines), validated.
 */
import fs from 'node:fs/promises';
import { z } from 'zod';

export const EvalQuestionSchema = z.object({
  id: z.string(),
  lang: z.string().default('zh'),
  kind: z.string().default('fact'),
  question: z.string(),
  gold: z.array(z.object({ doc: z.string(), quote: z.string() })).default([]),
  note: z.string().optional(),
  /** How the question is put (short, vague, quote-request, near-miss …), in the realistic sets. */
  style: z.string().optional(),
  persona: z.string().optional(),
});
export type EvalQuestion = z.infer<typeof EvalQuestionSchema>;

/**
 * Reads a questions file; a malformed line is an error naming the line.
 *
 * @example
 * const questions = await readQuestions('../shared/eval/dev/questions.jsonl');
 */
export async function readQuestions(file: string): Promise<EvalQuestion[]> {
  const lines = (await fs.readFile(file, 'utf8')).split('\n');
  const out: EvalQuestion[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (e) {
      throw new Error(`${file}:${i + 1}: not JSON (${(e as Error).message})`);
    }
    const parsed = EvalQuestionSchema.safeParse(json);
    if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.issues[0].message} at ${parsed.error.issues[0].path.join('.')}`);
    out.push(parsed.data);
  });
  return out;
}
