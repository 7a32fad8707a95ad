/**
 * What a single page line is, judged from its search form: site navigation and toolbars, footer,
 * a metadata field line, a document number, a result class. Everything else may be letter text.
 */

/** Lines that are page chrome wherever they appear (only short lines without a sentence end qualify). */
import { isFurnitureLine, isSiteFooterLine } from './furniture.ts';
import { parseDate } from './parseDate.ts';

const NAV_START =
  /^(中国政府网|无障碍(浏览|阅读|模式|版|关怀|$)|您当前的位置|您现在的位置|当前位置|您的位置|你的位置|网站首页|首页\s*[>>|/]|欢迎来到|欢迎访问|政府信息公开$|信息公开$|点击[:]?\s*$|分享到|分享[:]|字体[:]?|字号|访问量|访问次数|浏览次数|浏览量|浏览[:]|阅读次数|扫一扫\s*(在手机|分享|$)|打印$|打印本页|关闭$|【\s*(字号|打印|关闭)|\[\s*(打印|关闭))/;
const NAV_ANYWHERE =
  /扫一扫在手机|微博\s*微信|友情链接|关怀版|无障碍(浏览|阅读|模式|版)|打印本页|关闭窗口|字号[:]?\s*[大中小]|【\s*字号|浏览次数[:]?|\[\s*\]\s*打印|收藏本页|返回顶部|上一篇|下一篇|相关链接|在手机打开|我要纠错|打印本文|相关阅读|相关文章|附件下载|【\s*(打印|关闭|返回)/;
const FOOTER = /版权所有|ICP\s*备|ICP\s*证|备案序号|网站地图|网站标识码|公网安备|技术支持[:]|建议使用.{0,20}浏览器|Copyright|©/i;
const META_FIELD =
  /(索引号|发文字号|主题分类|体裁分类|发布机构|成文日期|发布日期|公开方式|组配分类|文件编号|发文日期|有效性|公开时限|公开范围|信息来源|主题词|发文机关|生成日期|发布单位|发文单位|签\s*发\s*人|签发领导|领导署名|办理结果|印发日期)\s*[\]】:|]/;
const META_START = /^(来源|发布时间|发表时间|发布日期|更新时间|时间|日期|作者|信息来源|责任编辑|编辑|审核|校对|供稿|撰稿)\s*[:]/;
const DOC_NUMBER = /[〔\[【]\s*(19|20)\d{2}/;
const RESULT_CLASS_ALONE = /^[(]?\s*([ABC])\s*类?\s*[)]?$/;
const PUBLISH_FLAG = /^[(]?(同意公开|主动公开|依申请公开|不予公开|此件[^)]{0,6}公开[^)]{0,4})[)]?$/;

/** The kind of a page line. */
export type LineKind = 'nav' | 'footer' | 'meta' | 'docNumber' | 'resultClass' | 'publishFlag' | 'number' | 'text';

/**
 * Classifies one line by its search form (see searchForm.ts).
 * @example lineKind('扫一扫在手机打开当前页') // 'nav'
 * @example lineKind('[ 索引号 ] | 11500000MB1670436T/2025-00013 |') // 'meta'
 */
export function lineKind(norm: string): LineKind {
  const short = norm.length <= 120 && !/[。！？]/.test(norm);
  if (!short) return 'text';
  if (FOOTER.test(norm) || isSiteFooterLine(norm)) return 'footer';
  // Before the field test: 编辑: … 审核: … 浏览次数: … is written like fields but is furniture.
  if (isFurnitureLine(norm)) return 'nav';
  if (META_FIELD.test(norm) || META_START.test(norm)) return 'meta';
  if (NAV_START.test(norm) || NAV_ANYWHERE.test(norm)) return 'nav';
  // Bare numbers are page ids, unless they are a date that lost its 年月日 (2023518).
  if ((/^\d{5,}$/.test(norm) && !parseDate(norm)) || /^[|\s]+$/.test(norm)) return 'number';
  if (RESULT_CLASS_ALONE.test(norm)) return 'resultClass';
  if (PUBLISH_FLAG.test(norm)) return 'publishFlag';
  if (norm.length <= 40 && DOC_NUMBER.test(norm) && !/关于|答复|复函/.test(norm)) return 'docNumber';
  return 'text';
}
