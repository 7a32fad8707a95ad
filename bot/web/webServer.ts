/**
 * The web pages on a node:http server: `startWebServer` for `fuhan serve`, `webRequestListener`
 * for a server that is already there (the bot's webhook port).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { createWebApp, type WebAppOptions } from './webApp.ts';

export interface WebServerOptions extends WebAppOptions {
  /** Port to listen on; 0 picks a free one (tests). */
  port: number;
  /** Interface to bind (default 127.0.0.1: only this machine; `0.0.0.0` for every interface). */
  host?: string;
}

/** A listening server. */
export interface RunningWebServer {
  /** e.g. http://127.0.0.1:8080 */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The web app as a node:http request listener.
 *
 * @example
 * const pages = webRequestListener({ engine: () => holder.current });
 * http.createServer((req, res) => (req.method === 'POST' ? webhook(req, res) : pages(req, res)));
 */
export function webRequestListener(options: WebAppOptions): http.RequestListener {
  const app = createWebApp(options);
  return getRequestListener(app.fetch) as http.RequestListener;
}

/**
 * Starts serving; resolves once listening.
 *
 * @example
 * const server = await startWebServer({ engine: () => searcher, port: 8080 });
 * console.log(server.url); await server.close();
 */
export async function startWebServer(options: WebServerOptions): Promise<RunningWebServer> {
  const server = http.createServer(webRequestListener(options));
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(options.port, host, resolve));
  const { port } = server.address() as AddressInfo;
  const shown = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shown}:${port}`,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
