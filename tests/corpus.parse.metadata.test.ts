/**
 * Metadata parsed from every real letter in tests/fixtures/letters/, against values checked by
 * reading each letter by hand.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LetterSchema, type Letter } from '../corpus/letter.ts';
import { parseLetter, parseLetterStrict } from '../corpus/parseLetter.ts';
import { readLetterFile } from '../corpus/read/readLetterFile.ts';

const DIR = path.join(import.meta.dirname, 'fixtures', 'letters');

interface Expected {
  issuer: string | null;
  proposal: string | null;
  date: string | null;
  addressees: string[];
  /** Exact title, or a substring it must contain (for titles composed when the page prints none). */
  title: string | { contains: string };
  kind: Letter['kind'];
  session?: string | null;
  published?: string | null;
  docNumber?: string | null;
  resultClass?: string | null;
  indexNumber?: string | null;
  contact?: { contains: string } | null;
  truncated: boolean;
  /** Where the issuer was read (Letter.provenance.issuer.from). */
  issuerFrom?: string;
}

const EXPECTED: Record<string, Expected> = {
  '000a_chongqing-gangao-0963hao-tian.txt': {
    issuer: '重庆市人民政府港澳事务办公室', proposal: '0963', date: '2024-05-27', addressees: ['贾瑞委员'],
    title: '重庆市人民政府港澳事务办公室关于市政协六届二次会议第0963号提案的复函', kind: 'cppcc-proposal',
    session: '市政协六届二次会议', published: '2024-07-24', indexNumber: '11500000MB1670436T/2024-00024', truncated: false,
  },
  '000b_qingdao-shanghe-mox-tian.txt': {
    issuer: '青岛市人民政府', proposal: null, date: '2024-06-28', addressees: ['陈捷委员'],
    title: { contains: '关于推进上合示范区与澳门联动发展的建议' }, kind: 'cppcc-proposal', session: null,
    published: '2024-08-26', indexNumber: '2528144605936926807', contact: { contains: '王尚' }, truncated: false,
  },
  '003_anju-jiaotong-48hao-jianyi.txt': {
    issuer: '遂宁市安居区交通运输局', proposal: '48', date: null,
    addressees: ['吴章平代表', '闫冰代表', '唐治禄代表', '叶晓华代表', '邱兴军代表', '简道富代表', '罗岚代表', '刘燕梅代表', '吕丽代表', '唐斌代表', '王军代表'],
    title: '遂宁市安居区交通运输局关于区人大四届二次会议第48号建议的复函', kind: 'npc-suggestion',
    session: '区人大四届二次会议', published: '2018-06-06', truncated: true,
  },
  '005_chongqing-gangao-0726hao-tian.txt': {
    issuer: '重庆市人民政府港澳事务办公室', issuerFrom: 'title', proposal: '0726', date: null, addressees: ['宋伟杰委员'],
    title: '重庆市人民政府港澳事务办公室关于市政协六届三次会议第0726号提案的复函', kind: 'cppcc-proposal',
    session: '市政协六届三次会议', published: '2025-08-25', indexNumber: '11500000MB1670436T/2025-00013', truncated: true,
  },
  '009_hunan-wenlv-1342hao-jianyi-huiban.txt': {
    issuer: '湖南省文化和旅游厅', proposal: '1342', date: '2021-04-13', addressees: ['省发改委'],
    title: '湖南省文化和旅游厅对省十三届人大四次会议第1342号建议的会办意见', kind: 'npc-suggestion',
    session: '省十三届人大四次会议', published: '2021-07-26', contact: { contains: '0731-84115683' }, truncated: false,
  },
  '010_gaoping-weijian-71hao-jianyi.txt': {
    issuer: '高平市卫生健康和体育局', proposal: '71', date: '2023-06-29', addressees: ['王爱珍代表'],
    title: '高平市卫生健康和体育局关于对市七届人大五次会议第71号建议的答复', kind: 'npc-suggestion',
    session: '市七届人大五次会议', docNumber: '高卫体发〔2023〕148号', truncated: false,
  },
  '011_hengyang-gongan-268hao-tian.txt': {
    issuer: '衡阳市公安局', issuerFrom: 'signature', proposal: '268', date: '2022-07-24', addressees: ['罗吉卿等3位委员'],
    title: '对衡阳市政协第十三届一次会议第268号提案的答复', kind: 'cppcc-proposal',
    session: '衡阳市政协第十三届一次会议', docNumber: '衡公提复〔2022〕12号', resultClass: 'A', truncated: false,
  },
  '012_miluo-jiaojing-12hao-tian.txt': {
    issuer: '汨罗市公安局交通警察大队', proposal: '12', date: '2023-05-18', addressees: ['胡敏委员', '仇艳辉委员', '瞿钟娜委员'],
    title: '关于汨罗市政协十一届二次会议第12号提案的答复', kind: 'cppcc-proposal',
    session: '汨罗市政协十一届二次会议', contact: { contains: '0730-5182231' }, truncated: false,
  },
  '015_huaiyuan-wenlv-D022hao-feiyi-tian.txt': {
    issuer: '怀远县文化和旅游局', proposal: 'D022', date: null, addressees: ['石昌艳委员'],
    title: '关于县政协十届五次会议第D022号提案的答复', kind: 'cppcc-proposal',
    session: '县政协十届五次会议', published: '2021-09-07', truncated: true,
  },
  '016_xinglongtai-chengguan-zaoshi-jianyi.txt': {
    issuer: '興隆臺區城市管理行政執法局', proposal: null, date: '2019-07-05', addressees: ['謝福源代表'],
    title: { contains: '早市' }, kind: 'npc-suggestion', session: null, truncated: false,
  },
  '018_chongqing-wenlv-1153hao-jianyi-diaoyucheng.txt': {
    // The page is cut before the signature; the date is the metadata block's 成文日期.
    issuer: '重庆市文化和旅游发展委员会', proposal: '1153', date: '2025-05-13', addressees: ['刘汉席代表'],
    title: '重庆市文化和旅游发展委员会关于市六届人大三次会议第1153号代表建议办理情况的答复函', kind: 'npc-suggestion',
    session: '市六届人大三次会议', published: '2025-07-09', docNumber: '渝文旅函字〔2025〕283号', resultClass: 'A',
    indexNumber: '11500000MB19069553/2025-00185', truncated: true,
  },
  '022_xinbin-jiaoyu-27hao-tian-qunuanfei.txt': {
    // Signature block is an unfilled template (承办单位: (公章) … 二0 年 月 日): no issuer, no date.
    issuer: null, issuerFrom: 'unknown', proposal: '27', date: null, addressees: ['林景华代表'],
    title: '对县九届政协一次会议第27号建议的答复', kind: 'cppcc-proposal',
    session: '县九届政协一次会议', published: '2018-08-22', truncated: false,
  },
  '024_panshan-19hao-jianyi-xuexiao-yongdu.txt': {
    // No body is written in the letter: the issuer is the site's host in the footer (主办单位:盤山縣人民政府), marked 'site owner'.
    issuer: '盤山縣人民政府', issuerFrom: 'site owner', proposal: '19', date: null, addressees: ['王福忠代表'],
    title: '對縣十七屆人大五次會議第19號建議的答復', kind: 'npc-suggestion',
    session: '县十七届人大五次会议', truncated: false,
  },
  '025_shapingba-jiaotong-DH0271-jianyi.txt': {
    issuer: '重庆市沙坪坝区交通运输委员会', proposal: 'DH0271', date: '2025-04-10', addressees: ['吴银剑代表'],
    title: '重庆市沙坪坝区交通运输委员会关于区十九届人大第六次会议第DH0271号建议办理情况的复函', kind: 'npc-suggestion',
    session: '区十九届人大第六次会议', truncated: false,
  },
};

