/**
 * The terminal chat: one question per line, answered by the same pipeline as the Telegram bot, in
 * plain text. Works interactively (prompt, history) and with piped input (one answer per line, exit at EOF).
 */
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Searcher, SearchFilters } from '../../index/searchTypes.ts';
import type { Answer, AnswerLang, Citation } from '../answerTypes.ts';
import type { Config } from '../config.ts';
import { labelsFor } from '../answer/answerLabels.ts';
import { answerQuestion } from '../answer/answerQuestion.ts';
import { formatCitationLine } from '../answer/citation.ts';
import { detectLanguage } from '../answer/detectLanguage.ts';
import { describeLetter, listLetters, renderLetterDescription, renderLetterRows } from '../answer/letterListing.ts';
import { listCommitments } from '../answer/listCommitments.ts';
import { answerText } from '../answer/renderPlain.ts';
import { Conversation, type ConversationOptions } from '../conversation/conversation.ts';
import type { ConversationState } from '../conversation/conversationState.ts';
import { llmRewriter } from '../conversation/llmRewrite.ts';
import { conversationTexts } from '../conversation/conversationTexts.ts';

export interface TerminalChatOptions {
  searcher: Searcher;
  input: Readable;
  output: Writable;
  /** Show a prompt and greet like a terminal app; false for piped input. */
  interactive?: boolean;
  llm?: Config['llm'];
  /** Where dropped quotes / LLM problems go (default console.warn, i.e. stderr). */
  log?: (line: string) => void;
  /** FUHAN_PUBLIC_URL: each quote is followed by its permalink on the web pages. */
  publicUrl?: string;
  /** Where the greeting goes: `output` when interactive, else stderr, so piped answers stay clean. */
  notices?: Writable;
  /** Follow-up rules (quiet period before the conversation is forgotten). */
  conversation?: ConversationOptions;
}

const HELP: Record<AnswerLang, string> = {
  zh: [
    '直接输入问题即可（中文或英文）。命令：',
    '  /commitments [主题]  下一步工作承诺',
    '  /letters [筛选]      复函列表（发文单位、标题、提案号、年份）',
    '  /letter N            第 N 封复函的信息和章节',
    '  /cite n              引文 [n] 的一行引用格式',
    '  /more                上一个问题的更多结果',
    '  /new                 开始新的对话（也可以说「换个问题」）',
    '  /help  /quit',
  ].join('\n'),
  'zh-Hant': [
    '直接輸入問題即可（中文或英文）。命令：',
    '  /commitments [主題]  下一步工作承諾',
    '  /letters [篩選]      復函列表（發文單位、標題、提案號、年份）',
    '  /letter N            第 N 封復函的資訊和章節',
    '  /cite n              引文 [n] 的一行引用格式',
    '  /more                上一個問題的更多結果',
    '  /new                 開始新的對話（也可以說「換個問題」）',
    '  /help  /quit',
  ].join('\n'),
  en: [
    'Type a question (Chinese or English). Commands:',
    '  /commitments [topic]  what the letters commit to doing next',
    '  /letters [filter]     list letters (issuer, title, proposal no., year)',
    '  /letter N             metadata and sections of letter N',
    '  /cite n               quote [n] as one line to paste',
    '  /more                 more results for the last question',
    '  /new                  start a new conversation (follow-ups lean on the last answer)',
    '  /help  /quit',
  ].join('\n'),
};

/**
 * The greeting: what is loaded, how to ask, and how to connect Telegram instead.
 *
 * @example
 * chatGreeting(2) // → 'Fuhan — 2 reply letters loaded. …'
 */
export function chatGreeting(letterCount: number): string {
  return [
    `Fuhan — ${letterCount} reply letters loaded. Ask a question (中文/English), /help for commands, /quit to leave.`,
    'Telegram: get a token from @BotFather, set BOT_TOKEN=… (e.g. in .env), then run `npm start`.',
  ].join('\n');
}

/**
 * Runs the chat until /quit or end of input.
 *
 * @example
 * await runTerminalChat({ searcher, input: process.stdin, output: process.stdout, interactive: process.stdin.isTTY });
 */
