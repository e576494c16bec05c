// "Go to source" links of the snapshot viewer's rows: a node's function, class or constructor, or a Summary class's
// constructor, opened in the editor at its line (source-mapped by the extension).
import * as l10n from '@vscode/l10n';
import { h } from '../common/dom';
import { viewerRequests } from './viewerRequests';

/** Opens a node's script line in the editor; failures are reported through `error`. */
export function openSource(nodeId: number, error: (err: unknown) => void): void {
  viewerRequests.call('openSource', { nodeId }).catch(error);
}

/** A "source" link for nodes with a script location. */
export function sourceLink(nodeId: number, error: (err: unknown) => void): HTMLElement {
  return link(() => openSource(nodeId, error));
}

/** A "source" link for a Summary class with a constructor location. */
export function classSourceLink(classKey: string, error: (err: unknown) => void): HTMLElement {
  return link(() => void viewerRequests.call('openClassSource', { classKey }).catch(error));
}

function link(open: () => void): HTMLElement {
  const a = h(
    'a',
    { class: 'link source-link', tabindex: 0, title: l10n.t('Open its source line in the editor') },
    '⟨/⟩',
  );
  const go = (e: Event) => {
    e.stopPropagation();
    open();
  };
  a.addEventListener('click', go);
  a.addEventListener('keydown', (e) => e.key === 'Enter' && go(e));
  return a;
}
