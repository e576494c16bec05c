// What a snapshot viewer panel posted, for tests of the viewer's extension side.
import type { ToViewerMessage } from '../../src/shared/protocol';
import type { FakeWebviewPanel } from './withFakeVscode';

/** Waits until the panel has posted a message matching `match` (the worker answers asynchronously). */
export async function posted(
  panel: FakeWebviewPanel,
  match: (m: ToViewerMessage) => boolean,
): Promise<ToViewerMessage> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const found = (panel.posted as ToViewerMessage[]).find(match);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no such message; posted: ${JSON.stringify(panel.posted.slice(-3))}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
