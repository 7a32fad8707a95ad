/**
 * The page furniture of government websites, as words: breadcrumbs (首页 > 政府信息公开 > …),
 * font-size and tool bars (字体 大 中 小 / 打印 / 关闭窗口 / 收藏 / 分享), downloads (下载Word 下载PDF),
 * editorial lines (编辑: … 审核: … 浏览次数: …), 公文时效, site footers (主办单位 / 承办单位 / 地址 /
 * 联系电话 / 网站标识码 / ICP), 上一篇 / 下一篇 and related links. One home for that vocabulary:
 * line classification (lineKinds.ts) and the junk test for titles and issuers use it; the HTML reader
 * finds the same things by structure as well.
 *
 * All patterns run on search forms (searchForm.ts: Simplified, full-width folded to ASCII).
 */

/** 首页 > 政务公开 > …, 您当前的位置: … */
export const BREADCRUMB = /(首页|主页|网站首页)\s*(>|»|›|→|\/|-{1,2}|·)|(>|»|›)\s*(首页|政务公开|信息公开|政府信息公开|互动交流|建议提案)|您?(当前|现在)的?(所在)?位置|当前位置|所在位置/;

/** Tool and share bars, downloads, paging, related links, site switches: furniture wherever it appears. */
const TOOL_WORDS =
  /下载\s*(word|pdf|wps|ofd|文档|全文|原文)|(word|pdf|wps|ofd)\s*(版|格式|文档)?\s*下载|关闭窗口|关闭本页|关闭页面|打印本页|打印此页|打印本文|打印文章|加入收藏|收藏本页|收藏本站|设为首页|分享到|分享至|返回顶部|返回首页|上一篇|下一篇|上一条|下一条|相关链接|相关阅读|相关文章|扫一扫在手机|在手机(上)?打开|换肤|退出\s*帮助|字体\s*[:]?\s*[\[【(]?\s*大\s*[\]】)]?\s*[\[【(]?\s*中|字号\s*[:]?\s*[\[【(]?\s*[大中小]|【\s*(大|中|小|打印|关闭|返回|字号|字体)\s*】|无障碍(浏览|阅读|模式|版)|关怀版|长者版/i;

/** Editorial and counter fields printed around an article: never the letter's metadata. */
const EDITORIAL = /(责任编辑|编辑|审核|校对|浏览次数|浏览量|阅读次数|访问量|访问次数|点击数|点击量|点击率|公文时效|发布单位|发布时间|发布日期)\s*[:]/;

/** Site-footer labels: who runs the website and how to reach it. */
export const SITE_FOOTER_LABEL = /主办单位|承办单位|协办单位|技术支持|运维单位|维护单位|网站标识码|ICP\s*备|ICP\s*证|公网安备|版权所有|Copyright|©|网站地图|联系我们/i;

/** Labels of the page's metadata block: in a title or issuer they mean a field line was taken whole. */
const FIELD_LABEL = /(索引号|标题|名称|发文字号|文号|发文机关|发布机构|成文日期|主题分类|体裁分类|组配分类|来源|信息来源|有效性)\s*[:|]|[\[【]\s*(索引号|发文字号|发布机构|成文日期|发布日期)/;

/**
 * A short line made only of furniture tokens: `退出 帮助 换肤`, `打印 | 关闭`, `微信 微博 QQ空间`,
 * `字体: 大 中 小`. Each word alone may be ordinary (帮助, 关闭 in a letter), so only a whole line of
 * them counts.
 */
const TOKEN = new Set([
  '首页', '网站首页', '退出', '帮助', '换肤', '登录', '注册', '无障碍', '关怀版', '长者版', '繁体', '简体', '繁體', 'english', '手机版',
  '打印', '关闭', '收藏', '分享', '微信', '微博', 'qq', 'qq空间', '大', '中', '小', '字体', '字号', '搜索', '高级搜索', '站内搜索',
  '返回', '顶部', '下载', 'word', 'pdf', '纠错', '我要纠错', '评论', '点赞', '复制链接', '二维码', '扫一扫', '邮件', '短信', '默认',
]);

/**
 * Is this (short) line page furniture by its words alone?
 * @example isFurnitureLine('下载Word 下载PDF') // true
 * @example isFurnitureLine('退出 帮助 换肤') // true
 * @example isFurnitureLine('我局将帮助企业退出落后产能。') // false
 */
export function isFurnitureLine(norm: string): boolean {
  if (norm.length > 120 || /[。！？]/.test(norm)) return false;
  if (TOOL_WORDS.test(norm) || (BREADCRUMB.test(norm) && norm.length <= 100)) return true;
  // 编辑: 张三 审核: 李四 — two editorial labels, or one with a counter.
  const editorial = norm.match(new RegExp(EDITORIAL.source, 'g'))?.length ?? 0;
  if (editorial >= 2 && /(编辑|审核|校对|浏览|阅读|访问|点击|公文时效)\s*[:]/.test(norm)) return true;
  const tokens = norm.toLowerCase().split(/[\s|｜/\\·•,，、:【】\[\]()（）<>《》]+/).filter(Boolean);
  return tokens.length >= 2 && tokens.every((t) => TOKEN.has(t));
}

/**
 * Is this line the site's footer (who runs the site, its address and phone, its registrations)?
 * A letter's own closing (主办单位:县教育局 / 会办单位:… / 联系人:…) is not.
 * @example isSiteFooterLine('主办单位:某某市人民政府办公室 承办单位:某某市大数据中心') // true
 * @example isSiteFooterLine('地址:某某市中山路1号 联系电话:0412-1234567') // true
 * @example isSiteFooterLine('主办单位:县教育局') // false
 */
export function isSiteFooterLine(norm: string): boolean {
  if (norm.length > 200 || /[。！？]/.test(norm)) return false;
  if (/联系人|承办人|经办人|负责人|公章|盖章|签字|会办单位/.test(norm)) return false;
  if (/网站标识码|ICP\s*[备证]|公网安备|版权所有|Copyright|©|技术支持\s*[:]|网站地图|联系我们/i.test(norm)) return true;
  if (/主办(单位)?\s*[:]/.test(norm) && /(承办|协办|运维|维护)(单位)?\s*[:]|地址\s*[:]|电话\s*[:]|邮编/.test(norm)) return true;
  return /^(网站)?(地址|通讯地址)\s*[:].{2,60}(电话|邮编|邮政编码|传真)\s*[:]?/.test(norm) || /^(联系)?电话\s*[:][\d\s()-]{6,}.{0,10}(地址|邮编|传真)\s*[:]/.test(norm);
}

/**
 * Does a title or issuer hold furniture, a breadcrumb or a field label — i.e. was page chrome taken
 * for it? (A clean name never has these.)
 * @example isJunkName('首页 > 政府信息公开 > 建议提案') // true
 * @example isJunkName('省文物局 公文时效: 长期公开') // true
 * @example isJunkName('重庆市人民政府港澳事务办公室') // false
 */
export function isJunkName(norm: string): boolean {
  return (
    BREADCRUMB.test(norm) || TOOL_WORDS.test(norm) || EDITORIAL.test(norm) || SITE_FOOTER_LABEL.test(norm) || FIELD_LABEL.test(norm) ||
    /[|•●◆■▪]|>>|\s-\s|^\s*[-–—·]/.test(norm)
  );
}
