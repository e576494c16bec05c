/** A Uint32Array in shared memory, so the analysis helper thread can read it without a copy. */
export function sharedUint32(length: number): Uint32Array {
  return new Uint32Array(new SharedArrayBuffer(length * 4));
}
