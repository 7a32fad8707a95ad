/**
 * Follow-up questions, through the real front-ends: the conversation layer's readings on the fixture
 * letters, the terminal chat (in process, over streams), and the Telegram bot polling the Bot API
 * emulator — substitution, same letter, ordinals, new topics and resets in the three languages,
 * group threads, and the chat polish (paging, captions, blank and emoji messages, /letter <word>).
 * Assertions are on which letters answer and how a message was read, not on the answers' wording.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseLetter } from '../corpus/parseLetter.ts';
import { readCorpus } from '../corpus/readCorpus.ts';
import { SearchEngine } from '../index/searchEngine.ts';
import { answerQuestion } from '../bot/answer/answerQuestion.ts';
import { labelsFor } from '../bot/answer/answerLabels.ts';
import { runTerminalChat } from '../bot/chat/terminalChat.ts';
import { loadConfig } from '../bot/config.ts';
import { Conversation } from '../bot/conversation/conversation.ts';
import { parseState, type ConversationState } from '../bot/conversation/conversationState.ts';
import { letterIntentOf, ordinalOf, RESET, substitutionOf } from '../bot/conversation/followUpPatterns.ts';
import { llmRewriter } from '../bot/conversation/llmRewrite.ts';
import { normalizeForMatch } from '../index/lexical/normalizeForMatch.ts';
import { conversationTexts } from '../bot/conversation/conversationTexts.ts';
import { loadAnswerKit } from '../bot/telegram/answerKit.ts';
import { leadingCommand } from '../bot/telegram/commandEntity.ts';
import { openEngine } from '../bot/telegram/openEngine.ts';
import { startBot, type RunningBot } from '../bot/telegram/runBot.ts';
import { buttons, EMULATOR_BOT, Emulator, shown } from './support/botEmulator.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'letters');
const QINGDAO = '000b_qingdao-shanghe-mox-tian';
const HENGYANG = '011_hengyang-gongan-268hao-tian';
const MILUO = '012_miluo-jiaojing-12hao-tian';
const TOKEN = '123459:TEST-token_for_the_conversation_bot';
const silent = () => {};

let engine: SearchEngine;

beforeAll(async () => {
  const { docs } = await readCorpus(FIXTURES);
  engine = await SearchEngine.fromLetters(docs.map((d) => parseLetter(d)));
});

/** Plays turns through the conversation layer and the answer stage, as the front-ends do. */
async function play(turns: string[], conversation = new Conversation(), now = () => Date.now()) {
  let state: ConversationState | undefined;
  const out = [];
  for (const turn of turns) {
    const reading = await conversation.read(engine, turn, state, { now: now() });
    if (reading.kind === 'reset') {
      state = { at: now() };
      out.push({ reading, letters: [] as string[] });
      continue;
    }
    const answer = await answerQuestion(engine, reading.question, { filters: reading.filters, lang: reading.lang, log: silent });
    state = conversation.remember(state, reading, answer, now());
    out.push({ reading, answer, letters: [...new Set(answer.citations.map((c) => c.letter))] });
  }
  return out;
}

