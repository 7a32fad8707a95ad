/**
 * URLs as the importer compares them: "the same site" is the same host name (a leading `www.`
 * and the scheme aside, since http→https and example.gov.cn→www.example.gov.cn redirects are
 * common on government sites), and a page's address is its URL without the #fragment.
 */

/**
 * The URL without its fragment, or null when it is not http(s).
 *
 * @example
 * pageUrl('/jyta/t1.html#top', 'https://www.example.gov.cn/jyta/') // → 'https://www.example.gov.cn/jyta/t1.html'
 * pageUrl('javascript:void(0)', 'https://www.example.gov.cn/')     // → null
 */
export function pageUrl(href: string, base?: string): string | null {
  let url: URL;
  try {
    url = new URL(href.trim(), base);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  url.hash = '';
  return url.href;
}

function siteHost(url: string): string | null {
  try {
    return new URL(url).hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return null;
  }
}

/**
 * @example
 * sameSite('https://www.example.gov.cn/a', 'http://example.gov.cn/b') // → true
 * sameSite('https://www.example.gov.cn/a', 'https://www.gov.cn/b')    // → false
 */
export function sameSite(a: string, b: string): boolean {
  const ha = siteHost(a);
  return ha !== null && ha === siteHost(b);
}
