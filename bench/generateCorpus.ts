/**
 * The synthetic benchmark corpus: reply letters built by recombining sentences of the real letters with varied
 * issuers, places, addressees, numbers, proposal numbers and dates, in the real structure (title line, salutation
 * 「X委员：」, 「您提出的《关于…的提案》（第N号）收悉…现答复如下：」, 一、/（一） headings, 一是…二是… items, a 下一步工作计划
 * section, closing thanks, signature and date). Letter `i` depends only on (seed, i), so the 1,000-letter corpus is
 * the first thousand letters of the 10,000-letter one.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SeededRandom, seedOf } from './seededRandom.ts';
import { splitIntoSentences, type SentencePool } from './sentencePool.ts';

/** Bump when the generated text changes, so cached corpora are regenerated. */
export const CORPUS_GENERATOR_VERSION = 3;

export const CITIES = [
  '成都', '绵阳', '德阳', '宜宾', '泸州', '南充', '达州', '遂宁', '乐山', '眉山', '武汉', '宜昌', '襄阳', '荆州', '长沙', '株洲',
  '湘潭', '岳阳', '常德', '衡阳', '郴州', '合肥', '芜湖', '蚌埠', '淮南', '安庆', '阜阳', '南京', '苏州', '无锡', '常州', '徐州',
  '扬州', '杭州', '宁波', '温州', '绍兴', '嘉兴', '台州', '福州', '厦门', '泉州', '漳州', '南昌', '赣州', '九江', '济南', '青岛',
  '烟台', '潍坊', '临沂', '淄博', '郑州', '洛阳', '开封', '新乡', '南阳', '石家庄', '保定', '唐山', '邯郸', '太原', '大同', '晋城',
  '沈阳', '大连', '鞍山', '盘锦', '长春', '吉林', '哈尔滨', '大庆', '西安', '宝鸡', '咸阳', '兰州', '天水', '西宁', '银川', '昆明',
  '曲靖', '大理', '贵阳', '遵义', '南宁', '柳州', '桂林', '海口', '三亚', '广州', '深圳', '佛山', '东莞', '珠海', '汕头', '湛江',
];

/** Place names in the real letters that are swapped for the letter's own city. */
const REAL_PLACES = ['重庆市', '重庆', '青岛市', '青岛', '淮南市', '淮南', '苍溪县', '苍溪', '衡阳市', '衡阳', '汨罗市', '汨罗', '莒南县', '莒南', '怀远县', '怀远', '北碚区', '北碚', '大足区', '大足', '沙坪坝区', '沙坪坝', '高平市', '高平', '新密市', '新密', '鞍山市', '鞍山', '遂宁市', '遂宁', '盘山县', '盘山', '新宾县', '新宾', '金川县', '金川'];
const PLACE_PATTERN = new RegExp(REAL_PLACES.join('|'), 'g');

const DEPARTMENTS: { name: string; topics: string[] }[] = [
  { name: '交通运输局', topics: ['农村公路建设', '公交线路优化', '道路安全设施', '物流配送体系', '城乡客运一体化'] },
  { name: '文化和旅游局', topics: ['文旅融合发展', '非物质文化遗产保护', '乡村旅游', '公共文化服务', '历史文化街区保护'] },
  { name: '教育局', topics: ['校车安全管理', '中小学课后服务', '学校周边交通', '乡村教师队伍建设', '学前教育普惠'] },
  { name: '卫生健康委员会', topics: ['基层医疗服务', '家庭医生签约', '老年健康服务', '妇幼保健', '公共卫生应急'] },
  { name: '公安局', topics: ['交通秩序整治', '电动自行车管理', '停车秩序管理', '社会治安防控', '户籍便民服务'] },
  { name: '住房和城乡建设局', topics: ['老旧小区改造', '既有住宅加装电梯', '保障性住房', '城市排水防涝', '物业服务管理'] },
  { name: '农业农村局', topics: ['高标准农田建设', '农产品品牌培育', '农村人居环境整治', '种业振兴', '农民增收'] },
  { name: '商务局', topics: ['消费市场提振', '外贸企业稳增长', '跨境电商发展', '县域商业体系', '会展经济'] },
  { name: '生态环境局', topics: ['大气污染防治', '河湖水质提升', '土壤污染治理', '噪声污染管控', '生态保护修复'] },
  { name: '民政局', topics: ['社区养老服务', '困难群众救助', '殡葬服务改革', '儿童福利保障', '社会组织培育'] },
  { name: '人力资源和社会保障局', topics: ['高校毕业生就业', '技能人才培养', '农民工权益保障', '灵活就业社保', '创业担保贷款'] },
  { name: '市场监督管理局', topics: ['食品安全监管', '特种设备安全', '个体工商户扶持', '知识产权保护', '价格监督检查'] },
  { name: '城市管理局', topics: ['占道经营治理', '生活垃圾分类', '城市照明', '市容环境整治', '公共停车泊位'] },
  { name: '发展和改革委员会', topics: ['营商环境优化', '重大项目建设', '民营经济发展', '区域协调发展', '数字经济发展'] },
  { name: '人民政府港澳事务办公室', topics: ['港澳青年交流', '经贸合作对接', '港澳人才引进', '人文交流活动', '合作平台建设'] },
];

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红波建国志宏海林峰云飞鹏辉亮晨晓雪琳婷慧颖欣怡宇浩然思源文博子涵嘉俊';
const VERBS = ['推进', '加强', '完善', '落实', '优化', '深化', '强化', '提升', '拓展', '健全', '规范', '加快'];
const OBJECT_SUFFIXES = ['工作机制', '服务保障', '基础设施建设', '监督管理', '政策支持', '宣传引导', '协调联动', '资金投入'];
const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const ORDINAL_ITEMS = ['一是', '二是', '三是', '四是', '五是'];