describe('follow-up patterns', () => {
  const n = normalizeForMatch;
  it('recognise ordinals, substitutions, letter intents and resets in three languages', () => {
    expect(ordinalOf(n('第二条详细说说'))).toEqual({ target: 'quote', n: 2 });
    expect(ordinalOf(n('第2封信'))).toEqual({ target: 'letter', n: 2 });
    expect(ordinalOf(n('第三條'))).toEqual({ target: 'quote', n: 3 });
    expect(ordinalOf(n('the second one'))).toEqual({ target: 'quote', n: 2 });
    expect(ordinalOf(n('more on [2]'))).toEqual({ target: 'quote', n: 2 });
    expect(ordinalOf(n('the first letter'))).toEqual({ target: 'letter', n: 1 });
    expect(ordinalOf(n('the ninth letter'))).toEqual({ target: 'letter', n: 9 });
    expect(ordinalOf(n('重庆和澳门青年交流有哪些安排？'))).toBeNull();

    expect(substitutionOf(n('那重庆呢？'))).toBe('重庆');
    expect(substitutionOf(n('青島呢'))).toBe('青岛');
    expect(substitutionOf(n('and Chongqing?'))).toBe('chongqing');
    expect(substitutionOf(n('what about the transport bureau?'))).toBe('the transport bureau');
    expect(substitutionOf(n('杭州西湖景区申报世界遗产的进展如何？'))).toBeNull();
    expect(substitutionOf(n('MOX是什么呢？'))).toBeNull();

    expect(letterIntentOf(n('哪天回复的？'))).toBe('date');
    expect(letterIntentOf(n('誰簽發的？'))).toBe('signer');
    expect(letterIntentOf(n('who signed it?'))).toBe('signer');
    expect(letterIntentOf(n('他们下一步打算怎么做？'))).toBe('plans');
    expect(letterIntentOf(n('what did they promise?'))).toBe('plans');
    expect(letterIntentOf(n('how much did it cost?'))).toBe('content');
    expect(letterIntentOf(n('MOX是什么？'))).toBeNull();

    for (const r of ['/new', '换个问题', '換個問題', '换个话题', 'start over', 'New question!']) expect(RESET.test(n(r)), r).toBe(true);
    expect(RESET.test(n('新问题是什么'))).toBe(false);
  });

  it('find the /command a relayed text starts with, as Telegram would mark it', () => {
    expect(leadingCommand('/new')).toEqual({ offset: 0, length: 4 });
    expect(leadingCommand('/ask@fuhan_bot 青岛和MOX合作做了什么？')).toEqual({ offset: 0, length: 14 });
    expect(leadingCommand('/ 不是命令')).toBeNull();
    expect(leadingCommand('/new你好')).toBeNull();
    expect(leadingCommand('换个问题')).toBeNull();
  });

  it('start afresh on a stored state that is not one (another version, a hand-edited key)', () => {
    expect(parseState({ at: 1, turn: { question: 'q', topic: 'q', letters: ['a'], quotes: [{ n: 1, letter: 'a', quote: 'x' }] } })).toBeDefined();
    expect(parseState({ turn: 'garbage' })).toBeUndefined();
    expect(parseState(null)).toBeUndefined();
  });
});

