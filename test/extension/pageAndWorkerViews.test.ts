// Issue 15 in the editor's pure parts: a browser page's DOM counters and missing RSS in the status bar, its tooltip
// and Export Recording's CSV; a process's Workers grouped under its main thread with the total and the breakdown.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toCsv } from '../../src/extension/monitoring/recordingExport';
import {
  accessibilityLabel,
  statusText,
  tooltipMarkdown,
  totalHeap,
  type TooltipInput,
} from '../../src/extension/statusBar/statusBarText';
import { mainThreadOf, workerFigures, workersOf, type ThreadMonitor } from '../../src/extension/statusBar/threadGroups';
import { memorySample, sampleView } from '../helpers/samples';

const dom = { nodes: 4118, documents: 1, listeners: 2050 };
const pageSample = { ...sampleView({ t: 1, heapUsed: 729e3, heapTotal: 2e6 }), dom };

describe('browser page in the status bar', () => {
  it('shows the heap and the DOM node count instead of RSS', () => {
    assert.equal(statusText(pageSample, 'up'), '$(pulse) 729 kB · 4,118 DOM nodes ↗');
    assert.match(accessibilityLabel(pageSample, 'up', 'normal', 'page'), /heap used 729 kB, 4,118 DOM nodes, rising/);
    assert.doesNotMatch(accessibilityLabel(pageSample, 'up', 'normal', 'page'), /resident/);
  });

  it('says RSS is not available for a page (never 0 or a bare dash) and lists the DOM counters', () => {
    const input: TooltipInput = {
      sessionName: 'localhost:8080',
      pid: null,
      sample: pageSample,
      trend: 'up',
      level: 'normal',
      lastGc: null,
      otherSessions: 0,
      page: true,
    };
    const md = tooltipMarkdown(input);
    assert.match(md, /^\| RSS \| not available for browser pages \|$/m);
    assert.match(md, /^\| DOM nodes \| 4,118 \|$/m);
    assert.match(md, /^\| Documents \| 1 \|$/m);
    assert.match(md, /^\| JS event listeners \| 2,050 \|$/m);
    assert.doesNotMatch(md, /\| RSS \| (0|—)/);
    // A Node.js process whose RSS is momentarily unknown keeps the dash, and has no DOM rows.
    const node = tooltipMarkdown({ ...input, page: false, sample: sampleView({ t: 1, heapUsed: 5e6 }) });
    assert.match(node, /^\| RSS \| — \|$/m);
    assert.doesNotMatch(node, /DOM nodes/);
  });
});

describe('Export Recording CSV of a page', () => {
  it('adds domNodes, domDocuments and domListeners columns after the byte figures', () => {
    const samples = [
      { ...memorySample({ t: 1_700_000_000_000, pid: null, heapUsed: 1000, heapTotal: 2000 }), dom },
      memorySample({ t: 1_700_000_001_000, pid: null, heapUsed: 1100, heapTotal: 2000 }),
    ];
    const csv = toCsv({ session: 'page', pid: null, samples, gcs: [], alerts: [] }).trim().split('\r\n');
    assert.equal(
      csv[0],
      't,time,pid,heapUsed,heapTotal,rss,external,arrayBuffers,stale,domNodes,domDocuments,domListeners',
    );
    assert.equal(csv[1], '1700000000000,2023-11-14T22:13:20.000Z,,1000,2000,,,,,4118,1,2050');
    assert.equal(csv[2], '1700000001000,2023-11-14T22:13:21.000Z,,1100,2000,,,,,,,', 'a sample without counters');
  });
});

/** A monitor as grouping sees it. */
function monitor(
  id: string,
  pid: number | null,
  threadId: number | undefined,
  heapUsed: number,
  extra: { parent?: string; ended?: boolean } = {},
): ThreadMonitor {
  return {
    id,
    pid,
    threadId,
    ended: !!extra.ended,
    target: { name: id, session: extra.parent ? { parentSession: { id: extra.parent } } : {} },
    samples: [{ heapUsed }],
  };
}

describe('Workers grouped under their process', () => {
  const main = monitor('main', 100, undefined, 10e6);
  const w1 = monitor('worker-a', 100, 1, 4e6);
  const w2 = monitor('worker-b', null, 2, 6e6, { parent: 'main' }); // pid not learned yet: its session's parent
  const other = monitor('other', 200, undefined, 1e6);
  const otherWorker = monitor('other-worker', 200, 1, 1e6);
  const all = [main, w1, w2, other, otherWorker];

  it('finds a main thread’s Workers by pid or parent session, and each Worker’s main thread', () => {
    assert.deepEqual(
      workersOf(main, all).map((m) => m.id),
      ['worker-a', 'worker-b'],
    );
    assert.deepEqual(
      workersOf(other, all).map((m) => m.id),
      ['other-worker'],
    );
    assert.deepEqual(workersOf(w1, all), [], 'a Worker has no Workers');
    assert.equal(mainThreadOf(w2, all)?.id, 'main');
    assert.equal(mainThreadOf(otherWorker, all)?.id, 'other');
    assert.equal(mainThreadOf(main, all), undefined);
  });

  it('shows the total heap and the per-thread breakdown in the tooltip', () => {
    const workers = workerFigures(workersOf(main, all));
    assert.equal(totalHeap(10e6, workers), 20e6);
    assert.equal(totalHeap(10e6, [...workers, { name: 'gone', threadId: 3, heapUsed: 9e6, ended: true }]), 20e6);
    const md = tooltipMarkdown({
      sessionName: 'app.js',
      pid: 100,
      sample: sampleView({ t: 1, heapUsed: 10e6, rss: 50e6 }),
      trend: 'flat',
      level: 'normal',
      lastGc: null,
      otherSessions: 0,
      workers: [...workers, { name: 'evil_*[x](http://e)*', threadId: 7, heapUsed: null, ended: true }],
    });
    assert.match(md, /^\| main thread \| 10\.0 MB \|$/m);
    assert.match(md, /^\| Worker 1 · worker\\-a \| 4\.0 MB \|$/m);
    assert.match(md, /^\| Worker 2 · worker\\-b \| 6\.0 MB \|$/m);
    assert.match(md, /^\| \*\*Total heap\*\* \| \*\*20\.0 MB\*\* \|$/m);
    // A Worker's name comes from the debuggee: escaped, so it cannot make a link.
    assert.match(md, /^\| Worker 7 · evil\\_\\\*\\\[x\\\]\\\(http:\/\/e\\\)\\\* \| ended \|$/m);
  });
});