/** What a generated letter says about itself (for questions and checks). */
export interface GeneratedLetterInfo {
  file: string;
  issuer: string;
  city: string;
  topic: string;
  proposal: string;
  kind: 'proposal' | 'suggestion';
  addressee: string;
  date: string;
  /** Item leads used in the letter (short, quotable). */
  leads: string[];
}

function personName(rng: SeededRandom): string {
  const given = rng.next() < 0.6 ? rng.pick([...GIVEN]) + rng.pick([...GIVEN]) : rng.pick([...GIVEN]);
  return rng.pick([...SURNAMES]) + given;
}

function varyNumbers(sentence: string, rng: SeededRandom): string {
  const dated = sentence.replace(/\d{1,2}(?=月)/g, () => String(rng.int(1, 12))).replace(/(?<=月)\d{1,2}(?=日)/g, () => String(rng.int(1, 28)));
  return dated.replace(/(?<![\d月])\d+(\.\d+)?(?![月日\d])/g, (digits) => {
    if (/^(19|20)\d\d$/.test(digits)) return String(rng.int(2016, 2025));
    if (digits.includes('.')) return `${rng.int(1, 99)}.${rng.int(1, 9)}`;
    const len = Math.min(digits.length, 5);
    return String(rng.int(len === 1 ? 1 : 10 ** (len - 1), 10 ** len - 1));
  });
}

function vary(sentence: string, city: string, rng: SeededRandom): string {
  const placed = sentence.replace(PLACE_PATTERN, (place) => (rng.next() < 0.8 ? city + (/[市县区]$/.test(place) ? place.slice(-1) : '') : place));
  return varyNumbers(placed, rng);
}

function phrase(topic: string, rng: SeededRandom): string {
  return `${rng.pick(VERBS)}${rng.next() < 0.5 ? topic : topic.slice(0, 2)}${rng.pick(OBJECT_SUFFIXES)}`;
}

/** A paragraph of `min..max` sentences, at most `maxChars` long. */
function paragraph(sentences: string[], city: string, rng: SeededRandom, min: number, max: number, maxChars: number): string {
  const n = rng.int(min, max);
  let out = '';
  for (let i = 0; i < n; i++) {
    const s = vary(rng.pick(sentences), city, rng);
    if (out && out.length + s.length > maxChars) break;
    out += s;
  }
  return out;
}

/**
 * The text (front matter included) of synthetic letter `i`.
 *
 * @example
 * const { text, info } = generateLetter(pool, 7, 1);
 * text.includes('现答复如下') // → true
 */
