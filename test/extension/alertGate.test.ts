import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AlertGate } from '../../src/extension/alerts/alertGate';

describe('alert notification gate', () => {
  it('notifies each level once until it clears', () => {
    const g = new AlertGate(0);
    assert.equal(g.shouldNotify('s', 'warning', 0), true);
    assert.equal(g.shouldNotify('s', 'warning', 1000), false);
    g.levelNow('s', 'warning');
    assert.equal(g.shouldNotify('s', 'warning', 2000), false, 'still at warning: no repeat');
    g.levelNow('s', 'normal');
    assert.equal(g.shouldNotify('s', 'warning', 3000), true, 'cleared, then raised again');
  });

  it('lets a higher level through at once but holds back a flood of lower ones', () => {
    const g = new AlertGate(10_000);
    assert.equal(g.shouldNotify('s', 'critical', 0), true);
    assert.equal(g.shouldNotify('s', 'emergency', 100), true);
    g.levelNow('s', 'normal');
    assert.equal(g.shouldNotify('s', 'warning', 200), false, 'within the gap and not higher');
    assert.equal(g.shouldNotify('s', 'warning', 20_000), true);
  });

  it('keeps sessions apart and forgets ended ones', () => {
    const g = new AlertGate(0);
    assert.equal(g.shouldNotify('a', 'critical', 0), true);
    assert.equal(g.shouldNotify('b', 'critical', 0), true);
    g.forget('a');
    assert.equal(g.shouldNotify('a', 'critical', 1), true);
  });
});
