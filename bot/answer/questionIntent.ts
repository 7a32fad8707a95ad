/**
 * What a question asks for, apart from what it is about: a value (an amount, a count, a date, a
 * place, a person, a reason), a plan, a list across letters, the verbatim line, or a fact about the
 * letter itself (its number, signer, dates, issuer, result class). The topic is what the search
 * matches; the intent decides which sentence answers, which lines may be quoted, and what
 * "not stated" means. Closed tables of general wording in Simplified Chinese (Traditional and
 * Cantonese forms are folded first) and English.
 */
import { foldColloquial } from '../../index/lexical/questionScaffolding.ts';
import { asksAmount, asksPerson } from '../../index/lexical/analyzeQuery.ts';
import { normalizeForMatch } from '../../index/lexical/normalizeForMatch.ts';
import { isPlansQuestion } from './commitments.ts';
import { letterFactQuestions, type LetterFact } from './letterFacts.ts';
import { questionFocus } from './questionFocus.ts';

export type AskedValueKind = 'amount' | 'count' | 'date' | 'place' | 'person' | 'reason' | 'name';

export interface QuestionIntent {
  /** The kind of value asked for, if any. */
  value?: AskedValueKind;
  /** What will be done next (commitments). */
  plan: boolean;
  /** Which letters / places / cities: one best quote per letter. */
  list: boolean;
  /** The exact sentence is wanted (原句, 原文, verbatim, exact wording). */
  verbatim: boolean;
  /** Facts about the letter itself, answered from its header or signature (empty: none). */
  letterFacts: LetterFact[];
  /** Contact lines (联系人, 电话, who handled it) are the answer, not boilerplate. */
  contact: boolean;
  /** The proposal as submitted (its title, what the member asked for) is the answer. */
  proposal: boolean;
  /** When something is (to be) finished, opened or put into service. */
  completion: boolean;
  /** Who handled the proposal: the lead office, co-handlers, the departments consulted. */
  handler: boolean;
  /** What something consists of (具体包括什么, 包括哪些, what does it include). */
  contents: boolean;
  /** Who does something (由谁审批, 谁负责, who approves / builds / pays): the body responsible is the answer. */
  agent: boolean;
  /** Who made the proposal (哪位委员, which deputy, who proposed): the salutation naming the addressees answers. */
  proposer: boolean;
  /** A count or amount asked as it stands now (现在有几个, how many … now): the latest figure answers. */
  current: boolean;
}

const LIST_ZH = /哪些(地方|地区|城市|区县|区|县|市|部门|单位|答复|复函|回复)|哪几(份|个区|个县|个市|个地方|家单位|个部门)|哪两(个|份)(地方|区|县|市|答复)?|有哪些.{0,12}(答复|复函|回复)|几份(答复|复函)|分别是|分别(在|讲|说)/;
const LIST_EN = /\bwhich (?:replies|letters|responses|cities|places|districts|counties|towns|provinces|areas|localities|governments)\b|\ball of them\b|\bboth (?:replies|letters)\b|\bquote both\b|\bwhich (?:\w+ ){0,3}(?:replies|letters)\b|\bany (?:replies|letters) (?:that )?(?:mention|talk|deal)/i;
const VERBATIM_ZH = /原句|原文|原话|原稿|引用|引述|逐字|一字不差|怎么写的|怎么说的|点写/;
const VERBATIM_EN = /\bverbatim\b|\bexact (?:wording|words|sentence|quote|phrase|phrasing|text|line)\b|\bword for word\b|\b(?:want|need) to quote\b|\bquote (?:it|this|that|both|them)\b|\bquote please\b|\bexact(?:ly)? what\b/i;
const CONTACT_ZH = /联系人|联系电话|联系方式|电话|承办人|经办人|办理人|联系单位/;
const CONTACT_EN = /\bcontact\b|\bphone\b|\btelephone\b|\bwho handled\b|\bcase officer\b|\bhandl(?:ed|ing) officer\b/i;
const PROPOSAL_ZH = /(提案|建议)(里|中|中的)?.{0,6}(建议|提出|要求|希望|诉求)|诉求|的(建议|提案)(?=[,，]|是|叫)|委员.{0,6}(建议|提出|要求)|代表.{0,6}(建议|提出|要求)/;
const PROPOSAL_EN = /\bwhat did (?:the )?(?:member|deputy|proposer|delegate)s? (?:propose|suggest|ask|want|call)\b|\bthe proposal (?:asked|called|proposed|suggested)\b|\b(?:propose|suggest)(?:s|ed)? (?:setting|that|building|creating)\b/i;
// When something will be (or was) finished, opened or put into service (什么时候建成, when will it open):
// a time answers it, best one next to the completion (于2026年底建成); a progress report does not.
const COMPLETION_ZH = /(什么时候|何时|哪一?年|几时|哪天|多久|啥时候)[^,，。?？]{0,12}(建成|建好|完工|竣工|投用|投入使用|开放|开业|开通|启用|营业|运营|交付|落成|接诊|上线|挂牌|完成)|(建成|完工|竣工|投用|开放|开业|开通|启用|营业|交付|落成)[^,，。?？]{0,4}(是)?(什么时候|何时|哪一?年|几时)/;
const COMPLETION_EN = /\bwhen\b[^;.?]{0,80}\b(?:open|opens|opened|opening|finish|finished|complete|completed|completion|ready|built|operational|in(?:to)? service|in(?:to)? use|start (?:operating|operation|seeing|treating)|up and running)\b/i;
const HANDLER_ZH = /主办|会办|协办|承办单位|牵头(单位|部门)|哪个(部门|单位)(办理|负责|承办|牵头)|(会同|征求|咨询|商量)了?哪些|(和|与|跟|同)哪些(部门|单位)|哪些(部门|单位)(共同|一起|一齐|参与|会商|研究)/;
const HANDLER_EN = /\b(?:lead |co-?)?handl(?:er|ers)\b|\b(?:which|what) (?:department|unit|agency|office|body|bureau)s? (?:handled|led|was in charge|took the lead)\b|\blead (?:unit|department|agency|office|body)\b|\bco-?handl\w*|\bconsult(?:ed|ing)?\b/i;
const CONTENTS_ZH = /具体[^,，。?？]{0,6}(什么|哪些)|包括(哪些|什么)|(包含|涵盖|涉及)(哪些|什么)|(有|是)哪些(内容|方面|项目|工程)|哪些方面|什么内容/;
const CONTENTS_EN = /\bwhat (?:does|do|did|will) [\w\s-]{1,40}? (?:include|involve|cover|consist of|comprise)\b|\bwhat (?:exactly )?(?:is|are|was|were|will be) (?:included|involved|covered|changed|renovated|upgraded)\b|\bwhat (?:work|works|changes|items|parts) (?:does|do|did|will|are|is|were)\b/i;
const AGENT_ZH = /由谁|谁(来)?(负责|审批|批准|编制|制定|建设|修建|出资|承担|管理|维护|实施|决定|组织|审核)|哪个(部门|单位|机关)(来)?(负责|审批|批准|编制|建设|管理|维护|实施)|责任(主体|单位|部门)/;
const AGENT_EN = /\bwho (?:draws?|drew|approves?|approved|builds?|built|pays?|paid|funds?|funded|decides?|decided|manages?|maintains?|implements?|organi[sz]es?|reviews?|plans?|designs?|(?:is|was|are|were) (?:responsible|in charge))\b|\bwhich (?:department|body|agency|office|authority|level of government) (?:approves?|builds?|pays?|funds?|maintains?|manages?|is responsible)\b/i;
// A value asked as it stands now (现在/目前有几个, how many … now / currently): a letter reporting a change
// (由6个扩容至10个) gives the current figure, the older one beside it does not.
const CURRENT_ZH = /现在|目前|如今|眼下|当前|现时|而家|至今|已经有/;
const CURRENT_EN = /\b(?:now|currently|at present|so far|to date|these days|as of)\b/i;
const REASON = /为什么|为何|什么原因|原因是|怎么还|\bwhy\b|\bwhat (?:is|was) the reason\b/i;
// English "where" as the question word (Where is…, …, and where will…), not a relative clause ("the sentence where the bureau says…").
const PLACE = /在哪里|在哪儿|在哪|什么地方|何处|哪个地方|(?:^|[,;:.?!-]\s*|\band\s)where\b|\bwhich (?:road|street|lane|village|town|township|county|district|city|province|site|location|building)\b|哪(?:条|个|座)(?:路|街|道|村|镇|乡|县|区|市|地方|位置)|\bwhere (?:is|are|was|were|will|would|does|do|did|has|have|had|can|could|should)\b/i;

