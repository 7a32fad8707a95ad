import chardet from 'chardet';
import iconv from 'iconv-lite';
import { looksBinary, nulParity, junkCharShare } from './detectBinary.ts';

/** Decoded text and the encoding it was read as, or why it could not be decoded. */
export type DecodeResult = { ok: true; text: string; encoding: string } | { ok: false; reason: string };

/**
 * Characters frequent in any Chinese prose (simplified and traditional forms). A correct decode
 * of a letter is full of them; a wrong multi-byte decode (GBK read as Big5, UTF-8 read as GBK…)
 * produces valid but rare characters instead.
 */
const FREQUENT_HAN = new Set(
  ('的一是不了在人有我他这个们中来上大为和国地到以说时要就出也得里后自会家可下而过天去能对小多然于心学么之都好看' +
    '起发当没成只如事把还用第样道想作种开美总从无情己面最女但现前些所同日手又行意动方期它头经长儿回位分老因很给' +
    '名法间知世什两次使身者被高已其进此话常与活正感工作展建设推加强市省县区政府部门提案建议答复关于办理委员代表' +
    '单位步服务管企业项目合问题况落实研究重点支持施相政策资金做好完善机制体系年月网站首页信息公开主动索引号文件' +
    '日期布机构分类办公室通知全面重要社会经济生产民共产党组织领导基本统计规划城乡镇村农业交路水电环境保护教育科' +
    '技文化卫健康医疗安全质量标准计划达到提高增长加快深化改革创新稳定协调保障落共享平台基础群众解决困难需求意见' +
    '明确责任任务目标措施制度规定条例法律依据申请审批程序监督检查考核评价报告材料数据系统网络运行维护使用设备设' +
    '施设置场所地方区域范围内外全部部分各级有关单独联系电话地址邮编传真电子邮箱附件抄送印发请您感谢关心支持理解' +
    '您好收悉现将情况如下此致敬礼特此函复同志先生女士市长局长主任处长科长书记委员会常务议会届次召开参加出席讨论' +
    '這個們來為國說時後會過對於麼發當沒從無現動經長兒間體進話關與題區縣門議員單處務項實點網頁資訊機構辦' +
    '衛療醫護護環境監督檢查規劃農業鄉鎮區縣財政稅務產業經濟發展建設學習區域問題處理報告')
    .split(''),
);

/** A decode candidate's quality: higher is better; `acceptable` says whether it is text at all. */
interface Quality {
  acceptable: boolean;
  score: number;
}

function isHan(code: number): boolean {
  return (code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf) || (code >= 0xf900 && code <= 0xfaff);
}

/** CJK text punctuation, fullwidth forms, general punctuation, Latin-1 letters: plausible non-ASCII. */
function isPlausibleNonAscii(code: number): boolean {
  return (
    isHan(code) ||
    (code >= 0x3000 && code <= 0x303f) ||
    (code >= 0xff00 && code <= 0xffef) ||
    (code >= 0x2000 && code <= 0x206f) ||
    (code >= 0x2460 && code <= 0x24ff) ||
    (code >= 0x2160 && code <= 0x217f) ||
    (code >= 0x00a0 && code <= 0x00ff) ||
    code === 0x2192 || code === 0x25cf || code === 0x25a0 || code === 0x2605 || code === 0x2606 || code === 0x00b7
  );
}

/**
 * Score a decoded text by its non-ASCII characters: the share that are plausible in a Chinese
 * document, minus replacement/control characters, plus a bonus for frequent Han characters.
 */
function judge(text: string): Quality {
  let nonAscii = 0;
  let plausible = 0;
  let han = 0;
  let frequent = 0;
  let bad = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) {
      if (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d && code !== 0x0c && code !== 0x0b) bad++;
      continue;
    }
    nonAscii++;
    if (code === 0xfffd || (code >= 0x80 && code <= 0x9f) || (code >= 0xe000 && code <= 0xf8ff)) bad++;
    else if (isPlausibleNonAscii(code)) plausible++;
    if (isHan(code)) {
      han++;
      if (FREQUENT_HAN.has(ch)) frequent++;
    }
  }
  if (nonAscii === 0) return { acceptable: bad === 0, score: bad === 0 ? 1 : 0 };
  const plausibleShare = plausible / nonAscii;
  const badShare = bad / Math.max(1, nonAscii);
  const frequentShare = han > 0 ? frequent / han : 0;
  return {
    acceptable: badShare < 0.02 && plausibleShare >= 0.85,
    score: plausibleShare - 10 * badShare + frequentShare,
  };
}

