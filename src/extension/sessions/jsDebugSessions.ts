import * as vscode from 'vscode';
import type { CdpProxyAddress } from '../../core/inspector/endpoint';
import { withTimeout } from '../../core/inspector/connection';

/** Debug types served by js-debug whose sessions we can monitor. */
export const JS_DEBUG_TYPES: ReadonlySet<string> = new Set([
  'pwa-node',
  'node',
  'node-terminal',
  'pwa-extensionHost',
  'pwa-chrome',
  'pwa-msedge',
]);

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

/**
 * Asks js-debug for a CDP proxy to the session's target; rejects after `timeoutMs`.
 * js-debug answers undefined until its own session tracker has seen the session (its listener may run after
 * ours), so an empty answer is retried until the deadline.
 */
export async function requestCdpProxy(session: vscode.DebugSession, timeoutMs = 5000): Promise<CdpProxyAddress> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    last = await withTimeout(
      Promise.resolve(vscode.commands.executeCommand<unknown>('extension.js-debug.requestCDPProxy', session.id)),
      deadline - Date.now(),
      () => new Error(`js-debug did not provide a CDP proxy for "${session.name}" within ${timeoutMs} ms`),
    );
    if (isProxyAddress(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `js-debug provided no CDP proxy for "${session.name}" within ${timeoutMs} ms (last answer: ${JSON.stringify(last) ?? 'undefined'})`,
  );
}

/** True for js-debug's `{host, port, path}` answer. */
export function isProxyAddress(v: unknown): v is CdpProxyAddress {
  const a = v as CdpProxyAddress | undefined;
  return !!a && typeof a === 'object' && typeof a.host === 'string' && Number.isInteger(a.port) && a.port > 0;
}
