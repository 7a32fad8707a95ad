/**
 * The bot's own words (greetings, help, refusals, button labels) in Simplified Chinese,
 * Traditional Chinese and English. Answer framing lives in bot/answer/answerLabels.ts; this file
 * only covers the Telegram conversation around it. All strings are plain text: callers escape them.
 */
import type { AnswerLang } from '../answerTypes.ts';
import { detectLanguage } from '../answer/detectLanguage.ts';

/** What an uploaded file must show to be taken as a reply letter (bot/telegram/uploadLetter.ts). */
export type LetterSignal = 'addressee' | 'replyPhrase' | 'signature';

export interface BotTexts {
  welcome: string;
  help: string;
  examples: string[];
  notAllowed: string;
  adminOnly: string;
  unsupported: string;
  unknownCommand: string;
  emptyQuestion: string;
  citeUsage: string;
  letterUsage: string;
  noLastAnswer: string;
  noSuchCitation: string;
  letterNotFound: string;
  staleButton: string;
  noMore: string;
  failed: string;
  /** Telegram made the bot wait longer than a reply may be queued: when to ask again. */
  rateLimited: (minutes: number) => string;
  /** Why an uploaded file is not taken as a letter. */
  notALetter: (missing: LetterSignal[]) => string;
  reloading: string;
  reloaded: (letters: number, passages: number) => string;
  reloadFailed: string;
  uploadNotAdmin: string;
  uploadBadType: (ext: string) => string;
  uploadTooBig: (maxMb: string) => string;
  uploadReceived: string;
  uploadRejected: (reason: string) => string;
  uploadSaved: (fields: { file: string; issuer: string; proposal: string; date: string; passages: number; title: string }) => string;
  uploadSameFile: (file: string) => string;
  unknown: string;
  inlineNoAnswer: string;
  buttons: { passage: string; cite: string; more: string; letter: string };
  stats: { letters: string; passages: string; uptime: string; questions: string; latency: string };
  commands: Record<'ask' | 'commitments' | 'letters' | 'letter' | 'cite' | 'help', string>;
}

const zh: BotTexts = {
  welcome: '你好！我是复函助手：请直接提问，我会用政府复函的原文回答，并附上出处（发文单位、日期、提案号、链接）。',
  help: '直接发送问题即可；在群里请 @我、回复我的消息，或用 /ask。\n命令：\n/ask 问题 — 提问\n/commitments [主题] — 复函中的下一步工作承诺\n/letters [关键词] — 复函列表\n/letter N — 查看第 N 封复函\n/cite n — 上一个回答第 n 条引文的出处\n行内模式：在任意对话中输入 @机器人 问题，插入带出处的引文卡片。',
  examples: ['青岛和MOX合作做了什么？', '重庆和澳门在青年交流方面有什么安排？', '/commitments 澳门'],
  notAllowed: '抱歉，此机器人仅对受邀的对话开放。',
  adminOnly: '此命令仅限管理员使用。',
  unsupported: '我只能回答文字问题。请用文字提问，或发送 /help 查看用法。',
  unknownCommand: '没有这个命令。发送 /help 查看可用的命令。',
  emptyQuestion: '请在命令后写上问题，例如：/ask 青岛和MOX合作做了什么？',
  citeUsage: '用法：/cite n（n 是上一个回答中引文的编号）',
  letterUsage: '用法：/letter N（N 是 /letters 列表中的编号）',
  noLastAnswer: '这个对话里还没有回答可以引用，请先提问。',
  noSuchCitation: '上一个回答中没有这个编号的引文。',
  letterNotFound: '找不到这封复函。',
  staleButton: '这个按钮已过期，请重新提问。',
  noMore: '没有更多结果了。',
  failed: '抱歉，处理这个问题时出错了，请稍后再试。',
  rateLimited: (m) => `Telegram 暂时限制了本机器人的发送，这个回答没能送出。请在约 ${m} 分钟后再问一次。`,
  notALetter: (missing) =>
    `这个文件看起来不像复函：没有${missing.map((m) => ({ addressee: '称呼（如“××代表：”）', replyPhrase: '答复用语（如“收悉”“答复如下”“办理情况”）', signature: '落款单位或日期' })[m]).join('，也没有')}`,
  reloading: '正在重新加载索引…',
  reloaded: (l, p) => `索引已重新加载：${l} 封复函，${p} 个段落。`,
  reloadFailed: '重新加载失败，仍在使用原来的索引：',
  uploadNotAdmin: '感谢！不过只有管理员可以添加复函。',
  uploadBadType: (ext) => `不支持的文件类型 ${ext}。可上传：txt、html、htm、pdf、docx、md。`,
  uploadTooBig: (mb) => `文件太大（上限 ${mb} MB）。`,
  uploadReceived: '已收到文件，正在解析并更新索引…',
  uploadRejected: (reason) => `未添加：${reason}`,
  uploadSaved: (f) => `已添加 ${f.file}\n发文单位：${f.issuer}\n提案/建议：${f.proposal}\n日期：${f.date}\n标题：${f.title}\n段落：${f.passages}`,
  uploadSameFile: (file) => `语料中已有相同的文件 ${file}，未重复添加。`,
  unknown: '（不详）',
  inlineNoAnswer: '没有复函回答这个问题',
  buttons: { passage: '全文段落', cite: '复制出处', more: '更多结果 ▶', letter: '整封复函' },
  stats: { letters: '复函', passages: '段落', uptime: '运行时间', questions: '已回答问题', latency: '延迟中位数' },
  commands: {
    ask: '提问（群聊中使用）',
    commitments: '复函中的下一步工作承诺',
    letters: '复函列表',
    letter: '查看一封复函',
    cite: '上一个回答中某条引文的出处',
    help: '用法和示例',
  },
};