// The name of a thing (叫什么名字, 名称是什么; what is it called, the names of): persons are asked
// apart (asksPerson), so this is a road, a project, a school…
const NAME_ZH = /叫什么(名字|名称)?|什么名字|(名字|名称)(是|叫)什么|的(名字|名称)[?？]?$/;
const NAME_EN = /\bwhat (?:is|are|was|were) (?:it|they|the [\w\s-]{1,60}?) called\b|\b(?:the |their |its )?names? of (?:the |those |these )?/i;

/**
 * The intent of a question.
 *
 * @example
 * questionIntent('考古遗址公园写进规划的那句，请给原句。').verbatim // → true
 * questionIntent('哪几个区回复过加装电梯的事？').list                // → true
 * questionIntent('高平那份答复，文号是多少？').letterFacts           // → ['docNumber']
 */
export function questionIntent(question: string): QuestionIntent {
  const zh = foldColloquial(normalizeForMatch(question));
  const letterFacts = letterFactQuestions(question);
  const focus = questionFocus(zh);
  let value: AskedValueKind | undefined;
  if (asksAmount(zh)) value = 'amount';
  else if (asksPerson(zh)) value = 'person';
  else if (REASON.test(question) || REASON.test(zh)) value = 'reason';
  else if (focus === 'date') value = 'date';
  else if (focus === 'number') value = 'count';
  else if (PLACE.test(question) || PLACE.test(zh)) value = 'place';
  else if (NAME_ZH.test(zh) || NAME_EN.test(question)) value = 'name';
  return {
    value,
    plan: isPlansQuestion(question),
    list: LIST_ZH.test(zh) || LIST_EN.test(question),
    verbatim: VERBATIM_ZH.test(zh) || VERBATIM_EN.test(question),
    letterFacts,
    contact: CONTACT_ZH.test(zh) || CONTACT_EN.test(question),
    proposal: PROPOSAL_ZH.test(zh) || PROPOSAL_EN.test(question),
    completion: value === 'date' && (COMPLETION_ZH.test(zh) || COMPLETION_EN.test(question)),
    handler: HANDLER_ZH.test(zh) || HANDLER_EN.test(question),
    contents: CONTENTS_ZH.test(zh) || CONTENTS_EN.test(question),
    agent: AGENT_ZH.test(zh) || AGENT_EN.test(question),
    proposer: asksPerson(zh) === 'proposer',
    current: (value === 'count' || value === 'amount') && (CURRENT_ZH.test(zh) || CURRENT_EN.test(question)),
  };
}
