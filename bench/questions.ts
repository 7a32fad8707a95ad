/**
 * Benchmark questions: the real dev questions (read at run time, never quoted in code) plus questions generated
 * from the synthetic letters in Simplified Chinese, Traditional Chinese and English. Deterministic for a seed.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as OpenCC from 'opencc-js';
import { pinyin } from 'pinyin-pro';
import { z } from 'zod';
import type { GeneratedLetterInfo } from './generateCorpus.ts';
import { SeededRandom, seedOf } from './seededRandom.ts';

export interface BenchQuestion {
  text: string;
  lang: 'zh' | 'zh-Hant' | 'en';
  origin: 'dev' | 'generated';
}

const DevQuestionSchema = z.object({ question: z.string().min(1), lang: z.string().optional() });

/**
 * The dev questions from a questions.jsonl file; [] when the file is absent. Bad lines are skipped.
 *
 * @example loadDevQuestions('../shared/eval/dev/questions.jsonl').length // → 74 when present
 */
export function loadDevQuestions(file: string): BenchQuestion[] {
  if (!existsSync(file)) return [];
  const out: BenchQuestion[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const q = DevQuestionSchema.parse(JSON.parse(line));
      const lang = q.lang === 'en' ? 'en' : /[們這說於與對為將區關經題機車開進運]/.test(q.question) ? 'zh-Hant' : 'zh';
      out.push({ text: q.question, lang, origin: 'dev' });
    } catch {
      // A malformed line is not worth failing a benchmark for.
    }
  }
  return out;
}

/** English names of the generated topics (they go through the engine's English → Chinese expansion). */
const TOPIC_ENGLISH: Record<string, string> = {
  农村公路建设: 'rural road construction', 公交线路优化: 'bus routes', 道路安全设施: 'road safety facilities', 物流配送体系: 'logistics and delivery',
  城乡客运一体化: 'urban and rural passenger transport', 文旅融合发展: 'culture and tourism', 非物质文化遗产保护: 'intangible cultural heritage',
  乡村旅游: 'rural tourism', 公共文化服务: 'public cultural services', 历史文化街区保护: 'historic districts', 校车安全管理: 'school bus safety',
  中小学课后服务: 'after-school services', 学校周边交通: 'traffic around schools', 乡村教师队伍建设: 'rural teachers', 学前教育普惠: 'preschool education',
  基层医疗服务: 'primary medical care', 家庭医生签约: 'family doctors', 老年健康服务: 'elderly health services', 妇幼保健: 'maternal and child health',
  公共卫生应急: 'public health emergencies', 交通秩序整治: 'traffic order', 电动自行车管理: 'electric bicycles', 停车秩序管理: 'parking management',
  社会治安防控: 'public security', 户籍便民服务: 'household registration', 老旧小区改造: 'old residential compounds', 既有住宅加装电梯: 'elevators in old buildings',
  保障性住房: 'affordable housing', 城市排水防涝: 'urban drainage and flooding', 物业服务管理: 'property management', 高标准农田建设: 'high-standard farmland',
  农产品品牌培育: 'agricultural brands', 农村人居环境整治: 'rural living environment', 种业振兴: 'seed industry', 农民增收: 'farmers income',
  消费市场提振: 'consumption', 外贸企业稳增长: 'foreign trade companies', 跨境电商发展: 'cross-border e-commerce', 县域商业体系: 'county commerce',
  会展经济: 'exhibitions', 大气污染防治: 'air pollution', 河湖水质提升: 'river and lake water quality', 土壤污染治理: 'soil pollution',
  噪声污染管控: 'noise pollution', 生态保护修复: 'ecological restoration', 社区养老服务: 'community elderly care', 困难群众救助: 'social assistance',
  殡葬服务改革: 'funeral services', 儿童福利保障: 'child welfare', 社会组织培育: 'social organisations', 高校毕业生就业: 'graduate employment',
  技能人才培养: 'skills training', 农民工权益保障: 'migrant workers rights', 灵活就业社保: 'social insurance for gig workers', 创业担保贷款: 'startup loans',
  食品安全监管: 'food safety', 特种设备安全: 'special equipment safety', 个体工商户扶持: 'small businesses', 知识产权保护: 'intellectual property',
  价格监督检查: 'price inspection', 占道经营治理: 'street vendors', 生活垃圾分类: 'waste sorting', 城市照明: 'street lighting',
  市容环境整治: 'city appearance', 公共停车泊位: 'public parking spaces', 营商环境优化: 'business environment', 重大项目建设: 'major projects',
  民营经济发展: 'private economy', 区域协调发展: 'regional development', 数字经济发展: 'digital economy', 港澳青年交流: 'Hong Kong and Macao youth exchanges',
  经贸合作对接: 'trade cooperation', 港澳人才引进: 'talent from Hong Kong and Macao', 人文交流活动: 'cultural exchanges', 合作平台建设: 'cooperation platforms',
};

const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });

function cityEnglish(city: string): string {
  const syllables = pinyin(city, { toneType: 'none', type: 'array' }).join('');
  return syllables.charAt(0).toUpperCase() + syllables.slice(1);
}

function chineseQuestion(info: GeneratedLetterInfo, rng: SeededRandom): string {
  const lead = rng.pick(info.leads);
  const docKind = info.kind === 'proposal' ? '提案' : '建议';
  switch (rng.int(0, 5)) {
    case 0:
      return `${info.issuer}对第${info.proposal}号${docKind}是怎么答复的？`;
    case 1:
      return `${info.city}在${info.topic}方面做了哪些工作？`;
    case 2:
      return `关于${lead}，${info.issuer}有什么具体措施？`;
    case 3:
      return `${info.city}${info.topic}下一步有什么计划？`;
    case 4:
      return `${info.addressee}${info.kind === 'proposal' ? '委员' : '代表'}提出的${docKind}办理得怎么样了？`;
    default:
      return `${lead}的情况如何？`;
  }
}

function englishQuestion(info: GeneratedLetterInfo, rng: SeededRandom): string {
  const topic = TOPIC_ENGLISH[info.topic] ?? 'public services';
  const city = cityEnglish(info.city);
  switch (rng.int(0, 3)) {
    case 0:
      return `What has ${city} done about ${topic}?`;
    case 1:
      return `What are the plans for ${topic} in ${city}?`;
    case 2:
      return `How did the reply to proposal ${info.proposal} address ${topic}?`;
    default:
      return `Which measures on ${topic} were promised next year?`;
  }
}

/**
 * `n` questions about the generated letters, cycling zh → zh-Hant → en.
 *
 * @example generateQuestions(infos, 100, 1).map((q) => q.lang) // → ['zh', 'zh-Hant', 'en', 'zh', …]
 */
export function generateQuestions(infos: GeneratedLetterInfo[], n: number, seed = 1): BenchQuestion[] {
  const out: BenchQuestion[] = [];
  for (let i = 0; i < n; i++) {
    const rng = new SeededRandom(seedOf(`question-${seed}`, i));
    const info = rng.pick(infos);
    const lang = (['zh', 'zh-Hant', 'en'] as const)[i % 3];
    const text = lang === 'en' ? englishQuestion(info, rng) : lang === 'zh' ? chineseQuestion(info, rng) : toTraditional(chineseQuestion(info, rng));
    out.push({ text, lang, origin: 'generated' });
  }
  return out;
}
