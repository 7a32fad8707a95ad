/**
 * Optional LLM synthesis against a local fake OpenAI-compatible endpoint: good answers are kept,
 * unsupported sentences removed, malformed / failing / slow endpoints fall back to no synthesis.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Letter } from '../corpus/letter.ts';
import { parseLetter } from '../corpus/parseLetter.ts';
import { readLetterFile } from '../corpus/read/readLetterFile.ts';
import type { Citation } from '../bot/answerTypes.ts';
import { buildCitation, sectionAt } from '../bot/answer/citation.ts';
import { keepSupportedSentences, splitSynthesisSentences } from '../bot/answer/checkSynthesis.ts';
import { synthesizeAnswer } from '../bot/answer/llmSynthesis.ts';
import { answerQuestion } from '../bot/answer/answerQuestion.ts';
import { SearchEngine } from '../index/searchEngine.ts';
import type { LlmConfig } from '../bot/answer/llmClient.ts';

const QINGDAO = path.join(import.meta.dirname, '..', 'corpus', 'letters', 'qingdao-shanghe-mox.txt');
const MOX_SENTENCE = '上合示范区管委会与中华(澳门)金融资产交易股份有限公司(以下简称“MOX”)签订了全面合作框架协议';

const REPLIES: Record<string, string> = {
  good: '2023年12月，上合示范区管委会与MOX签订了全面合作框架协议。[1]',
  english: 'In December 2023 the demonstration zone signed a comprehensive cooperation framework agreement with MOX [1].',
  partial: [
    '上合示范区管委会与MOX签订了全面合作框架协议。[1]',
    '青岛还为此建成了新的国际机场和地铁线路。[1]', // not in the letter
    '双方签订了全面合作框架协议。', // no marker
    '协议于2025年续签。[1]', // number not in the letter
    '该协议由上合示范区管委会签订。[7]', // marker names no citation
  ].join(''),
  empty: '',
};

let server: http.Server;
let base = '';
const requests: { path: string; body: any }[] = [];
let letter: Letter;
let citations: Citation[];
let engine: SearchEngine;
const noPassages = { passagesOf: () => [] };

function llm(route: string, timeoutMs = 2000): LlmConfig {
  return { url: `${base}/${route}/v1/chat/completions`, model: 'fake-model', timeoutMs };
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const route = (req.url ?? '').split('/')[1];
      requests.push({ path: req.url ?? '', body: JSON.parse(raw || '{}') });
      const send = (status: number, body: string) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(body);
      };
      if (route === 'malformed') return send(200, '{"choices": "not a list"');
      if (route === 'notjson') return send(200, 'hello');
      if (route === 'error') return send(500, '{"error":"boom"}');
      if (route === 'slow') return void setTimeout(() => send(200, JSON.stringify({ choices: [{ message: { content: REPLIES.good } }] })), 1500);
      send(200, JSON.stringify({ choices: [{ message: { role: 'assistant', content: REPLIES[route] ?? '' } }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const read = await readLetterFile(QINGDAO);
  if (!read.ok) throw new Error(read.reason);
  letter = parseLetter(read.doc);
  const start = letter.text.lastIndexOf('\n', letter.text.indexOf(MOX_SENTENCE)) + 1;
  const end = letter.text.indexOf('。', start) + 1;
  citations = [buildCitation(1, letter, { start, end, ...sectionAt(letter, start), passageId: '' })];
  engine = await SearchEngine.fromLetters([letter]);
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('LLM synthesis', () => {
  it('keeps a supported Chinese answer and sends the model, question and quotes', async () => {
    const logs: string[] = [];
    const out = await synthesizeAnswer('青岛和MOX做了什么？', citations, noPassages, llm('good'), (l) => logs.push(l));
    expect(out).toBe(REPLIES.good);
    const last = requests[requests.length - 1];
    expect(last.body.model).toBe('fake-model');
    expect(JSON.stringify(last.body.messages)).toContain(MOX_SENTENCE);
    expect(logs).toEqual([]);
  });

  it('keeps an English sentence whose numbers and codes occur in the cited quote', async () => {
    expect(await synthesizeAnswer('what has Qingdao done with MOX?', citations, noPassages, llm('english'), () => {})).toBe(REPLIES.english);
  });

  it('removes unsupported, unmarked and wrongly numbered sentences, logging each', async () => {
    const logs: string[] = [];
    const out = await synthesizeAnswer('青岛和MOX做了什么？', citations, noPassages, llm('partial'), (l) => logs.push(l));
    expect(out).toBe('上合示范区管委会与MOX签订了全面合作框架协议。[1]');
    expect(logs).toHaveLength(4);
  });

  it.each(['malformed', 'notjson', 'error', 'empty'])('falls back to no synthesis on a %s response', async (route) => {
    const logs: string[] = [];
    expect(await synthesizeAnswer('青岛和MOX做了什么？', citations, noPassages, llm(route), (l) => logs.push(l))).toBeUndefined();
    if (route !== 'empty') expect(logs.join('\n')).toMatch(/LLM synthesis skipped/);
  });

  it('gives up after the timeout', async () => {
    const logs: string[] = [];
    const t0 = Date.now();
    expect(await synthesizeAnswer('青岛和MOX做了什么？', citations, noPassages, llm('slow', 300), (l) => logs.push(l))).toBeUndefined();
    expect(Date.now() - t0).toBeLessThan(1400);
    expect(logs.join('\n')).toMatch(/300 ms/);
  });

  it('falls back when nothing listens', async () => {
    const dead: LlmConfig = { url: 'http://127.0.0.1:9/v1/chat/completions', model: 'x', timeoutMs: 1000 };
    expect(await synthesizeAnswer('MOX?', citations, noPassages, dead, () => {})).toBeUndefined();
  });
});

describe('answerQuestion with an LLM', () => {
  it('adds the checked synthesis above the quotes', async () => {
    const answer = await answerQuestion(engine, 'what has Qingdao done with MOX?', { llm: llm('good'), log: () => {} });
    expect(answer.citations[0].quote).toContain(MOX_SENTENCE);
    expect(answer.synthesis).toBe(REPLIES.good);
    expect(answer.text.startsWith(REPLIES.good)).toBe(true);
    expect(answer.text).toContain(MOX_SENTENCE);
  });

  it('keeps the extractive answer when the endpoint is slow', async () => {
    const answer = await answerQuestion(engine, 'what has Qingdao done with MOX?', { llm: llm('slow', 300), log: () => {} });
    expect(answer.synthesis).toBeUndefined();
    expect(answer.citations[0].quote).toContain(MOX_SENTENCE);
  });

  it('makes no request when no endpoint is configured', async () => {
    const before = requests.length;
    const answer = await answerQuestion(engine, 'what has Qingdao done with MOX?');
    expect(answer.synthesis).toBeUndefined();
    expect(requests.length).toBe(before);
  });
});

describe('synthesis sentence checks', () => {
  it('splits sentences keeping their markers', () => {
    expect(splitSynthesisSentences('双方签订了协议。[1] MOX is an exchange [2]. Done.')).toEqual(['双方签订了协议。[1]', 'MOX is an exchange [2].', 'Done.']);
  });

  it('drops a sentence whose acronym is not in the cited text', () => {
    const support = new Map([[1, '双方签订了全面合作框架协议']]);
    expect(keepSupportedSentences('They signed a framework agreement with TIR [1].', support)).toBe('');
    expect(keepSupportedSentences('双方签订了全面合作框架协议。[1]', support)).toBe('双方签订了全面合作框架协议。[1]');
    // …unless the asker used it.
    expect(keepSupportedSentences('They signed a framework agreement with TIR [1].', support, undefined, 'did TIR sign?')).toBe('They signed a framework agreement with TIR [1].');
  });
});