async function parseFixture(name: string): Promise<Letter> {
  const read = await readLetterFile(path.join(DIR, name), { root: DIR });
  if (!read.ok) throw new Error(`${name}: ${read.reason}`);
  return parseLetterStrict(read.doc);
}

describe('letter metadata on the real fixtures', () => {
  it('has an expectation for every fixture', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.txt')).sort();
    expect(Object.keys(EXPECTED).sort()).toEqual(files);
  });

  for (const [name, want] of Object.entries(EXPECTED)) {
    it(name, async () => {
      const letter = await parseFixture(name);
      expect(() => LetterSchema.parse(letter)).not.toThrow();
      expect(letter.issuer, 'issuer').toBe(want.issuer);
      if (want.issuerFrom) expect(letter.provenance?.issuer?.from, 'issuer provenance').toBe(want.issuerFrom);
      if (!want.issuer) expect(letter.provenance?.issuer?.reason, 'why the issuer is unknown').toBeTruthy();
      expect(letter.proposal, 'proposal').toBe(want.proposal);
      expect(letter.date, 'date').toBe(want.date);
      expect(letter.addressees, 'addressees').toEqual(want.addressees);
      if (typeof want.title === 'string') expect(letter.title, 'title').toBe(want.title);
      else expect(letter.title, 'title').toContain(want.title.contains);
      expect(letter.kind, 'kind').toBe(want.kind);
      expect(letter.truncated, 'truncated').toBe(want.truncated);
      if (want.session !== undefined) expect(letter.session, 'session').toBe(want.session);
      if (want.published !== undefined) expect(letter.published, 'published').toBe(want.published);
      if (want.docNumber !== undefined) expect(letter.docNumber, 'docNumber').toBe(want.docNumber);
      if (want.resultClass !== undefined) expect(letter.resultClass, 'resultClass').toBe(want.resultClass);
      if (want.indexNumber !== undefined) expect(letter.indexNumber, 'indexNumber').toBe(want.indexNumber);
      if (want.contact) expect(letter.contact ?? '', 'contact').toContain(want.contact.contains);
      // The signature date people ask about stays in the quotable text.
      if (want.date && !want.truncated && letter.date !== null) expect(letter.text).toMatch(/\d{4}年\d{1,2}月\d{1,2}日|\d{7,8}\s*$|\d{7,8}\n/);
    });
  }

  it('front matter overrides what the page says', async () => {
    const read = await readLetterFile(path.join(DIR, '011_hengyang-gongan-268hao-tian.txt'), { root: DIR });
    if (!read.ok) throw new Error(read.reason);
    const letter = parseLetter({ ...read.doc, frontMatter: { ...read.doc.frontMatter, issuer: '某某局', date: '2022年8月1日', proposal: 'X1', title: '某标题' } });
    expect(letter.issuer).toBe('某某局');
    expect(letter.date).toBe('2022-08-01');
    expect(letter.proposal).toBe('X1');
    expect(letter.title).toBe('某标题');
    expect(letter.source).toBe('https://www.hengyang.gov.cn/gaj/xxgk/jyta/20220905/i2784844.html');
  });
});

