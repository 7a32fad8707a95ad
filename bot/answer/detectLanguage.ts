/**
 * Picks the language of the framing text (labels, headers, refusals) from the question itself:
 * the person asking reads the answer in the language they wrote in. Quotes are never translated.
 */
import * as OpenCC from 'opencc-js';
import type { AnswerLang } from '../answerTypes.ts';

const toSimplified = OpenCC.Converter({ from: 'tw', to: 'cn' });
const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });

const HAN = /\p{Script=Han}/u;
const LATIN_LETTER = /[A-Za-z]/;

/**
 * English when Latin letters clearly outweigh Chinese characters; Traditional Chinese when more
 * characters change under Traditional→Simplified than under Simplified→Traditional; else Simplified.
 * Comparing both directions keeps shared characters such as 著 (显著) from tipping Simplified text.
 *
 * @example
 * detectLanguage('what has Qingdao done with MOX?') // → 'en'
 * detectLanguage('重慶和澳門青年交流有哪些安排？')      // → 'zh-Hant'
 * detectLanguage('重庆和澳门青年交流有哪些安排？')      // → 'zh'
 */
export function detectLanguage(question: string): AnswerLang {
  let han = 0;
  let latin = 0;
  let traditional = 0;
  let simplified = 0;
  for (const ch of question) {
    if (LATIN_LETTER.test(ch)) latin++;
    else if (HAN.test(ch)) {
      han++;
      if (toSimplified(ch) !== ch) traditional++;
      if (toTraditional(ch) !== ch) simplified++;
    }
  }
  // An English word is ~5 letters where Chinese needs ~1–2 characters: weigh accordingly.
  if (han === 0 ? latin > 0 : latin >= 3 * han) return 'en';
  if (traditional > simplified) return 'zh-Hant';
  return 'zh';
}
