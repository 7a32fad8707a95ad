/**
 * Opens the index for the bot (building it on first run) and prepares reloads: a reload runs an
 * incremental build (only new or changed letters are processed; the new index is swapped in on
 * disk atomically) and then opens the result, so letters dropped into the corpus folder or uploaded
 * through the bot become answerable without a restart.
 */
import { buildIndex } from '../../index/buildIndex.ts';
import { openIndex } from '../../index/openIndex.ts';
import type { Config } from '../config.ts';
import type { BotLog } from './botDeps.ts';
import { EngineHolder } from './engineHolder.ts';

/**
 * @example
 * const holder = await openEngine(loadConfig(), console.error);
 * holder.current.search('what has Qingdao done with MOX?')
 */
export async function openEngine(config: Pick<Config, 'corpusDirs' | 'indexDir' | 'dense'>, log: BotLog): Promise<EngineHolder> {
  const where = { corpusDirs: config.corpusDirs, indexDir: config.indexDir, dense: config.dense, log };
  const engine = await openIndex(where);
  return new EngineHolder(engine, async () => {
    await buildIndex({ ...where, progress: false });
    return openIndex(where);
  });
}
