/**
 * Linux network namespaces as stand-in hosts (needs root and `ip`): host i gets namespace
 * `heimdex-h<i>` joined to this machine by a veth pair on its own /30, 10.231.<i>.1 on this
 * side and 10.231.<i>.2 inside. Nothing else is routed: a namespace reaches only that one address.
 */
import { execFileSync } from 'node:child_process';
import { createConnection, createServer, Server } from 'node:net';

export interface NetnsHost {
  name: string;
  /** This machine's end of the veth pair: what the namespace dials to reach our services. */
  gateway: string;
  /** The namespace's own address: where its processes listen. */
  address: string;
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });

export function netnsHost(i: number): NetnsHost {
  return { name: `heimdex-h${i}`, gateway: `10.231.${i}.1`, address: `10.231.${i}.2` };
}

export function createNetnsHost(i: number): NetnsHost {
  const host = netnsHost(i);
  removeNetnsHost(i);
  const [outside, inside] = [`hx-h${i}`, `hx-n${i}`];
  ip('netns', 'add', host.name);
  ip('link', 'add', outside, 'type', 'veth', 'peer', 'name', inside);
  ip('link', 'set', inside, 'netns', host.name);
  ip('addr', 'add', `${host.gateway}/30`, 'dev', outside);
  ip('link', 'set', outside, 'up');
  ip('-n', host.name, 'addr', 'add', `${host.address}/30`, 'dev', inside);
  ip('-n', host.name, 'link', 'set', inside, 'up');
  ip('-n', host.name, 'link', 'set', 'lo', 'up');
  return host;
}

/** Removes the namespace and its veth pair (deleting either end deletes both); quiet when absent. */
export function removeNetnsHost(i: number): void {
  for (const args of [
    ['link', 'del', `hx-h${i}`],
    ['netns', 'del', netnsHost(i).name],
  ]) {
    try {
      ip(...args);
    } catch {
      // not there
    }
  }
}

/** Listens on `address:port` and pipes each connection to 127.0.0.1:`port` (services stay bound to loopback). */
export function forwardToLoopback(address: string, port: number): Promise<Server> {
  const server = createServer((inbound) => {
    const outbound = createConnection(port, '127.0.0.1');
    const close = () => {
      inbound.destroy();
      outbound.destroy();
    };
    inbound.on('error', close).on('close', close);
    outbound.on('error', close).on('close', close);
    inbound.pipe(outbound).pipe(inbound);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => resolve(server));
  });
}