describe('the pieces, on forms seen on real pages', () => {
  it('parses dates in Arabic and Chinese numerals, and garbled ones', async () => {
    const { parseDate } = await import('../corpus/parse/parseDate.ts');
    const cases: [string, string | null][] = [
      ['2024年5月27日', '2024-05-27'],
      ['2024-07-24', '2024-07-24'],
      ['2021-09-07 10:36', '2021-09-07'],
      ['2024.5.27', '2024-05-27'],
      ['二〇一七年三月五日', '2017-03-05'],
      ['二0一七年十二月三十一日', '2017-12-31'],
      ['二○二三年十月一日', '2023-10-01'],
      ['2023518', '2023-05-18'],
      ['20231105', '2023-11-05'],
      ['二0 年 月 日', null],
      ['2023年2月30日', null],
      ['19990868', null],
    ];
    for (const [input, want] of cases) expect(parseDate(input), input).toBe(want);
  });

  it('reads addressees from salutations', async () => {
    const { parseAddressees } = await import('../corpus/parse/addressees.ts');
    expect(parseAddressees('王义代表:')).toEqual(['王义代表']);
    expect(parseAddressees('赵劲松、吴代文、佘正义委员:')).toEqual(['赵劲松委员', '吴代文委员', '佘正义委员']);
    expect(parseAddressees('罗吉卿等3位委员:')).toEqual(['罗吉卿等3位委员']);
    expect(parseAddressees('尊敬的朱杰代表:')).toEqual(['朱杰代表']);
    expect(parseAddressees('省发改委:')).toEqual(['省发改委']);
    expect(parseAddressees('吴章平、闫 冰代表：')).toEqual(['吴章平代表', '闫冰代表']);
    expect(parseAddressees('尚路鹏(等4位)代表:')).toEqual(['尚路鹏(等4位)代表']);
    expect(parseAddressees('姜欣（等10位）代表：')).toEqual(['姜欣（等10位）代表']);
    const { parseLetterStrict: parse } = await import('../corpus/parseLetter.ts');
    const letter = parse({ file: 'a.txt', id: 'a', format: 'txt', frontMatter: {}, text: '关于第5号建议的答复\n尚路鹏(等4位)代表:\n你们提出的建议收悉。' });
    expect(letter.addressees).toEqual(['尚路鹏(等4位)代表']);
    expect(letter.text.slice(letter.header?.end ?? 0).trim().startsWith('尚路鹏(等4位)代表:')).toBe(true);
  });

  it('takes the kind from the body (政协/提案 vs 人大) over the salutation word', async () => {
    const { parseLetterStrict: parse } = await import('../corpus/parseLetter.ts');
    const kindOf = (text: string) => parse({ file: 'a.txt', id: 'a', format: 'txt', frontMatter: {}, text }).kind;
    expect(kindOf('张三代表:\n您在县政协十届二次会议期间提出的提案收悉。')).toBe('cppcc-proposal');
    expect(kindOf('张三代表:\n您提出的关于修路的提案收悉，现答复如下。')).toBe('cppcc-proposal');
    expect(kindOf('张三委员:\n您在区人大五届二次会议上提出的建议收悉。')).toBe('npc-suggestion');
    expect(kindOf('张三代表:\n您提出的关于修路的建议收悉。')).toBe('npc-suggestion');
    expect(kindOf('张三委员:\n您提出的《关于修路的建议》收悉。')).toBe('cppcc-proposal');
  });

  it('reads proposal numbers and sessions as written', async () => {
    const { findProposalNumber, findSession } = await import('../corpus/parse/proposal.ts');
    const numbers: [string, string | null][] = [
      ['第0963号', '0963'], ['第D022号提案', 'D022'], ['第DH0271号', 'DH0271'], ['2023J0612', '2023J0612'],
      ['《关于…的建议》(27号)答复', '27'], ['第1342号建议', '1342'], ['高卫体发〔2023〕148号', null], ['G51038-2015', null],
      ['提案第 20190084 号', '20190084'], ['关于第20232006号提案的答复', '20232006'], ['对第20230158号建议的答复', '20230158'],
      ['第 2019 0084 号', '20190084'], ['提案编号：20190084', '20190084'],
      ['对区人大第次会议第30 代表建议的答复', '30'], ['第3次会议', null],
    ];
    for (const [input, want] of numbers) expect(findProposalNumber(input), input).toBe(want);
    const sessions: [string, string | null][] = [
      ['重庆市人民政府港澳事务办公室关于市政协六届二次会议第0963号提案的复函', '市政协六届二次会议'],
      ['遂宁市安居区交通运输局关于区人大四届二次会议第48号建议的复函', '区人大四届二次会议'],
      ['你们在县九届政协二次会议期间提出', '县九届政协二次会议'],
      ['对衡阳市政协第十三届一次会议第268号提案的答复', '衡阳市政协第十三届一次会议'],
      ['关于政协某某市江北区第五届委员会第二次会议第031号提案的复函', '政协某某市江北区第五届委员会第二次会议'],
      ['没有会议', null],
    ];
    for (const [input, want] of sessions) expect(findSession(input), input).toBe(want);
  });

  it('finds aliases in their usual forms', async () => {
    const { findAliases } = await import('../corpus/parse/aliases.ts');
    expect(findAliases('上合示范区管委会与中华(澳门)金融资产交易股份有限公司(以下简称“MOX”)签订了协议。')).toEqual([
      { short: 'MOX', full: '中华(澳门)金融资产交易股份有限公司' },
    ]);
    expect(findAliases('成立了重庆市港澳台大学生实习基地（以下简称“实习基地”）。')).toEqual([
      { short: '实习基地', full: '重庆市港澳台大学生实习基地' },
    ]);
    expect(findAliases('会同中国国际贸易促进委员会，以下简称贸促会，开展活动。')).toEqual([
      { short: '贸促会', full: '中国国际贸易促进委员会' },
    ]);
    expect(findAliases('粤港澳大湾区(简称“大湾区”)建设')).toEqual([{ short: '大湾区', full: '粤港澳大湾区' }]);
    expect(findAliases('他的名称是什么')).toEqual([]);
  });
});

