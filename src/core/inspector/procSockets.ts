import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** A TCP socket in LISTEN state, from a /proc/net/tcp{,6} table. */
export interface ListeningSocket {
  /** The local address as the table writes it (hex, host byte order per 32-bit word). */
  ipHex: string;
  port: number;
  inode: string;
}

/** Loopback listening addresses as /proc writes them: 127.0.0.1 and ::1. */
export const LOOPBACK_IP_HEX = new Set(['0100007F', '00000000000000000000000001000000']);

/** Linux: the listening TCP sockets of the tables given (unreadable tables are skipped). */
export function listeningSockets(tables = ['/proc/net/tcp', '/proc/net/tcp6']): ListeningSocket[] {
  const sockets: ListeningSocket[] = [];
  for (const table of tables) {
    let text: string;
    try {
      text = readFileSync(table, 'latin1');
    } catch {
      continue; // No IPv6, or not ours to read.
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // local_address is HEX_IP:HEX_PORT, state 0A is LISTEN, field 9 the socket's inode.
      if (f.length < 10 || f[3] !== '0A') continue;
      const [ipHex, port] = f[1].split(':');
      sockets.push({ ipHex, port: parseInt(port, 16), inode: f[9] });
    }
  }
  return sockets;
}

/** Linux: the inodes of the sockets process `pid` holds open. Throws when its fd folder cannot be read. */
export function socketInodes(pid: number | string): Set<string> {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]);
    } catch {
      // Closed meanwhile.
    }
  }
  return inodes;
}
