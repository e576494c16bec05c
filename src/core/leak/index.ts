/** Leak detection: time-series verdicts, allocation sites, and the session integration. */
export { LeakDetector, judgeTrend } from './detector';
export type { Baseline } from './detector';
export { AllocationSiteTracker } from './allocationSites';
export { SiteResolver } from './siteResolver';
export { LeakMonitor } from './leakMonitor';
export type { LeakMonitorOptions, LeakOverhead, ProfilerState } from './leakMonitor';
export { LeakSessionPlugin } from '../../cli/session/plugins/leakPlugin';
export { formatLeakReport, toLeakJsonLine } from './leakReport';
export { SENSITIVITY, parseSensitivity } from './settings';
export type { LeakMetric, LeakReportLine, LeakSensitivity, LeakSite, LeakVerdict } from './types';
