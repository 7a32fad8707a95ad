/**
 * Realistic government web pages around a letter, for tests: the furniture real sites print (top
 * bar, menu, breadcrumb, tool and share bars, 下载Word/PDF, 上一篇/下一篇, related links, a footer with
 * 主办单位/承办单位/地址/联系电话/网站标识码), in three layouts seen in the wild — a semantic portal
 * (`<nav>`, `<footer>`, named classes), an old table layout (`id="footer"`, furniture as words) and
 * anonymous `<div>`s (`class="bottom"`, nothing named after what it is). The letter's own lines are
 * put in as paragraphs, untouched.
 */
import iconv from 'iconv-lite';

/** What a template needs to know about the letter it wraps. */
export interface PageLetter {
  /** The letter's lines, as its text version has them. */
  lines: string[];
  /** The title to print above it (h1 / title cell), or null when the page prints none. */
  title: string | null;
  /** The body that runs the site (named in the footer). */
  sponsor: string;
  /** Publication date to print in the info bar, if the letter has one. */
  published: string | null;
}

export type Template = (letter: PageLetter, charset: string) => string;

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const paragraphs = (lines: string[]) => lines.map((l) => `<p>${escape(l)}</p>`).join('\n');

/** A portal with semantic markup: <header>, <nav>, a breadcrumb div, share/tool bars, <aside>, <footer>. */
const portal: Template = (l, charset) => `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="${charset}"><title>${escape(l.title ?? '')}${l.title ? '_' : ''}${escape(l.sponsor)}</title>
<script>var _hmt = _hmt || []; document.write('<p>统计代码</p>');</script><style>.article{font-size:16px}</style></head>
<body>
<div class="top-bar"><a href="#">无障碍</a> <a href="#">关怀版</a> <a href="#">繁体</a> <a href="#">登录</a> <a href="#">注册</a></div>
<header class="header"><div class="logo"><img src="logo.png" alt="${escape(l.sponsor)}"></div><form class="search"><input name="q"><button>搜索</button></form></header>
<nav class="nav"><ul><li><a href="/">首页</a></li><li><a href="#">政务公开</a></li><li><a href="#">政务服务</a></li><li><a href="#">互动交流</a></li><li><a href="#">数据开放</a></li></ul></nav>
<div class="breadcrumb">您当前的位置：<a href="/">首页</a> &gt; <a href="#">政务公开</a> &gt; <a href="#">建议提案办理</a></div>
<div class="main">
${l.title ? `<h1>${escape(l.title)}</h1>` : ''}
<div class="info">${l.published ? `发布时间：${l.published} ` : ''}浏览次数：1234 字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a></div>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>
<div class="content" id="zoom">
${paragraphs(l.lines)}
</div>
<div class="download"><a href="a.docx">下载Word</a> <a href="a.pdf">下载PDF</a></div>
<div class="tools"><a href="#">打印本页</a> <a href="#">关闭窗口</a> <a href="#">收藏</a></div>
<div class="pre-next"><p>上一篇：<a href="#">关于做好今年防汛工作的通知</a></p><p>下一篇：<a href="#">关于开展安全生产检查的公告</a></p></div>
<aside class="related"><h3>相关链接</h3><ul><li><a href="#">中国政府网</a></li><li><a href="#">省人民政府</a></li><li><a href="#">市人大常委会</a></li></ul></aside>
<footer><p>主办单位：${escape(l.sponsor)} 承办单位：${escape(l.sponsor)}信息中心</p><p>地址：某某市人民路1号 联系电话：0412-2345678</p><p>网站标识码：2103000001 辽ICP备12345678号-1</p></footer>
</div>
</body></html>`;

