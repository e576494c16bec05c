import type { Clock } from '../../src/core/clock';

interface Timer {
  due: number;
  seq: number;
  fn: () => void;
}

/**
 * A Clock whose time moves only when the test says so. Tests of timing then check the schedule itself (which
 * timers are due when) instead of counting what happened during a real sleep.
 */
export class ManualClock implements Clock {
  private nowMs: number;
  private seq = 0;
  private timers: Timer[] = [];

  constructor(start = Date.now()) {
    this.nowMs = start;
  }

  now(): number {
    return this.nowMs;
  }

  setTimer(fn: () => void, ms: number): () => void {
    const timer = { due: this.nowMs + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Due times of the pending timers, soonest first. */
  pending(): number[] {
    return this.sorted().map((t) => t.due);
  }

  /** Moves time forward by `ms`, firing each timer that falls due on the way, in order. */
  advance(ms: number): void {
    const end = this.nowMs + ms;
    for (;;) {
      const next = this.sorted()[0];
      if (!next || next.due > end) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.nowMs = next.due;
      next.fn();
    }
    this.nowMs = end;
  }

  /** Moves time to the soonest pending timer and fires it (and any due at the same moment); false when none. */
  runNext(): boolean {
    const next = this.sorted()[0];
    if (!next) return false;
    this.advance(next.due - this.nowMs);
    return true;
  }

  private sorted(): Timer[] {
    return [...this.timers].sort((a, b) => a.due - b.due || a.seq - b.seq);
  }
}
