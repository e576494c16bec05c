// Pure text of the diagnostic GC notification. No vscode import; strings go through @vscode/l10n.
import * as l10n from '@vscode/l10n';
import { formatBytes } from '../../core/format';
import type { GcResult } from '../../core/types';

/** The notification text of a diagnostic GC. */
export function describeGc(name: string, r: GcResult): string {
  const freed =
    r.freed >= 0
      ? l10n.t('freed {0}', formatBytes(r.freed))
      : l10n.t('heap grew by {0} meanwhile', formatBytes(-r.freed));
  const cycle = r.testCycle
    ? r.testCycle.collected
      ? ` ${l10n.t('Test cycle collected: collector verified.')}`
      : ` ${l10n.t('WARNING: the test cycle was NOT collected.')}`
    : '';
  return l10n.t(
    'Diagnostic GC in "{0}": {1} (heap {2} → {3}) in {4} ms.{5}',
    name,
    freed,
    formatBytes(r.before.heapUsed),
    formatBytes(r.after.heapUsed),
    Math.round(r.durationMs),
    cycle,
  );
}
