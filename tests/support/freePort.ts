/**
 * A free TCP port on loopback, for servers whose port must be known before they start (a webhook URL).
 */
import net from 'node:net';

/**
 * @example
 * const port = await freePort(); // e.g. 40321
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
