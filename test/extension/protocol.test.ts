import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isFromMonitorMessage, isFromViewerMessage } from '../../src/shared/protocol';

describe('webview message guards', () => {
  const monitorCases: [unknown, boolean][] = [
    [{ type: 'ready' }, true],
    [{ type: 'runGc', testCycle: true }, true],
    [{ type: 'runGc', testCycle: 'yes' }, false],
    [{ type: 'export', format: 'csv' }, true],
    [{ type: 'export', format: 'html' }, false],
    [{ type: 'selectSession', sessionId: 'abc' }, true],
    [{ type: 'selectSession' }, false],
    [{ type: 'eval', code: 'x' }, false],
    [null, false],
    ['ready', false],
    [[{ type: 'ready' }], false],
  ];
  for (const [m, ok] of monitorCases)
    it(`monitor ${JSON.stringify(m)} → ${ok}`, () => assert.equal(isFromMonitorMessage(m), ok));

  const viewerCases: [unknown, boolean][] = [
    [{ type: 'ready' }, true],
    [
      { type: 'getClasses', requestId: 1, filter: '', sort: 'retainedSize', descending: true, offset: 0, limit: 100 },
      true,
    ],
    [
      { type: 'getClasses', requestId: 1, filter: '', sort: 'constructor', descending: true, offset: 0, limit: 100 },
      false,
    ],
    [
      { type: 'getClasses', requestId: 1, filter: '', sort: 'count', descending: true, offset: 0, limit: 1_000_000 },
      false,
    ],
    [{ type: 'getInstances', requestId: 2, classKey: ',Foo', offset: 0, limit: 10 }, true],
    [{ type: 'getChildren', requestId: 3, nodeId: 7, offset: 0, limit: 10 }, true],
    [{ type: 'getChildren', requestId: 3, nodeId: -1, offset: 0, limit: 10 }, false],
    [{ type: 'getDominated', requestId: 4, nodeId: null, offset: 0, limit: 40 }, true],
    [{ type: 'getRetainerPath', requestId: 5, nodeId: 1.5 }, false],
    [{ type: 'compare', requestId: 6 }, true],
    [{ type: 'compare' }, false],
  ];
  for (const [m, ok] of viewerCases)
    it(`viewer ${JSON.stringify(m)} → ${ok}`, () => assert.equal(isFromViewerMessage(m), ok));
});