describe('the same letter in other formats parses the same', () => {
  const FORMATS = path.join(import.meta.dirname, 'fixtures', 'formats');
  const PAIRS: [string, string][] = [
    ['chongqing-0726.html', '005_chongqing-gangao-0726hao-tian.txt'],
    ['miluo-12.gbk.html', '012_miluo-jiaojing-12hao-tian.txt'],
    ['gaoping-71.md', '010_gaoping-weijian-71hao-jianyi.txt'],
    ['hunan-1342.docx', '009_hunan-wenlv-1342hao-jianyi-huiban.txt'],
    ['anju-48.pdf', '003_anju-jiaotong-48hao-jianyi.txt'],
    ['hengyang-268.gb18030.txt', '011_hengyang-gongan-268hao-tian.txt'],
  ];
  for (const [file, txt] of PAIRS) {
    it(file, async () => {
      const read = await readLetterFile(path.join(FORMATS, file), { root: FORMATS });
      if (!read.ok) throw new Error(`${file}: ${read.reason}`);
      const letter = parseLetterStrict(read.doc);
      const want = EXPECTED[txt];
      expect(letter.issuer).toBe(want.issuer);
      expect(letter.proposal).toBe(want.proposal);
      expect(letter.date).toBe(want.date);
      expect(letter.addressees).toEqual(want.addressees);
      expect(letter.kind).toBe(want.kind);
      if (typeof want.title === 'string') expect(letter.title).toBe(want.title);
    });
  }
});
