/**
 * A free TCP port on 127.0.0.1, for servers that must be given a port number (the Bot API
 * emulator): the OS picks one, the probe lets it go.
 */
import net from 'node:net';

/**
 * @example
 * const server = new TelegramServer({ port: await loopbackPort(), host: '127.0.0.1' });
 */
export function loopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
