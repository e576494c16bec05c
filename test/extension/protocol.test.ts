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

  const req = (method: string, params: unknown, requestId: unknown = 1) => ({
    type: 'request',
    requestId,
    method,
    params,
  });
  const viewerCases: [unknown, boolean][] = [
    [{ type: 'ready' }, true],
    [req('classes', { filter: '', sort: 'retainedSize', descending: true, offset: 0, limit: 100 }), true],
    [req('classes', { filter: '', sort: 'constructor', descending: true, offset: 0, limit: 100 }), false],
    [req('classes', { filter: '', sort: 'count', descending: true, offset: 0, limit: 1_000_000 }), false],
    [req('instances', { classKey: ',Foo', offset: 0, limit: 10 }), true],
    [req('children', { nodeId: 7, offset: 0, limit: 10 }), true],
    [req('children', { nodeId: -1, offset: 0, limit: 10 }), false],
    [req('retainers', { nodeId: 7, offset: 0, limit: 20 }), true],
    [req('dominated', { nodeId: null, offset: 0, limit: 40 }), true],
    [req('retainerPath', { nodeId: 1.5 }), false],
    [req('compare', {}), true],
    [req('compare', {}, null), false],
    [req('compare', {}, -1), false],
    [req('compare', undefined), false],
    [req('eval', {}), false],
    [req('toString', {}), false],
    [req('__proto__', {}), false],
    [{ type: 'compare', requestId: 6 }, false],
  ];
  for (const [m, ok] of viewerCases)
    it(`viewer ${JSON.stringify(m)} → ${ok}`, () => assert.equal(isFromViewerMessage(m), ok));
});