export async function runTerminalChat(options: TerminalChatOptions): Promise<void> {
  const { searcher, output } = options;
  const interactive = options.interactive ?? false;
  const write = (text: string) => output.write(`${text}\n`);
  const rl = readline.createInterface({ input: options.input, output: interactive ? output : undefined, terminal: interactive });
  let lang: AnswerLang = 'zh';
  let lastQuestion: string | undefined;
  let lastFilters: SearchFilters | undefined;
  let lastPage = 1;
  // The conversation so far: follow-ups («那重庆呢？», "who signed it?") are read against it.
  const conversation = new Conversation({ rewrite: options.llm ? llmRewriter(options.llm, options.log) : undefined, ...options.conversation });
  let state: ConversationState | undefined;
  let hasMore = false;
  // Citations shown in this conversation, by number, for /cite (numbers continue across /more).
  let shown = new Map<number, Citation>();

  const show = (answer: Answer, fresh: boolean) => {
    if (fresh) shown = new Map();
    for (const c of answer.citations) shown.set(c.n, c);
    hasMore = answer.hasMore ?? false;
    write(answerText(answer, options.publicUrl));
    if (hasMore) write(answer.lang === 'en' ? '(/more for more results)' : answer.lang === 'zh-Hant' ? '（輸入 /more 查看更多結果）' : '（输入 /more 查看更多结果）');
  };

  const handle = async (line: string): Promise<boolean> => {
    const text = line.trim();
    if (!text) return true;
    const [command, ...rest] = text.split(/\s+/);
    const arg = rest.join(' ');
    switch (command.toLowerCase()) {
      case '/quit':
      case '/exit':
        return false;
      case '/help':
      case '/start':
        write(HELP[lang]);
        return true;
      case '/letters':
        write(renderLetterRows(listLetters(searcher, arg), arg ? detectLanguage(arg) : lang));
        return true;
      case '/letter': {
        let d = arg ? describeLetter(searcher, arg) : undefined;
        if (!d && arg && !/^\d+$/.test(arg)) {
          // A word filters like /letters: one match is that letter, several are listed to choose from.
          const rows = listLetters(searcher, arg);
          if (rows.length > 1) {
            write(renderLetterRows(rows, detectLanguage(arg)));
            return true;
          }
          if (rows.length === 1) d = describeLetter(searcher, rows[0]!.n);
        }
        write(d ? renderLetterDescription(d, lang) : lang === 'en' ? 'Usage: /letter N (see /letters)' : '用法：/letter N（见 /letters）');
        return true;
      }
      case '/commitments': {
        const answer = await listCommitments(searcher, arg || undefined, arg ? detectLanguage(arg) : lang, options.log);
        lastQuestion = undefined;
        show(answer, true);
        return true;
      }
      case '/cite': {
        const c = shown.get(Number(arg));
        write(c ? formatCitationLine(c, lang, options.publicUrl) : lang === 'en' ? 'Usage: /cite n, with n a number shown as [n] above.' : '用法：/cite n（n 为上面显示的 [n]）');
        return true;
      }
      case '/more': {
        if (!lastQuestion || !hasMore) {
          write(labelsFor(lang).noMore);
          return true;
        }
        lastPage += 1;
        show(await answerQuestion(searcher, lastQuestion, { page: lastPage, lang, llm: options.llm, log: options.log, filters: lastFilters }), false);
        return true;
      }
      case '/new':
      case '/reset':
        state = { at: Date.now() };
        lastQuestion = undefined;
        write(conversationTexts(lang).reset);
        return true;
      default:
        if (command.startsWith('/')) {
          write(lang === 'en' ? `Unknown command ${command}. /help lists the commands.` : `未知命令 ${command}。输入 /help 查看命令。`);
          return true;
        }
    }
    const reading = await conversation.read(searcher, text, state, { lang });
    lang = reading.lang;
    if (reading.kind === 'notice') {
      write(reading.notice ?? '');
      return true;
    }
    if (reading.kind === 'reset') {
      state = { at: Date.now() };
      lastQuestion = undefined;
      write(conversationTexts(lang).reset);
      return true;
    }
    lastQuestion = reading.question;
    lastFilters = reading.filters;
    lastPage = 1;
    const answer = await answerQuestion(searcher, reading.question, { lang, llm: options.llm, log: options.log, filters: reading.filters });
    state = conversation.remember(state, reading, answer);
    // A follow-up says in one line how it was read, so a wrong reading can be seen and corrected.
    if (reading.readAs) write(conversationTexts(lang).readAs + reading.readAs);
    show(answer, true);
    return true;
  };

  // Ctrl-C leaves the chat (readline would otherwise only pause).
  rl.on('SIGINT', () => rl.close());
  const notices = options.notices ?? (interactive ? output : process.stderr);
  notices.write(`${chatGreeting(searcher.letters().length)}\n`);
  if (interactive) {
    rl.setPrompt('> ');
    rl.prompt();
  }
  try {
    for await (const line of rl) {
      let keepGoing = true;
      try {
        keepGoing = await handle(line);
      } catch (err) {
        // One bad question must not end the conversation.
        write(`fuhan: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (!keepGoing) break;
      if (interactive) {
        write('');
        rl.prompt();
      } else write('');
    }
  } finally {
    rl.close();
  }
}
