/** Command ids contributed in package.json (titles live there, under the "Memory" category). */
export const COMMANDS = {
  startMonitoring: 'memoryMonitor.startMonitoring',
  stopMonitoring: 'memoryMonitor.stopMonitoring',
  showMonitor: 'memoryMonitor.showMonitor',
  runDiagnosticGc: 'memoryMonitor.runDiagnosticGc',
  takeHeapSnapshot: 'memoryMonitor.takeHeapSnapshot',
  openHeapSnapshot: 'memoryMonitor.openHeapSnapshot',
  compareHeapSnapshots: 'memoryMonitor.compareHeapSnapshots',
  exportRecording: 'memoryMonitor.exportRecording',
} as const;

/** Context keys used in `when` clauses. */
export const CONTEXT_KEYS = {
  monitoring: 'memoryMonitor.monitoring',
  canStart: 'memoryMonitor.canStart',
  hasRecording: 'memoryMonitor.hasRecording',
} as const;

export const SNAPSHOT_VIEW_TYPE = 'memoryMonitor.heapSnapshot';
export const MONITOR_PANEL_VIEW_TYPE = 'memoryMonitor.monitor';
