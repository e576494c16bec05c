/**
 * Paged-in memory for the big temporaries of queries on an open snapshot. The first write to fresh memory costs a page
 * fault per 4 KB page: on the virtual machines CI runs on, 160 MB of new typed arrays took 420–490 ms to fill the
 * first time and 7 ms the second. Opening a snapshot leaves a buffer of 12 bytes per node already paged in (the
 * analysis's scratch space); queries borrow it (and what they later give back) instead of allocating, so the first
 * "ignore this retainer" that recomputes every distance, or the duplicated-strings index, does not pay for pages.
 * A buffer borrowed has undefined contents: the borrower initialises what it reads.
 */
export class ScratchArena {
  private readonly free: ArrayBufferLike[] = [];
  private seed: (() => ArrayBufferLike | null) | null;

  /** `seed`: called once, on the first borrow, for a buffer that is free by then (null: none). */
  constructor(seed?: () => ArrayBufferLike | null) {
    this.seed = seed ?? null;
  }

  /** A buffer of at least `bytes`: the smallest free one that fits, else a new one (not paged in yet). */
  take(bytes: number): ArrayBufferLike {
    if (this.seed) {
      const s = this.seed();
      this.seed = null;
      if (s) this.free.push(s);
    }
    let best = -1;
    for (let i = 0; i < this.free.length; i++)
      if (this.free[i].byteLength >= bytes && (best < 0 || this.free[i].byteLength < this.free[best].byteLength))
        best = i;
    if (best < 0) return new ArrayBuffer(bytes);
    return this.free.splice(best, 1)[0];
  }

  /** Gives a buffer back for later borrowers; only the largest MAX_KEPT are kept (the rest is left to the GC). */
  give(buffer: ArrayBufferLike): void {
    this.free.push(buffer);
    this.free.sort((a, b) => b.byteLength - a.byteLength);
    this.free.length = Math.min(this.free.length, MAX_KEPT);
  }

  /** Bytes kept for borrowers (not counting a seed not yet taken). */
  get keptBytes(): number {
    return this.free.reduce((sum, b) => sum + b.byteLength, 0);
  }
}

/** Two buffers: the one the duplicated-strings index borrows and the one the retainers view keeps can differ. */
const MAX_KEPT = 2;

const arenas = new WeakMap<object, ScratchArena>();

/** The arena of a snapshot (any object standing for it: its RawHeapSnapshot), created on first use. */
export function scratchArenaOf(snapshot: object): ScratchArena {
  let arena = arenas.get(snapshot);
  if (!arena) arenas.set(snapshot, (arena = new ScratchArena()));
  return arena;
}

/** Gives a snapshot's arena the buffer its analysis leaves (a function: it may have to wait until it is free). */
export function seedScratchArena(snapshot: object, seed: () => ArrayBufferLike | null): void {
  arenas.set(snapshot, new ScratchArena(seed));
}

/**
 * Typed arrays carved one after another out of a buffer (8-byte aligned), for a set of temporaries borrowed at once.
 * `bytesFor` gives the size to borrow for a list of (element size, length) pairs.
 */
export class Carver {
  private offset = 0;

  constructor(private readonly buffer: ArrayBufferLike) {}

  static bytesFor(parts: [bytesPerElement: number, length: number][]): number {
    return parts.reduce((sum, [size, length]) => sum + align(size * length), 0);
  }

  int32(length: number): Int32Array {
    return new Int32Array(this.buffer, this.next(4 * length), length);
  }

  uint8(length: number): Uint8Array {
    return new Uint8Array(this.buffer, this.next(length), length);
  }

  uint32(length: number): Uint32Array {
    return new Uint32Array(this.buffer, this.next(4 * length), length);
  }

  private next(bytes: number): number {
    const at = this.offset;
    this.offset += align(bytes);
    if (this.offset > this.buffer.byteLength) throw new RangeError('scratch buffer too small');
    return at;
  }
}

function align(bytes: number): number {
  return Math.ceil(bytes / 8) * 8;
}
