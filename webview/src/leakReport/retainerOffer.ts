// When the Leak Report offers the on-demand retainer snapshots, and how the offer reads. Pure: no DOM.
import * as l10n from '@vscode/l10n';
import type { LeakRetainerProbeView, LeakRetainerView } from '../../../src/shared/leakProtocol';
import { pauseText } from '../../../src/shared/retainerText';

/** Whether to offer the on-demand snapshots: a verdict stands, nothing runs, and no automatic probe will come. */
export function offersProbe(probe: LeakRetainerProbeView | null, retainers: readonly LeakRetainerView[]): boolean {
  if (!probe || probe.state === 'running') return false;
  if (probe.state === 'over-limit' || probe.state === 'failed') return true;
  if (probe.state === 'done') return retainers.length === 0;
  return probe.limitBytes === 0;
}

/** The label of the on-demand button, with the expected pause. */
export function probeButtonText(probe: LeakRetainerProbeView): string {
  const pause = pauseText(probe);
  return pause
    ? l10n.t('Find what keeps it (pauses the program {0})', pause)
    : l10n.t('Find what keeps it (pauses the program)');
}