const zhHant: BotTexts = {
  ...zh,
  welcome: '你好！我是復函助手：請直接提問，我會用政府復函的原文回答，並附上出處（發文單位、日期、提案號、連結）。',
  help: '直接發送問題即可；在群組裡請 @我、回覆我的訊息，或用 /ask。\n命令：\n/ask 問題 — 提問\n/commitments [主題] — 復函中的下一步工作承諾\n/letters [關鍵詞] — 復函列表\n/letter N — 查看第 N 封復函\n/cite n — 上一個回答第 n 條引文的出處\n行內模式：在任意對話中輸入 @機器人 問題，插入帶出處的引文卡片。',
  examples: ['青島和MOX合作做了什麼？', '重慶和澳門在青年交流方面有什麼安排？', '/commitments 澳門'],
  notAllowed: '抱歉，此機器人僅對受邀的對話開放。',
  adminOnly: '此命令僅限管理員使用。',
  unsupported: '我只能回答文字問題。請用文字提問，或發送 /help 查看用法。',
  unknownCommand: '沒有這個命令。發送 /help 查看可用的命令。',
  emptyQuestion: '請在命令後寫上問題，例如：/ask 青島和MOX合作做了什麼？',
  citeUsage: '用法：/cite n（n 是上一個回答中引文的編號）',
  letterUsage: '用法：/letter N（N 是 /letters 列表中的編號）',
  noLastAnswer: '這個對話裡還沒有回答可以引用，請先提問。',
  noSuchCitation: '上一個回答中沒有這個編號的引文。',
  letterNotFound: '找不到這封復函。',
  staleButton: '這個按鈕已過期，請重新提問。',
  noMore: '沒有更多結果了。',
  failed: '抱歉，處理這個問題時出錯了，請稍後再試。',
  rateLimited: (m) => `Telegram 暫時限制了本機器人的發送，這個回答沒能送出。請在約 ${m} 分鐘後再問一次。`,
  notALetter: (missing) =>
    `這個文件看起來不像復函：沒有${missing.map((m) => ({ addressee: '稱呼（如「××代表：」）', replyPhrase: '答復用語（如「收悉」「答復如下」「辦理情況」）', signature: '落款單位或日期' })[m]).join('，也沒有')}`,
  uploadNotAdmin: '感謝！不過只有管理員可以添加復函。',
  unknown: '（不詳）',
  inlineNoAnswer: '沒有復函回答這個問題',
  buttons: { passage: '全文段落', cite: '複製出處', more: '更多結果 ▶', letter: '整封復函' },
};

