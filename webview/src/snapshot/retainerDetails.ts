// The details of the selected object: its retainer path from the GC roots and its direct retainers.
import type { HeapNodeView } from '../../../src/shared/protocol';
import { h } from '../common/dom';
import { bytes, distanceText, edgeLabel } from './cells';
import { viewerRequests } from './viewerRequests';

/** Fills `details` with a node's sizes at once, then its retainer path and retainers; `isCurrent` drops stale answers. */
export async function showRetainerDetails(
  details: HTMLElement,
  n: HeapNodeView,
  isCurrent: () => boolean,
): Promise<void> {
  details.replaceChildren(
    h('h2', {}, `${n.className} @${n.id}`),
    h(
      'span',
      { class: 'hint' },
      `shallow ${bytes(n.selfSize)}, retained ${bytes(n.retainedSize)}, distance ${distanceText(n.distance)}`,
    ),
  );
  const [path, retainers] = await Promise.all([
    viewerRequests.call('retainerPath', { nodeId: n.id }),
    viewerRequests.call('retainers', { nodeId: n.id, offset: 0, limit: 20 }),
  ]);
  if (!isCurrent()) return;
  const steps = path.map((s) =>
    h(
      'li',
      {},
      s.edge ? h('span', { class: 'edge' }, edgeLabel(s.edge)) : '',
      s.edge ? ' → ' : '',
      `${s.node.className} @${s.node.id}`,
    ),
  );
  details.append(
    h('h2', {}, 'Retainer path from the GC roots'),
    steps.length
      ? h('ol', { class: 'path', id: 'retainer-path' }, ...steps)
      : h('p', { class: 'hint' }, 'No path from the GC roots (unreachable or only weakly held).'),
    h('h2', {}, `Retainers (${retainers.total})`),
    h(
      'ul',
      {},
      ...retainers.items.map((e) =>
        h(
          'li',
          {},
          h('span', { class: 'edge' }, edgeLabel(e)),
          ` in ${e.node.className} @${e.node.id} (retained ${bytes(e.node.retainedSize)})`,
        ),
      ),
    ),
  );
}