describe('the conversation layer', () => {
  it('restricts same-letter follow-ups to the previous letter, in three languages', async () => {
    const zh = await play(['青岛上合示范区和澳门在金融上有哪些合作？', '哪天回复的？']);
    expect(zh[0]!.letters[0]).toBe(QINGDAO);
    expect(zh[1]!.reading).toMatchObject({ how: 'same-letter', filters: { letters: [QINGDAO] } });
    expect(zh[1]!.reading.readAs).toContain('青岛市人民政府');
    expect(zh[1]!.answer!.citations[0]!.quote).toContain('2024年6月28日');

    const hant = await play(['衡陽為什麼沒有設置微型車車位？', '這份答覆是哪天發的？', '哪天答覆的？']);
    expect(hant[1]!.reading).toMatchObject({ how: 'same-letter', lang: 'zh-Hant', filters: { letters: [HENGYANG] } });
    expect(hant[1]!.answer!.citations[0]!.quote).toContain('2022年7月24日');
    // Characters both scripts write keep the conversation's Traditional framing.
    expect(hant[2]!.reading).toMatchObject({ how: 'same-letter', lang: 'zh-Hant' });

    const en = await play(["What did Qingdao's SCO zone sign with the Macau asset exchange?", 'when was that agreement signed?']);
    expect(en[1]!.reading).toMatchObject({ how: 'same-letter', lang: 'en', filters: { letters: [QINGDAO] } });
    expect(en[1]!.answer!.citations[0]!.quote).toContain('2023年12月');
  });

  it('substitutes a place and answers only from that place', async () => {
    const zh = await play(['衡阳为什么没有设置微型车车位？', '那汨罗呢？']);
    expect(zh[1]!.reading.how).toBe('substitution');
    expect(zh[1]!.reading.question).toContain('汨罗');
    expect(zh[1]!.letters).toEqual([MILUO]);
    const en = await play(["What did Qingdao's SCO zone sign with the Macau asset exchange?", 'and Chongqing?']);
    expect(en[1]!.reading.how).toBe('substitution');
    expect(en[1]!.letters.length).toBeGreaterThan(0);
    for (const id of en[1]!.letters) expect(engine.letterRef(id)!.issuer).toContain('重庆');
  });

  it('reads a place the conversation never spoke of as a new question, never answered from the old letter', async () => {
    const QUESTION = '青岛上合示范区和澳门在金融上有哪些合作？';
    const ENGLISH = "What did Qingdao's SCO zone sign with the Macau asset exchange?";
    // No letter is from 深圳 or names it, and the Qingdao letter names 北京 once in passing: neither
    // is a follow-up on the Qingdao letter.
    for (const message of ['深圳的情况怎么样？', '深圳下一步打算怎么做？', '北京下一步打算怎么做？', '北京有什么安排？']) {
      const [, next] = await play([QUESTION, message]);
      const [alone] = await play([message]);
      expect(next!.reading.how, message).toBe('standalone');
      expect(next!.answer!.citations, message).toEqual(alone!.answer!.citations);
    }
    // Substituted for 青岛: only letters that name the new place may answer (北京 is named in passing
    // by the Qingdao letter itself, and by another), else none does.
    for (const turns of [[QUESTION, '那深圳呢？'], [ENGLISH, 'and Shenzhen?'], [QUESTION, '那北京呢？'], [ENGLISH, 'and Beijing?']]) {
      const [, next] = await play(turns);
      expect(next!.reading.how, turns[1]).toBe('substitution');
      expect(next!.letters, turns[1]).not.toContain(QINGDAO);
    }
  });

  it('follows ordinals to the quote or letter they name', async () => {
    const [first, second] = await play(['青岛上合示范区和澳门在金融上有哪些合作？', '第二条详细说说']);
    const quote2 = first!.answer!.citations.find((c) => c.n === 2)!;
    expect(second!.reading).toMatchObject({ how: 'ordinal', filters: { letters: [quote2.letter] } });
    expect(second!.answer!.citations[0]!.quote).toBe(quote2.quote);
    const en = await play(['青岛上合示范区和澳门在金融上有哪些合作？', 'more on [1]']);
    expect(en[1]!.reading.how).toBe('ordinal');
    expect(en[1]!.answer!.citations[0]!.quote).toBe(en[0]!.answer!.citations[0]!.quote);
  });

  it('never bends a question that names its own subject, forgets on reset and after the quiet period', async () => {
    const topic = await play(['青岛上合示范区和澳门在金融上有哪些合作？', '汨罗交警怎么治理小巷里乱停的车？']);
    expect(topic[1]!.reading.how).toBe('standalone');
    expect(topic[1]!.letters[0]).toBe(MILUO);

    for (const reset of ['换个问题', '換個問題', '/new', 'start over']) {
      const [, r, after] = await play(['青岛上合示范区和澳门在金融上有哪些合作？', reset, '谁签发的？']);
      expect(r!.reading.kind).toBe('reset');
      expect(after!.reading.how).toBe('standalone');
    }

    let clock = Date.now();
    const conversation = new Conversation({ ttlMs: 60_000 });
    const expired = await play(['青岛上合示范区和澳门在金融上有哪些合作？', '谁签发的？'], conversation, () => (clock += 61_000));
    expect(expired[1]!.reading.how).toBe('standalone');
    const live = await play(['青岛上合示范区和澳门在金融上有哪些合作？', '谁签发的？'], conversation, () => (clock += 1_000));
    expect(live[1]!.reading.how).toBe('same-letter');
  });
});