/** An old table layout: furniture written as words, the footer a table with id="footer". */
const tables: Template = (l, charset) => `<html><head><meta http-equiv="Content-Type" content="text/html; charset=${charset}"><title>${escape(l.sponsor)}</title></head>
<body>
<table width="100%"><tr><td class="toplink"><a href="#">设为首页</a> | <a href="#">加入收藏</a> | <a href="#">联系我们</a></td></tr></table>
<table class="menu"><tr><td><a href="/">首页</a></td><td><a href="#">机构概况</a></td><td><a href="#">政务公开</a></td><td><a href="#">办事指南</a></td><td><a href="#">公众参与</a></td></tr></table>
<table width="980"><tr><td>当前位置：<a href="/">首页</a> &gt;&gt; <a href="#">信息公开</a> &gt;&gt; <a href="#">建议提案</a></td></tr>
<tr><td>
<table width="100%">
${l.title ? `<tr><td align="center" class="title"><b>${escape(l.title)}</b></td></tr>` : ''}
<tr><td align="center">编辑：办公室 审核：管理员 浏览次数：321 【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</td></tr>
<tr><td class="content">${l.lines.map(escape).join('<br>\n')}</td></tr>
<tr><td align="right">【<a href="#">打印本页</a>】【<a href="#">关闭窗口</a>】</td></tr>
<tr><td><a href="a.doc">下载Word</a>&nbsp;&nbsp;<a href="a.pdf">下载PDF</a></td></tr>
</table>
<table id="footer" width="100%"><tr><td>主办单位：${escape(l.sponsor)}　承办单位：${escape(l.sponsor)}信息中心<br>地址：某某县政府路8号　邮编：123456　联系电话：0412-7654321<br>网站标识码：1234567890　ICP备案号：辽ICP备00000000号</td></tr></table>
</td></tr></table>
</body></html>`;

/** Anonymous divs: nothing is named after what it is; the footer is class="bottom". */
const divs: Template = (l, charset) => `<!DOCTYPE html><html><head><meta charset="${charset}"><title>${escape(l.title ?? '')}${l.title ? ' - ' : ''}${escape(l.sponsor)}</title></head>
<body><div class="w1">
<div class="c1"><a href="#">${escape(l.sponsor)}</a> <a href="#">退出</a> <a href="#">帮助</a> <a href="#">换肤</a></div>
<div class="c2"><a href="/">首页</a> <a href="#">新闻中心</a> <a href="#">信息公开</a> <a href="#">网上办事</a> <a href="#">互动交流</a></div>
<div class="c3">首页 &gt; 政府信息公开 &gt; 建议提案办理</div>
<div class="c4">
${l.title ? `<div class="c5">${escape(l.title)}</div>` : ''}
<div class="c6">公文时效：长期公开 字号：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a> <a href="#">打印</a> <a href="#">关闭</a></div>
<div class="c7">
${paragraphs(l.lines.slice(0, Math.ceil(l.lines.length / 2)))}
</div>
<div class="c7">
${paragraphs(l.lines.slice(Math.ceil(l.lines.length / 2)))}
</div>
<div class="c8"><a href="a.docx">下载Word</a> <a href="a.pdf">下载PDF</a></div>
<div class="c9">上一篇：<a href="#">关于公布第三批历史建筑名单的通知</a><br>下一篇：<a href="#">关于调整部分公交线路的公告</a></div>
<div class="c10"><div>相关文章</div><a href="#">关于进一步加强城市管理的意见</a> <a href="#">关于推进老旧小区改造的实施方案</a></div>
<div class="bottom">主办单位：${escape(l.sponsor)} 承办单位：${escape(l.sponsor)}办公室<br>地址：某某区中心路16号 联系电话：0412-3456789<br>网站标识码：2103020001</div>
</div>
</div></body></html>`;

export const TEMPLATES: Record<string, Template> = { portal, tables, divs };

/** Words of the templates' furniture: none may reach a passage, a title or an issuer. */
export const TEMPLATE_FURNITURE = [
  '无障碍', '关怀版', '您当前的位置', '当前位置', '浏览次数', '字体', '字号', '分享到', '下载Word', '下载PDF', '打印本页', '关闭窗口',
  '上一篇', '下一篇', '相关链接', '相关文章', '主办单位', '承办单位', '联系电话：0412', '网站标识码', 'ICP', '编辑：', '审核：', '公文时效',
  '设为首页', '加入收藏', '换肤', '统计代码', '防汛', '历史建筑名单',
];

/**
 * The page as bytes: UTF-8, or GBK (GB18030 when the letter has characters GBK lacks), declared in the page.
 * @example pageBytes(TEMPLATES.portal, letter, 'gbk')
 */
export function pageBytes(template: Template, letter: PageLetter, encoding: 'utf-8' | 'gbk'): Buffer {
  if (encoding === 'utf-8') return Buffer.from(template(letter, 'utf-8'), 'utf8');
  const html = template(letter, 'gbk');
  const gbk = iconv.encode(html, 'gbk');
  if (iconv.decode(gbk, 'gbk') === html) return gbk;
  return iconv.encode(template(letter, 'gb18030'), 'gb18030');
}
