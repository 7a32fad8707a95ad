/**
 * The bot's status file (FUHAN_STATUS_FILE): written when the bot has reached the Bot API and then
 * whenever a call succeeds (at most every 15 s), so `fuhan health` — run by Docker's HEALTHCHECK in
 * the same container — can tell a bot that is up from one that never connected or lost the API.
 *
 * @example
 * const status = new BotStatus('/data/bot-status.json', 'polling');
 * await status.reached('FuhanBot'); status.touch(); await status.stopped();
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const StatusSchema = z.object({
  pid: z.number().int(),
  state: z.enum(['connecting', 'running', 'stopped']),
  mode: z.enum(['polling', 'webhook']),
  username: z.string().nullable(),
  startedAt: z.string(),
  /** Last time a Bot API call succeeded (ISO time). */
  apiOkAt: z.string().nullable(),
});
export type BotStatusRecord = z.infer<typeof StatusSchema>;

/** How often a success is written at most: polling succeeds every ≤ 30 s when idle. */
const TOUCH_EVERY_MS = 15_000;

export class BotStatus {
  private record: BotStatusRecord;
  private lastWrite = 0;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    readonly file: string,
    mode: BotStatusRecord['mode'],
  ) {
    this.record = { pid: process.pid, state: 'connecting', mode, username: null, startedAt: new Date().toISOString(), apiOkAt: null };
  }

  /** The bot reached the Bot API (getMe answered). */
  reached(username: string): Promise<void> {
    this.record = { ...this.record, state: 'running', username, apiOkAt: new Date().toISOString() };
    return this.write();
  }

  /** A Bot API call succeeded (written at most every 15 s). */
  touch(): void {
    if (this.record.state !== 'running' || Date.now() - this.lastWrite < TOUCH_EVERY_MS) return;
    this.record = { ...this.record, apiOkAt: new Date().toISOString() };
    void this.write();
  }

  stopped(): Promise<void> {
    this.record = { ...this.record, state: 'stopped' };
    return this.write();
  }

  /** Written whole and renamed into place, so a reader never sees half a file; a failed write is not fatal. */
  private write(): Promise<void> {
    this.lastWrite = Date.now();
    const text = JSON.stringify(this.record);
    this.writing = this.writing.then(async () => {
      try {
        await mkdir(path.dirname(this.file), { recursive: true });
        const tmp = `${this.file}.${process.pid}.tmp`;
        await writeFile(tmp, text);
        await rename(tmp, this.file);
      } catch {
        // Health reporting must never stop the bot (a read-only volume, a full disk).
      }
    });
    return this.writing;
  }
}

/**
 * Reads a status file; null when it is missing or unreadable.
 *
 * @example
 * readBotStatus('/data/bot-status.json')?.state // → 'running'
 */
export function readBotStatus(file: string): BotStatusRecord | null {
  try {
    return StatusSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return null;
  }
}
