// The retained-size treemap: the dominator tree one level at a time, with a breadcrumb trail back up.
import { h } from '../common/dom';
import { bytes } from './cells';
import { squarify } from './treemap';
import { viewerRequests } from './viewerRequests';

/** Draws the objects a node dominates as tiles sized by retained size; clicking a tile opens it. */
export class TreemapView {
  private readonly trail: { id: number | null; label: string }[] = [{ id: null, label: '(GC roots)' }];

  constructor(
    private readonly crumbs: HTMLElement,
    private readonly treemap: HTMLElement,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Draws the level at the end of the trail. */
  draw(): void {
    this.drawLevel().catch(this.onError);
  }

  private async drawLevel(): Promise<void> {
    const here = this.trail[this.trail.length - 1];
    this.crumbs.replaceChildren(
      ...this.trail.flatMap((c, i) => {
        const link = h('a', { class: 'link', tabindex: 0 }, c.label);
        link.addEventListener('click', () => {
          this.trail.splice(i + 1);
          this.draw();
        });
        return i ? [' › ', link] : [link];
      }),
    );
    const page = await viewerRequests.call('dominated', { nodeId: here.id, offset: 0, limit: 40 });
    const items = page.items.filter((n) => n.retainedSize > 0);
    const box = this.treemap.getBoundingClientRect();
    const rects = squarify(
      items.map((n) => n.retainedSize),
      { x: 0, y: 0, w: box.width || 800, h: box.height || 400 },
    );
    const total = items.reduce((a, n) => a + n.retainedSize, 0) || 1;
    this.treemap.replaceChildren(
      ...items.map((n, i) => {
        const r = rects[i];
        const share = n.retainedSize / total;
        const tile = h(
          'div',
          {
            class: 'tile',
            role: 'listitem',
            tabindex: 0,
            title: `${n.className} @${n.id}: retained ${bytes(n.retainedSize)}`,
          },
          r.w > 40 && r.h > 14 ? `${n.className} ${bytes(n.retainedSize)}` : '',
        );
        Object.assign(tile.style, {
          left: `${r.x}px`,
          top: `${r.y}px`,
          width: `${r.w}px`,
          height: `${r.h}px`,
          background: `color-mix(in srgb, var(--vscode-charts-blue, #3794ff) ${Math.round(25 + 60 * Math.sqrt(share))}%, var(--vscode-editor-background))`,
        });
        const open = () => {
          this.trail.push({ id: n.id, label: `${n.className} @${n.id}` });
          this.draw();
        };
        tile.addEventListener('click', open);
        tile.addEventListener('keydown', (e) => e.key === 'Enter' && open());
        return tile;
      }),
    );
    if (!items.length) this.treemap.append(h('p', { class: 'hint' }, 'This object dominates nothing else.'));
  }
}
