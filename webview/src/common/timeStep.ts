// Pure choice of the time axis step. No DOM.
const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400].map(
  (s) => s * 1000,
);

/** A tick step that gives at most about 10 ticks over `rangeMs`. */
export function timeStep(rangeMs: number): number {
  return STEPS.find((s) => rangeMs / s <= 10) ?? STEPS[STEPS.length - 1];
}
