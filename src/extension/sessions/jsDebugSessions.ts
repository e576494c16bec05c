import * as vscode from 'vscode';
import type { CdpProxyAddress } from '../../core/inspector/endpoint';

/** Debug types served by js-debug whose sessions we can monitor. */
export const JS_DEBUG_TYPES: ReadonlySet<string> = new Set(['pwa-node', 'node', 'node-terminal', 'pwa-extensionHost', 'pwa-chrome', 'pwa-msedge']);

/**
 * True for a concrete js-debug child session (one target), which answers `requestCDPProxy`.
 * The parent session of a launch has no `__pendingTargetId` and never answers.
 */
export function isMonitorableSession(session: Pick<vscode.DebugSession, 'type' | 'configuration'>): boolean {
  return JS_DEBUG_TYPES.has(session.type) && typeof session.configuration?.__pendingTargetId === 'string';
}

/** True for browser targets, which have no local process to read RSS from. */
export function isBrowserSession(session: Pick<vscode.DebugSession, 'type'>): boolean {
  return session.type === 'pwa-chrome' || session.type === 'pwa-msedge';
}

/** Asks js-debug for a CDP proxy to the session's target; rejects after `timeoutMs`. */
export async function requestCdpProxy(session: vscode.DebugSession, timeoutMs = 5000): Promise<CdpProxyAddress> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`js-debug did not provide a CDP proxy for "${session.name}" within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const address = await Promise.race([
      vscode.commands.executeCommand<CdpProxyAddress | undefined>('extension.js-debug.requestCDPProxy', session.id),
      timeout,
    ]);
    if (!address || typeof address.host !== 'string' || !Number.isInteger(address.port)) {
      throw new Error(`js-debug returned no CDP proxy address for "${session.name}"`);
    }
    return address;
  } finally {
    clearTimeout(timer);
  }
}
