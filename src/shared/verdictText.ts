// Words for a verdict's state and forecast, shared by the extension (tooltip, notification, Markdown, tool text)
// and the Leak Report webview. The forecast itself is worded once, by the core's formatForecast.
import * as l10n from '@vscode/l10n';
import type { LeakMetricName, LeakVerdictView } from './leakProtocol';

/** A verdict's metric in words, in the user's language (read at each call: the translator is set at start-up). */
export function leakMetricText(metric: LeakMetricName): string {
  switch (metric) {
    case 'heap':
      return l10n.t('JS heap');
    case 'external':
      return l10n.t('off-heap (Buffer/ArrayBuffer) memory');
    case 'rss':
      return l10n.t('native memory (RSS)');
    case 'dom':
      return l10n.t('DOM nodes kept after GC');
  }
}

/** `Leak suspected` or, once growth went on, the stronger `Leak confirmed`. */
export function verdictHeadline(v: Pick<LeakVerdictView, 'state'>): string {
  return v.state === 'confirmed' ? 'Leak confirmed' : 'Leak suspected';
}

/** The forecast as a sentence, e.g. `At this rate memory reaches 1000 MB in ~42 min.`; '' when unknown. Plain text. */
export function forecastSentence(v: Pick<LeakVerdictView, 'forecastText'>): string {
  return v.forecastText ? `At this rate memory ${v.forecastText}.` : '';
}
