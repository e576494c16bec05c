/** Leak detection command ids (titles in package.json, category "Memory"). */
export const LEAK_COMMANDS = {
  showLeakReport: 'memoryMonitor.showLeakReport',
  huntLeak: 'memoryMonitor.huntLeak',
  /** Same as Memory: Take Heap Snapshot; listed here so hovers may run it. */
  takeSnapshot: 'memoryMonitor.takeHeapSnapshot',
} as const;

export const LEAK_REPORT_VIEW_TYPE = 'memoryMonitor.leakReport';
