import path from 'node:path';

/**
 * Stable letter id from a file path: the path relative to `root` (or just the basename when no
 * root is given), without its extension, with `/` separators on every platform.
 *
 * Ids must not depend on where the corpus lives on disk, so absolute parts never leak in.
 * A file outside `root` falls back to its basename rather than producing `../..` ids.
 *
 * @example
 * letterIdFromPath('/data/corpus/chongqing-gangao-0963.txt', '/data/corpus'); // 'chongqing-gangao-0963'
 * letterIdFromPath('/data/corpus/cq/0963.html', '/data/corpus');             // 'cq/0963'
 * letterIdFromPath('letters/qingdao-mox.md');                                 // 'qingdao-mox'
 */
export function letterIdFromPath(file: string, root?: string): string {
  let rel = root === undefined ? path.basename(file) : path.relative(path.resolve(root), path.resolve(file));
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) rel = path.basename(file);
  const parsed = path.parse(rel);
  const withoutExt = path.join(parsed.dir, parsed.ext && parsed.name ? parsed.name : parsed.base);
  const id = withoutExt.split(path.sep).join('/').replace(/\\/g, '/');
  // A name like `.txt` or an empty path would give an empty id; the schema requires min(1).
  return id === '' || id === '.' ? 'letter' : id;
}