describe('LLM help for messages the rules cannot read (FUHAN_LLM_URL)', () => {
  const PREVIOUS = '青岛上合示范区和澳门在金融上有哪些合作？';
  // No pronoun the rules know, no subject of its own, and nothing found as it stands.
  const MESSAGE = '刚才说的那家企业叫啥来着，再说一遍';
  const PROPOSAL = '上合示范区与哪家澳门公司签订了全面合作框架协议？';
  let server: http.Server;
  let base: string;
  const bodies: string[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        bodies.push(raw);
        if (req.url?.startsWith('/error')) return void res.writeHead(500).end('{}');
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: PROPOSAL } }] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('takes the proposed standalone question when the letters answer it, and says so', async () => {
    const offline = await play([PREVIOUS, MESSAGE]);
    expect(offline[1]!.reading.how).toBe('standalone');
    const logs: string[] = [];
    const rewrite = llmRewriter({ url: `${base}/ok/v1/chat/completions`, model: 'fake', timeoutMs: 5000 }, (l) => logs.push(l));
    const helped = await play([PREVIOUS, MESSAGE], new Conversation({ rewrite }));
    expect(helped[1]!.reading).toMatchObject({ how: 'rewritten', question: PROPOSAL, readAs: PROPOSAL });
    expect(helped[1]!.letters[0]).toBe(QINGDAO);
    expect(bodies.at(-1)).toContain(PREVIOUS);
    expect(logs).toEqual([]);
  });

  it('falls back to the offline reading when the endpoint fails', async () => {
    const logs: string[] = [];
    const rewrite = llmRewriter({ url: `${base}/error/v1/chat/completions`, model: 'fake', timeoutMs: 5000 }, (l) => logs.push(l));
    const failed = await play([PREVIOUS, MESSAGE], new Conversation({ rewrite }));
    expect(failed[1]!.reading.how).toBe('standalone');
    expect(logs.join('\n')).toContain('HTTP 500');
  });
});

/** Runs the terminal chat on piped lines and returns what it printed. */
async function chat(lines: string[]): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (d: Buffer) => (text += d.toString()));
  const done = runTerminalChat({ searcher: engine, input, output, notices: new PassThrough(), log: silent });
  input.end(`${lines.join('\n')}\n`);
  await done;
  return text;
}

/** The printed text from `start` up to `end` (or the end), failing when `start` is not there. */
function between(text: string, start: string, end?: string): string {
  const at = text.indexOf(start);
  expect(at, `${start} in:\n${text.slice(0, 2000)}`).toBeGreaterThanOrEqual(0);
  const stop = end === undefined ? -1 : text.indexOf(end, at + start.length);
  return text.slice(at, stop < 0 ? undefined : stop);
}

describe('the terminal chat', () => {
  it('reads follow-ups and says how, in Simplified, Traditional and English', async () => {
    const zh = await chat(['青岛上合示范区和澳门在金融上有哪些合作？', '哪天回复的？', '那重庆呢？', '换个问题', '谁签发的？']);
    expect(zh.split('理解为：')).toHaveLength(3);
    expect(between(zh, '理解为：青岛市人民政府的复函：哪天回复的？', '理解为：')).toContain('2024年6月28日');
    expect(between(zh, '理解为：', conversationTexts('zh').reset)).toContain('重庆');
    expect(zh).toContain(conversationTexts('zh').reset);

    const hant = await chat(['衡陽為什麼沒有設置微型車車位？', '這份答覆是哪天發的？', '那汨羅呢？']);
    expect(between(hant, '理解為：', '理解為：')).toContain('2022年7月24日');
    expect(between(hant.slice(hant.indexOf('理解為：') + 4), '理解為：')).toContain('汨罗市公安局交通警察大队');

    const letter = await chat(['/letter 汨罗']);
    expect(letter).toContain('汨罗市公安局交通警察大队');
    expect(letter).not.toContain('/letter N');

    const en = await chat(["What did Qingdao's SCO zone sign with the Macau asset exchange?", 'when was that agreement signed?', '/new', 'who signed it?']);
    expect(between(en, 'Read as: when was that agreement signed? — in the reply of 青岛市人民政府', conversationTexts('en').reset)).toContain('2023年12月');
    expect(en.split('Read as:')).toHaveLength(2);
  });
});