export function generateLetter(pool: SentencePool, i: number, seed = 1): { text: string; info: GeneratedLetterInfo } {
  const rng = new SeededRandom(seedOf(`letter-${seed}`, i));
  const city = rng.pick(CITIES);
  const dept = rng.pick(DEPARTMENTS);
  const topic = rng.pick(dept.topics);
  const issuer = `${city}市${dept.name}`;
  const kind = rng.next() < 0.5 ? 'proposal' : 'suggestion';
  const body = kind === 'proposal' ? '政协' : '人大';
  const session = kind === 'proposal' ? `市政协${rng.pick(NUMERALS)}届${rng.pick(NUMERALS.slice(0, 5))}次会议` : `市${rng.int(14, 18)}届人大${rng.pick(NUMERALS.slice(0, 5))}次会议`;
  const proposal = rng.next() < 0.15 ? `${rng.pick(['D', 'DH', 'J'])}${String(rng.int(1, 999)).padStart(3, '0')}` : String(rng.int(1, 1500)).padStart(rng.next() < 0.5 ? 4 : 1, '0');
  const addressees = Array.from({ length: rng.next() < 0.8 ? 1 : rng.int(2, 3) }, () => personName(rng));
  const role = kind === 'proposal' ? '委员' : '代表';
  const year = rng.int(2018, 2025);
  const date = `${year}-${String(rng.int(3, 11)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
  const [y, m, d] = date.split('-').map(Number);
  const docKind = kind === 'proposal' ? '提案' : '建议';
  const title = `关于${phrase(topic, rng)}的${docKind}`;
  const consulted = rng.sample(DEPARTMENTS.filter((x) => x !== dept).map((x) => `市${x.name.replace(/^人民政府/, '')}`), rng.int(1, 3));

  const lines: string[] = [];
  lines.push('---', `source: https://www.${seedOf(city, 0).toString(36)}.gov.cn/zwgk/jytabl/${seed}-${i}.html`, '---');
  lines.push(`${issuer}关于${session}第${proposal}号${docKind}的${rng.next() < 0.5 ? '复函' : '答复函'}`);
  lines.push(`${addressees.map((a) => a + role).join('、')}：`);
  lines.push(
    `您${addressees.length > 1 ? '们' : ''}提出的《${title}》（第${proposal}号）收悉。` +
      `经与${consulted.join('、')}共同研究，现答复如下：`,
  );
  lines.push(paragraph(pool.body, city, rng, 2, 3, 260));

  const leads: string[] = [];
  const sectionCount = rng.int(2, 4);
  for (let s = 0; s < sectionCount; s++) {
    const heading = rng.next() < 0.5 && pool.headings.length ? vary(rng.pick(pool.headings), city, rng) : `${phrase(topic, rng)}，${phrase(topic, rng)}`;
    lines.push(`${NUMERALS[s]}、${heading}`);
    const items = rng.int(2, 3);
    const subHeadings = rng.next() < 0.3;
    for (let k = 0; k < items; k++) {
      const lead = rng.next() < 0.5 ? vary(rng.pick(pool.leads), city, rng) : `${phrase(topic, rng)}。`;
      leads.push(lead.replace(/。$/, ''));
      const text = paragraph(pool.body, city, rng, 2, 4, 340);
      if (subHeadings) lines.push(`（${NUMERALS[k]}）${lead.replace(/。$/, '')}`, text);
      else lines.push(`${ORDINAL_ITEMS[k]}${lead}${text}`);
    }
  }
  lines.push(`${NUMERALS[sectionCount]}、下一步工作计划`);
  const planItems = rng.int(2, 3);
  for (let k = 0; k < planItems; k++) {
    lines.push(`${ORDINAL_ITEMS[k]}${phrase(topic, rng)}。${paragraph(pool.plans, city, rng, 2, 3, 300)}`);
  }
  const closing = pool.closings.length ? vary(rng.pick(pool.closings), city, rng) : '感谢您对我们工作的关心和支持。';
  lines.push(closing);
  if (rng.next() < 0.5) lines.push(`联系人：${personName(rng)}`, `联系电话：0${rng.int(100, 999)}-${rng.int(1000000, 9999999)}`);
  lines.push('', issuer, `${y}年${m}月${d}日`);
  const file = `letter-${String(i).padStart(5, '0')}.txt`;
  return { text: `${lines.join('\n')}\n`, info: { file, issuer, city, topic, proposal, kind, addressee: addressees[0], date, leads } };
}

/**
 * The folder of a generated corpus of `size` letters under `root`, generated once: written to a temporary folder
 * and renamed into place, so an interrupted run never leaves half a corpus that looks complete.
 *
 * @example const dir = await ensureBenchCorpus(pool, 1000, '.cache/bench-corpus');
 */
export async function ensureBenchCorpus(pool: SentencePool, size: number, root: string, seed = 1): Promise<{ dir: string; generated: boolean; ms: number }> {
  const started = performance.now();
  const dir = path.join(root, `v${CORPUS_GENERATOR_VERSION}-s${seed}-${size}`);
  if (existsSync(dir) && (await readdir(dir)).length === size) return { dir, generated: false, ms: performance.now() - started };
  const temp = `${dir}.tmp-${process.pid}`;
  await rm(temp, { recursive: true, force: true });
  await mkdir(temp, { recursive: true });
  for (let i = 0; i < size; i++) {
    const { text, info } = generateLetter(pool, i, seed);
    await writeFile(path.join(temp, info.file), text);
  }
  await rm(dir, { recursive: true, force: true });
  await rename(temp, dir);
  return { dir, generated: true, ms: performance.now() - started };
}

/** The info of letters 0..size-1 (cheap: regenerates text in memory). @example generatedInfos(pool, 1000) */
export function generatedInfos(pool: SentencePool, size: number, seed = 1): GeneratedLetterInfo[] {
  return Array.from({ length: size }, (_, i) => generateLetter(pool, i, seed).info);
}

export { splitIntoSentences };
