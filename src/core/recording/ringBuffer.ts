/**
 * A bounded history: keeps at most `capacity` items and drops items older than `maxAgeMs`
 * (by each item's `t`). Push is O(1); memory is fixed by capacity.
 */
export class RingBuffer<T extends { t: number }> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private count = 0;

  constructor(
    readonly capacity: number,
    readonly maxAgeMs = Infinity,
  ) {
    if (!Number.isInteger(capacity) || capacity <= 0) throw new RangeError('capacity must be a positive integer');
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Adds an item, evicting the oldest when full and any that have aged out. */
  push(item: T): void {
    if (this.count === this.capacity) {
      this.items[this.start] = item;
      this.start = (this.start + 1) % this.capacity;
    } else {
      this.items[(this.start + this.count) % this.capacity] = item;
      this.count++;
    }
    this.evictOlderThan(item.t - this.maxAgeMs);
  }

  /** Drops items with `t < cutoff`. */
  evictOlderThan(cutoff: number): void {
    while (this.count > 0 && this.items[this.start]!.t < cutoff) {
      this.items[this.start] = undefined;
      this.start = (this.start + 1) % this.capacity;
      this.count--;
    }
  }

  /** The newest item, if any. */
  last(): T | undefined {
    return this.count ? this.items[(this.start + this.count - 1) % this.capacity] : undefined;
  }

  /** Items oldest first; with `since`, only those with `t >= since`. */
  toArray(since = -Infinity): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.count; i++) {
      const it = this.items[(this.start + i) % this.capacity]!;
      if (it.t >= since) out.push(it);
    }
    return out;
  }

  clear(): void {
    this.items.fill(undefined);
    this.start = 0;
    this.count = 0;
  }
}