describe('the terminal chat, every kind of follow-up', () => {
  it('follows ordinals, says when there is no such item, takes a new topic as it stands and resets, in three languages', async () => {
    const zh = await chat(['青岛上合示范区和澳门在金融上有哪些合作？', '第一条详细说说', '第九封信', '汨罗交警怎么治理小巷里乱停的车？', '换个问题']);
    expect(zh).toContain('理解为：第1条引文（青岛市人民政府的复函）');
    expect(zh).toContain(conversationTexts('zh').noSuchItem('letter', 9, 1));
    expect(zh.split('理解为：')).toHaveLength(2); // the new topic is not a follow-up
    expect(between(zh, conversationTexts('zh').noSuchItem('letter', 9, 1))).toContain('汨罗市公安局交通警察大队');
    expect(zh).toContain(conversationTexts('zh').reset);

    const hant = await chat(['衡陽為什麼沒有設置微型車車位？', '第一條詳細說說', '第九條詳細說說', '汨羅交警對背街小巷亂停車有什麼措施？', '換個問題']);
    expect(hant).toContain('理解為：第1條引文（衡阳市公安局');
    expect(hant).toMatch(/上一個回答裡沒有第9條引文/);
    expect(hant.split('理解為：')).toHaveLength(2);
    expect(between(hant, '上一個回答裡沒有第9條引文')).toContain('汨罗市公安局交通警察大队');
    expect(hant).toContain(conversationTexts('zh-Hant').reset);

    const en = await chat(["What did Qingdao's SCO zone sign with the Macau asset exchange?", 'more on [2]', 'the ninth letter', 'What are the Miluo traffic police doing about parking in back lanes?', 'start over']);
    expect(en).toContain('Read as: quote [2] (');
    expect(en).toContain(conversationTexts('en').noSuchItem('letter', 9, 1));
    expect(en.split('Read as:')).toHaveLength(2);
    expect(between(en, conversationTexts('en').noSuchItem('letter', 9, 1))).toContain('汨罗市公安局交通警察大队');
    expect(en).toContain(conversationTexts('en').reset);
  });
});

