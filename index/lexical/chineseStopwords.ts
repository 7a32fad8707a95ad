/**
 * Chinese function words and question words: they say how a question is asked, not what about.
 * (Simplified forms; questions are normalised to Simplified before this list is consulted.)
 */
export const CHINESE_STOPWORDS: readonly string[] = (
  '的 了 吗 呢 吧 啊 呀 嘛 么 和 与 及 或 或者 还是 是 是否 有 有没有 没有 在 于 对 对于 把 被 给 向 从 到 为 以 将 也 都 就 还 又 再 ' +
  '要 会 能 能够 可以 可 该 这 那 这个 那个 那份 这份 那些 这些 哪 哪个 哪些 哪里 哪儿 哪家 哪位 哪一年 哪天 哪年 什么 什么样 啥 谁 多少 几 几个 几名 几项 ' +
  '怎么 怎样 怎么样 如何 为什么 为何 何时 多久 多大 多长 多宽 多高 请问 请 问 一下 告诉 我 我们 你 你们 他 他们 她 它 其 之 ' +
  '呢 吗 里 中 上 下 时 时候 之后 以后 当时 已经 曾经 目前 现在 一 个 份 那边 这边 方面 情况 一共 总共 分别 各 各自 ' +
  '做 做了 搞 弄 干 说 讲 提到 提及 里面 当中 当初 打算 准备 怎么办 有啥 啥事'
)
  .split(/\s+/)
  .filter(Boolean)
  // Longer first, so run splitting removes 有没有 before 有.
  .sort((a, b) => b.length - a.length);

const SET = new Set(CHINESE_STOPWORDS);

/**
 * True when a word carries no topic.
 *
 * @example
 * isChineseStopword('哪些') // → true
 * isChineseStopword('澳门') // → false
 */
export function isChineseStopword(word: string): boolean {
  return SET.has(word);
}
