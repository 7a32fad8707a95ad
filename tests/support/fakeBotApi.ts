/**
 * A small fake Telegram Bot API on 127.0.0.1 for fault tests: every call is recorded, and a test
 * decides per call what to answer (429s with retry_after, 5xx, refusals, silence), or lets the
 * default answer it like Telegram would. Updates queued with `push` are handed out by getUpdates;
 * documents queued with `pushDocument` are served by getFile and `/file/bot<token>/<path>`.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeCall {
  method: string;
  payload: Record<string, unknown>;
  at: number;
}

/** What a handler returns: a Bot API envelope, `'default'` for the usual answer, or `'hang'` to never answer. */
export type FakeReply = { status?: number; body: Record<string, unknown> } | 'default' | 'hang';

export class FakeBotApi {
  readonly calls: FakeCall[] = [];
  /** Decides the answer to each call; default: answer like Telegram. */
  handler: (call: FakeCall) => FakeReply = () => 'default';
  private server?: http.Server;
  private updates: Record<string, unknown>[] = [];
  private nextUpdateId = 1;
  private nextMessageId = 1;
  private readonly hanging = new Set<http.ServerResponse>();
  /** Uploaded files by file_id, served under `documents/<file_id>`. */
  private readonly files = new Map<string, Buffer>();

  /** The API root to give the bot (FUHAN_TELEGRAM_API). */
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => this.answer(req.url ?? '', body, res));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Queues a private text message from `userId` for the next getUpdates. */
  pushText(userId: number, text: string, chat: { id?: number; type?: string } = {}): void {
    this.updates.push({
      update_id: this.nextUpdateId++,
      message: {
        message_id: this.nextMessageId++,
        date: Math.floor(Date.now() / 1000),
        chat: { id: chat.id ?? userId, type: chat.type ?? 'private', first_name: 'U', title: chat.type === 'group' ? 'G' : undefined },
        from: { id: userId, is_bot: false, first_name: 'U', language_code: 'en' },
        text,
      },
    });
  }

  /** Queues a private message from `userId` carrying a document (its bytes are served as Telegram serves files). */
  pushDocument(userId: number, fileName: string, data: Buffer, mimeType = 'text/plain'): void {
    const fileId = `doc${this.files.size + 1}`;
    this.files.set(fileId, data);
    this.updates.push({
      update_id: this.nextUpdateId++,
      message: {
        message_id: this.nextMessageId++,
        date: Math.floor(Date.now() / 1000),
        chat: { id: userId, type: 'private', first_name: 'U' },
        from: { id: userId, is_bot: false, first_name: 'U', language_code: 'en' },
        document: { file_id: fileId, file_unique_id: `u-${fileId}`, file_name: fileName, mime_type: mimeType, file_size: data.length },
      },
    });
  }

  /** Calls of one method so far. */
  callsOf(method: string): FakeCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Waits until `test` holds (checked every 25 ms), at most `timeoutMs`. */
  async waitFor(test: () => boolean, timeoutMs = 30_000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!test()) {
      if (Date.now() > deadline) throw new Error(`fake Bot API: ${what} not met within ${timeoutMs} ms (calls: ${this.calls.map((c) => c.method).slice(-10).join(', ')})`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  private answer(url: string, body: string, res: http.ServerResponse): void {
    const download = /^\/file\/bot[^/]+\/documents\/(\w+)$/.exec(url);
    if (download) {
      const data = this.files.get(download[1]!);
      if (data) res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': data.length }).end(data);
      else res.writeHead(404).end();
      return;
    }
    const m = /^\/bot[^/]+\/(\w+)/.exec(url);
    if (!m) {
      res.writeHead(404).end();
      return;
    }
    let payload: Record<string, unknown> = {};
    try {
      payload = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    } catch {
      // multipart uploads: not needed by these tests
    }
    const call: FakeCall = { method: m[1]!, payload, at: Date.now() };
    this.calls.push(call);
    const reply = this.handler(call);
    if (reply === 'hang') {
      this.hanging.add(res);
      return;
    }
    const { status, body: out } = reply === 'default' ? { status: 200, body: { ok: true, result: this.defaultResult(call) } } : { status: reply.status ?? 200, body: reply.body };
    if (call.method === 'getUpdates' && reply === 'default' && (out.result as unknown[]).length === 0) {
      // Hold an empty poll briefly, as Telegram holds it (up to its timeout).
      setTimeout(() => this.send(res, status ?? 200, { ok: true, result: this.takeUpdates() }), 200);
      return;
    }
    this.send(res, status ?? 200, out);
  }

  private send(res: http.ServerResponse, status: number, body: unknown): void {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  private takeUpdates(): Record<string, unknown>[] {
    const out = this.updates;
    this.updates = [];
    return out;
  }

  private defaultResult(call: FakeCall): unknown {
    switch (call.method) {
      case 'getMe':
        return { id: 666, is_bot: true, first_name: 'Fuhan', username: 'FuhanFakeBot', can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: true };
      case 'getUpdates':
        return this.takeUpdates();
      case 'getFile': {
        const id = String(call.payload.file_id);
        return { file_id: id, file_unique_id: `u-${id}`, file_size: this.files.get(id)?.length, file_path: `documents/${id}` };
      }
      case 'sendMessage':
        return { message_id: this.nextMessageId++, date: 0, chat: { id: Number(call.payload.chat_id), type: 'private' }, text: call.payload.text };
      default:
        return true;
    }
  }
}

/** A 429 envelope asking to wait `seconds`. */
export function tooManyRequests(seconds: number): FakeReply {
  return { status: 429, body: { ok: false, error_code: 429, description: `Too Many Requests: retry after ${seconds}`, parameters: { retry_after: seconds } } };
}