describe('the Telegram bot (emulator)', () => {
  let emulator: Emulator;
  let running: RunningBot;
  let workDir: string;
  const logLines: string[] = [];
  const en = { from: { language_code: 'en' } };

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'fuhan-conversation-'));
    emulator = await Emulator.start(TOKEN);
    const config = loadConfig({ BOT_TOKEN: TOKEN, FUHAN_TELEGRAM_API: emulator.apiUrl, FUHAN_CORPUS: FIXTURES, FUHAN_INDEX: path.join(workDir, 'index'), FUHAN_DENSE: 'off' });
    const log = (line: string) => logLines.push(line);
    const [opened, kit] = await Promise.all([openEngine(config, log), loadAnswerKit(log)]);
    running = await startBot({ config, engine: opened, kit, log, throttle: false });
  }, 120_000);

  afterAll(async () => {
    await running?.stop();
    await running?.deps.conversations.close();
    await emulator?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('continues a private conversation: same letter, ordinal, substitution, new topic, reset (Simplified)', async () => {
    const first = shown(await emulator.ask(2001, '青岛上合示范区和澳门在金融上有哪些合作？'));
    expect(first.letters[0]).toContain('青岛市人民政府');
    expect(first.html).not.toContain(conversationTexts('zh').readAs);

    const ordinal = shown(await emulator.ask(2001, '第一条详细说说'));
    expect(ordinal.html).toContain('理解为：第1条引文');
    expect(ordinal.firstQuote).toBe(first.firstQuote);

    const date = shown(await emulator.ask(2001, '哪天回复的？'));
    expect(date.html).toContain('<i>理解为：青岛市人民政府的复函：哪天回复的？</i>');
    expect(date.html).toContain('<b>问:</b> 哪天回复的？');
    expect(date.firstQuote).toContain('2024年6月28日');
    expect(date.letters.every((l) => l.includes('青岛市人民政府'))).toBe(true);

    const other = shown(await emulator.ask(2001, '那重庆呢？'));
    expect(other.html).toContain('理解为：');
    expect(other.letters.length).toBeGreaterThan(0);
    expect(other.letters.every((l) => l.includes('重庆'))).toBe(true);

    const topic = shown(await emulator.ask(2001, '汨罗交警怎么治理小巷里乱停的车？'));
    expect(topic.html).not.toContain('理解为');
    expect(topic.letters[0]).toContain('汨罗市公安局交通警察大队');

    const [reset] = await emulator.ask(2001, '换个问题');
    expect(reset!.text).toBe(conversationTexts('zh').reset);
    const fresh = shown(await emulator.ask(2001, '谁签发的？'));
    expect(fresh.html).not.toContain('理解为');
  });

  it('continues in Traditional Chinese and in English, and /new forgets', async () => {
    await emulator.ask(2002, '衡陽為什麼沒有設置微型車車位？');
    const date = shown(await emulator.ask(2002, '這份答覆是哪天發的？'));
    expect(date.html).toContain('理解為：');
    expect(date.firstQuote).toContain('2022年7月24日');
    const other = shown(await emulator.ask(2002, '那汨羅呢？'));
    expect(other.letters.every((l) => l.includes('汨罗'))).toBe(true);

    await emulator.ask(2003, "What did Qingdao's SCO zone sign with the Macau asset exchange?", en);
    const when = shown(await emulator.ask(2003, 'when was that agreement signed?', en));
    expect(when.html).toContain('<i>Read as: when was that agreement signed? — in the reply of 青岛市人民政府</i>');
    expect(when.firstQuote).toContain('2023年12月');
    const chongqing = shown(await emulator.ask(2003, 'and Chongqing?', en));
    expect(chongqing.html).toContain('Read as: ');
    expect(chongqing.letters.every((l) => l.includes('重庆'))).toBe(true);
    const [reset] = await emulator.command(2003, '/new', en);
    expect(reset!.text).toBe(conversationTexts('en').reset);
    const fresh = shown(await emulator.ask(2003, 'who signed it?', en));
    expect(fresh.html).not.toContain('Read as');
  });

  it('follows ordinals, takes a new topic as it stands and resets, in Traditional Chinese and in English', async () => {
    await emulator.ask(2009, '衡陽為什麼沒有設置微型車車位？');
    const ordinal = shown(await emulator.ask(2009, '第一條詳細說說'));
    expect(ordinal.html).toContain('理解為：第1條引文');
    expect(ordinal.letters.every((l) => l.includes('衡阳市公安局'))).toBe(true);
    const [none] = await emulator.ask(2009, '第九條詳細說說');
    expect(none!.text).toMatch(/上一個回答裡沒有第9條引文/);
    const topic = shown(await emulator.ask(2009, '汨羅交警對背街小巷亂停車有什麼措施？'));
    expect(topic.html).not.toContain('理解為');
    expect(topic.letters[0]).toContain('汨罗市公安局交通警察大队');
    const [reset] = await emulator.ask(2009, '換個問題');
    expect(reset!.text).toBe(conversationTexts('zh-Hant').reset);

    await emulator.ask(2010, "What did Qingdao's SCO zone sign with the Macau asset exchange?", en);
    const more = shown(await emulator.ask(2010, 'more on [1]', en));
    expect(more.html).toContain('Read as: quote [1]');
    expect(more.letters.every((l) => l.includes('青岛市人民政府'))).toBe(true);
    const english = shown(await emulator.ask(2010, 'What are the Miluo traffic police doing about parking in back lanes?', en));
    expect(english.html).not.toContain('Read as');
    expect(english.letters[0]).toContain('汨罗市公安局交通警察大队');
    const [restart] = await emulator.ask(2010, 'start over', en);
    expect(restart!.text).toBe(conversationTexts('en').reset);
  });

  it('resets on "/new" relayed as plain text, without its bot_command entity', async () => {
    await emulator.ask(2008, '衡阳为什么没有设置微型车车位？');
    expect(shown(await emulator.ask(2008, '哪天答复的？')).html).toContain('理解为：');
    const [reset] = await emulator.ask(2008, '/new');
    expect(reset!.text).toBe(conversationTexts('zh').reset);
    expect(shown(await emulator.ask(2008, '哪天答复的？')).html).not.toContain('理解为');
    const [unknown] = await emulator.ask(2008, '/nosuchcommand');
    expect(unknown!.text).toContain('/help');
  });

  it('in a group, a reply to an answer continues its thread and a new mention starts one', async () => {
    const group = { chatId: -7001, type: 'group' as const };
    const mention = (text: string) => ({ entities: [{ type: 'mention', offset: 0, length: `@${EMULATOR_BOT.username}`.length }], text: `@${EMULATOR_BOT.username} ${text}` });
    const answer = await emulator.ask(2004, `@${EMULATOR_BOT.username} 衡阳为什么没有设置微型车车位？`, mention('衡阳为什么没有设置微型车车位？'), group);
    expect(shown(answer).letters[0]).toContain('衡阳市公安局');
    const replyTo = (m: { messageId: number }) => ({ reply_to_message: { message_id: m.messageId, from: { id: EMULATOR_BOT.id, is_bot: true, first_name: 'Bot' }, chat: { id: group.chatId, type: 'group' }, date: 0 } });
    const thread = shown(await emulator.ask(2005, '哪天答复的？', replyTo(answer[answer.length - 1]!), group));
    expect(thread.html).toContain('理解为：衡阳市公安局的复函');
    expect(thread.firstQuote).toContain('2022年7月24日');
    const fresh = shown(await emulator.ask(2004, `@${EMULATOR_BOT.username} 哪天答复的？`, mention('哪天答复的？'), group));
    expect(fresh.html).not.toContain('理解为');
  });

  it('pages /commitments with a real "more" and a "previous", and no empty keyboard row', async () => {
    const listing = await emulator.command(2006, '/commitments');
    const last = listing[listing.length - 1]!;
    const rows = last.replyMarkup!.inline_keyboard;
    for (const row of rows) expect(row.length).toBeGreaterThan(0);
    expect(shown(listing).html).not.toMatch(/\(\+\d+\)/);
    const more = buttons(last).find((b) => b.data.startsWith('m:') && b.data.endsWith(':2'))!;
    expect(more).toBeDefined();
    await emulator.press(2006, last, more.data);
    const deadline = Date.now() + 15_000;
    let page2 = last;
    while (Date.now() < deadline && page2.text === last.text) {
      page2 = emulator.messages(2006).find((m) => m.messageId === last.messageId)!;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(page2.text).toMatch(/\(2\)/);
    expect(page2.text).toContain('[13]');
    const previous = buttons(page2).find((b) => b.text === conversationTexts('zh').previous)!;
    expect(previous.data).toMatch(/^m:[0-9a-z]+:1$/);
  });

  it('answers a photo caption, a blank message, an emoji from an English user, and /letter <word>', async () => {
    const photo = await emulator.ask(2007, '', { photo: [{ file_id: 'p', file_unique_id: 'p1', width: 10, height: 10 }], caption: '汨罗交警怎么治理小巷里乱停的车？' });
    expect(shown(photo).letters[0]).toContain('汨罗市公安局交通警察大队');

    const [blank] = await emulator.ask(2007, '   ', en);
    expect(blank!.text).toBe(conversationTexts('en').blank);

    const emoji = await emulator.ask(2007, '🤔', en);
    expect(emoji[0]!.text).toContain(`<b>${labelsFor('en').question}:</b>`);

    const letter = await emulator.command(2007, '/letter 青岛');
    expect(letter[0]!.text).toContain('陈捷');
  });

  it('handled every update without an error', () => {
    expect(logLines.filter((line) => /failed/.test(line) && !/setMyCommands/.test(line))).toEqual([]);
  });
});
