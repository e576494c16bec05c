// The standing verdicts (state and forecast) and the cleared ones of the Leak Report panel. Text nodes only.
import * as l10n from '@vscode/l10n';
import { formatLeakRate } from '../../../src/core/format';
import type { LeakClearedView, LeakVerdictView } from '../../../src/shared/leakProtocol';
import { forecastSentence, leakMetricText, verdictHeadline } from '../../../src/shared/verdictText';
import { h, timeOfDay } from '../common/dom';

/** One standing verdict: its state, growth and the forecast of when memory reaches the thresholds and heap limit. */
function verdictItem(v: LeakVerdictView): HTMLElement {
  const forecast = forecastSentence(v);
  return h(
    'li',
    { class: `verdict-item ${v.state}`, 'data-metric': v.metric, 'data-state': v.state },
    h('strong', { class: 'state' }, verdictHeadline(v)),
    l10n.t(
      ' in {0}: {1} since {2}, confidence {3} %',
      leakMetricText(v.metric),
      formatLeakRate(v.metric, v.rateBytesPerSec),
      timeOfDay(v.since),
      Math.round(v.confidence * 100),
    ),
    v.state === 'confirmed'
      ? l10n.t(' — growth went on after it was suspected')
      : l10n.t(' — confirmed if growth goes on'),
    h(
      'div',
      { class: 'forecast' },
      forecast || l10n.t('Forecast: not yet known (no level or heap limit reading, or the baseline is not growing).'),
    ),
  );
}

/** One withdrawn verdict: when and why it was cleared. */
function clearedItem(c: LeakClearedView): HTMLElement {
  return h(
    'li',
    { class: 'cleared-item', 'data-metric': c.metric },
    h('strong', {}, l10n.t('Cleared at {0}', timeOfDay(c.t))),
    l10n.t(
      ' — {0} (was {1}, {2}): {3}',
      leakMetricText(c.metric),
      c.state,
      formatLeakRate(c.metric, c.rateBytesPerSec),
      c.reason,
    ),
  );
}

/** The verdicts section: standing verdicts first, then the cleared ones (not standing leaks). */
export function verdictSection(verdicts: readonly LeakVerdictView[], cleared: readonly LeakClearedView[]): HTMLElement {
  const parts: HTMLElement[] = [];
  if (verdicts.length)
    parts.push(h('ul', { class: 'verdicts', 'aria-label': l10n.t('Standing verdicts') }, ...verdicts.map(verdictItem)));
  if (cleared.length)
    parts.push(
      h('p', { class: 'hint' }, l10n.t('Cleared verdicts (growth stopped; not standing leaks):')),
      h('ul', { class: 'cleared', 'aria-label': l10n.t('Cleared verdicts') }, ...cleared.map(clearedItem)),
    );
  return h('div', {}, ...parts);
}