const en: BotTexts = {
  welcome:
    'Hello! Ask me anything about Chinese government reply letters: I answer with verbatim quotes from the letters, each with its citation (issuer, date, proposal number, link).',
  help:
    'Just send a question; in groups, mention me, reply to my message, or use /ask.\nCommands:\n/ask QUESTION — ask\n/commitments [topic] — what the letters commit to doing next\n/letters [filter] — list the letters\n/letter N — show letter N\n/cite n — the citation of quote n in the last answer\nInline mode: type @bot QUESTION in any chat to drop a quote card with its citation.',
  examples: ['what has Qingdao done with MOX?', 'What youth exchanges do Chongqing and Macau have?', '/commitments Macau'],
  notAllowed: 'Sorry, this bot only serves invited chats.',
  adminOnly: 'This command is for admins only.',
  unsupported: 'I can only answer text questions. Send a question as text, or /help for how to use me.',
  unknownCommand: 'Unknown command. /help lists what I can do.',
  emptyQuestion: 'Write the question after the command, e.g. /ask what has Qingdao done with MOX?',
  citeUsage: 'Usage: /cite n (n is a quote number in the last answer)',
  letterUsage: 'Usage: /letter N (N is a number from /letters)',
  noLastAnswer: 'There is no answer in this chat to cite yet — ask a question first.',
  noSuchCitation: 'The last answer has no quote with that number.',
  letterNotFound: 'No such letter.',
  staleButton: 'This button has expired — please ask again.',
  noMore: 'No more results.',
  failed: 'Sorry, something went wrong while answering. Please try again later.',
  rateLimited: (m) => `Telegram is limiting how fast this bot may send, so this answer could not be delivered. Please ask again in about ${m} minute${m === 1 ? '' : 's'}.`,
  notALetter: (missing) =>
    `this file does not look like a reply letter: no ${missing.map((m) => ({ addressee: 'addressee or salutation (such as “××代表：”)', replyPhrase: 'reply phrase (such as 收悉, 答复如下, 办理情况)', signature: 'signature or date' })[m]).join(', no ')}`,
  reloading: 'Reloading the index…',
  reloaded: (l, p) => `Index reloaded: ${l} letters, ${p} passages.`,
  reloadFailed: 'Reload failed; still serving the previous index:',
  uploadNotAdmin: 'Thanks! Only admins can add letters, though.',
  uploadBadType: (ext) => `Unsupported file type ${ext}. Accepted: txt, html, htm, pdf, docx, md.`,
  uploadTooBig: (mb) => `The file is too large (limit ${mb} MB).`,
  uploadReceived: 'Got the file — parsing it and updating the index…',
  uploadRejected: (reason) => `Not added: ${reason}`,
  uploadSaved: (f) =>
    `Added ${f.file}\nIssuer: ${f.issuer}\nProposal: ${f.proposal}\nDate: ${f.date}\nTitle: ${f.title}\nPassages: ${f.passages}`,
  uploadSameFile: (file) => `The corpus already has this exact file (${file}); nothing added.`,
  unknown: '(unknown)',
  inlineNoAnswer: 'No letter answers this question',
  buttons: { passage: 'Passage', cite: 'Citation', more: 'More results ▶', letter: 'Whole letter' },
  stats: { letters: 'Letters', passages: 'Passages', uptime: 'Uptime', questions: 'Questions served', latency: 'Median latency' },
  commands: {
    ask: 'ask a question (in groups)',
    commitments: 'what the letters commit to doing next',
    letters: 'list the letters',
    letter: 'show one letter',
    cite: 'citation of a quote in the last answer',
    help: 'how to use the bot, with examples',
  },
};

const TEXTS: Record<AnswerLang, BotTexts> = { zh, 'zh-Hant': zhHant, en };

/**
 * The bot's texts in one language.
 *
 * @example
 * textsFor('en').buttons.more // → 'More results ▶'
 */
export function textsFor(lang: AnswerLang): BotTexts {
  return TEXTS[lang];
}

/**
 * The language to talk to someone in: the language of what they wrote when it says anything
 * (Han or Latin letters), else their Telegram interface language, else Simplified Chinese.
 *
 * @example
 * chooseLanguage('青島和MOX合作做了什麼？', 'en') // → 'zh-Hant'
 * chooseLanguage('', 'en-US')                      // → 'en'
 */
export function chooseLanguage(text: string | undefined, languageCode: string | undefined): AnswerLang {
  const words = (text ?? '').replace(/^\/\S+/, '').replace(/@\w+/g, '');
  if (/[\p{Script=Han}A-Za-z]/u.test(words)) return detectLanguage(words);
  const code = (languageCode ?? '').toLowerCase();
  if (/^zh-(hant|tw|hk|mo)/.test(code)) return 'zh-Hant';
  if (code.startsWith('zh')) return 'zh';
  if (code !== '') return 'en';
  return 'zh';
}