/** Encoding names as labelled by pages and chardet → the name iconv-lite decodes best with. */
function canonicalEncoding(name: string): string | null {
  const lower = name.trim().toLowerCase().replace(/_/g, '-');
  if (lower === 'utf8' || lower === 'utf-8' || lower === 'unicode-1-1-utf-8') return 'UTF-8';
  // GB2312 and GBK are subsets of GB18030; pages labelled gb2312 routinely contain GBK-only characters.
  if (['gb2312', 'gbk', 'gb18030', 'x-gbk', 'cp936', 'euc-cn', 'hz-gb-2312', 'ms936', 'windows-936', 'csgb2312'].includes(lower)) return 'GB18030';
  if (lower === 'big5' || lower === 'big5-hkscs' || lower === 'x-x-big5' || lower === 'cp950') return 'Big5';
  if (lower === 'utf-16' || lower === 'utf-16le') return 'UTF-16LE';
  if (lower === 'utf-16be') return 'UTF-16BE';
  if (lower === 'ascii' || lower === 'us-ascii') return 'UTF-8';
  return iconv.encodingExists(lower) ? name.trim() : null;
}

function decodeWith(bytes: Uint8Array, encoding: string): string {
  if (encoding === 'UTF-8') return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), encoding);
}

/** Strict UTF-8: throws on any invalid sequence instead of inserting U+FFFD. */
function strictUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

function bomEncoding(bytes: Uint8Array): { encoding: string; skip: number } | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'UTF-8', skip: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'UTF-16LE', skip: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'UTF-16BE', skip: 2 };
  return null;
}

function accepted(text: string, encoding: string): DecodeResult {
  return { ok: true, text, encoding };
}

/**
 * Decode a text file's bytes without assuming an encoding.
 *
 * Order: a byte-order mark decides; otherwise bytes that are valid UTF-8 are UTF-8 (a valid
 * multi-byte UTF-8 sequence almost never happens by chance in GBK); then the declared `hint`
 * (e.g. an HTML `<meta charset>`), GB18030, BOM-less UTF-16 and chardet's guesses are decoded
 * and judged by how much of the result is plausible Chinese text, best first. GBK misdetected
 * as Big5/EUC-KR/windows-1252 is the classic failure this judging prevents.
 * The BOM itself is never part of `text`.
 *
 * @example
 * decodeText(iconv.encode('关于第12号提案的答复', 'gbk'));
 * // { ok: true, text: '关于第12号提案的答复', encoding: 'GB18030' }
 * decodeText(Uint8Array.of(0, 1, 2, 3)); // { ok: false, reason: 'binary file' }
 */
export function decodeText(bytes: Uint8Array, hint?: string): DecodeResult {
  const bom = bomEncoding(bytes);
  if (bom) {
    const body = bytes.subarray(bom.skip);
    const text = bom.encoding === 'UTF-8' ? (strictUtf8(body) ?? decodeWith(body, 'GB18030')) : decodeWith(body, bom.encoding);
    if (junkCharShare(text) > 0.1) return { ok: false, reason: 'binary file' };
    return accepted(text, bom.encoding);
  }

  const parity = nulParity(bytes);
  if (parity === 'even' || parity === 'odd') {
    // BOM-less UTF-16: ASCII characters put their zero byte on one side only.
    const encoding = parity === 'odd' ? 'UTF-16LE' : 'UTF-16BE';
    if (bytes.length % 2 === 0) {
      const text = decodeWith(bytes, encoding);
      if (judge(text).acceptable && junkCharShare(text) < 0.02) return accepted(text, encoding);
    }
    return { ok: false, reason: 'binary file' };
  }
  if (looksBinary(bytes)) return { ok: false, reason: 'binary file' };

  const utf8 = strictUtf8(bytes);
  if (utf8 !== null) return accepted(utf8, 'UTF-8');

  // Tiers, tried in order; within a tier the best-scoring clean decode wins. GB18030 and Big5 come
  // before chardet's other guesses: short GBK text ("网站首页") decodes just as cleanly as EUC-KR
  // Hanja or Shift_JIS kanji, and in a corpus of Chinese government letters those are the mistakes.
  const hinted = hint ? canonicalEncoding(hint) : null;
  const others: string[] = [];
  for (const guess of chardet.analyse(bytes)) {
    const name = canonicalEncoding(guess.name);
    if (name && name !== 'UTF-8' && name !== 'GB18030' && name !== 'Big5' && guess.confidence >= 10) others.push(name);
  }
  const tiers = [hinted && hinted !== 'UTF-8' ? [hinted] : [], ['GB18030', 'Big5'], others];

  let best: { text: string; encoding: string; score: number } | null = null;
  for (const tier of tiers) {
    for (const encoding of tier) {
      let text: string;
      try {
        text = decodeWith(bytes, encoding);
      } catch {
        continue;
      }
      const quality = judge(text);
      if (!quality.acceptable) continue;
      // Simplified Chinese is the corpus's language: Big5 must beat GB18030 clearly.
      const score = quality.score + (encoding === 'GB18030' ? 0.15 : 0);
      if (!best || score > best.score) best = { text, encoding, score };
    }
    if (best) break;
  }
  if (!best) return { ok: false, reason: 'undecodable encoding' };
  return accepted(best.text, best.encoding);
}
