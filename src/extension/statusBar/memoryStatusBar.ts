import * as vscode from 'vscode';
import type { MonitorRegistry } from '../monitoring/monitorRegistry';
import { Commands } from '../commands/commands';
import type { LeakStatusSource } from '../leaks';
import { heapTrend } from '../../core/sampling/trend';
import { alertRank } from '../../core/types';
import { accessibilityLabel, escapeMarkdown, statusText, tooltipMarkdown, totalHeap } from './statusBarText';
import { mainThreadOf, workerFigures, workersOf } from './threadGroups';

/** The status bar item: heap and RSS of the active monitored session; hidden when no session is monitored. */
export class MemoryStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly registry: MonitorRegistry,
    private readonly leaks?: LeakStatusSource,
  ) {
    this.item = vscode.window.createStatusBarItem('memoryMonitor.status', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Memory Monitor';
    this.item.command = Commands.showMonitor;
    this.disposables.push(
      this.item,
      registry.onDidChange(() => this.update()),
      registry.onDidSample(({ monitor }) => {
        if (monitor === registry.active) this.update();
      }),
      registry.onDidAddMarker(({ monitor }) => {
        if (monitor === registry.active) this.update();
      }),
    );
    if (leaks) this.disposables.push(leaks.onDidChange(() => this.update()));
    this.update();
  }

  private update(): void {
    const live = this.registry.live();
    const shown = this.registry.active && !this.registry.active.ended ? this.registry.active : live[0];
    // A process with Workers shows as one item: its main thread's, with the total heap of all its threads.
    const monitor = (shown && mainThreadOf(shown, live)) ?? shown;
    const workerMonitors = monitor ? workersOf(monitor, live) : [];
    const workers = workerFigures(workerMonitors);
    const last = monitor?.samples[monitor.samples.length - 1];
    const sample = last && workers.length ? { ...last, heapUsed: totalHeap(last.heapUsed, workers) } : last;
    if (!monitor) {
      this.item.hide();
      return;
    }
    if (!sample) {
      const connecting = vscode.l10n.t('Memory Monitor is connecting to {0}', monitor.target.name);
      this.item.text = `$(pulse) ${vscode.l10n.t('Memory…')}`;
      this.item.tooltip = connecting;
      this.item.accessibilityInformation = {
        label: connecting,
        role: 'button',
      };
      this.item.show();
      return;
    }
    const trend = heapTrend(monitor.samples).direction;
    // The process's item speaks for all its threads: the most urgent level and any thread's suspected leak.
    const threads = [monitor, ...workerMonitors];
    const magnitude = threads.reduce((l, m) => (alertRank(m.level) > alertRank(l) ? m.level : l), monitor.level);
    const leakThread = threads.find((m) => this.leaks?.statusFor(m.id));
    const leak = leakThread && this.leaks?.statusFor(leakThread.id);
    // A suspected leak shows as its own level unless a threshold level is more urgent.
    const level = leak && (magnitude === 'normal' || magnitude === 'warning') ? 'leak' : magnitude;
    const threadCount = threads.length > 1 ? ` ${vscode.l10n.t('({0} threads)', threads.length)}` : '';
    this.item.text = `${statusText(sample, trend)}${threadCount}${leak ? ` $(warning) ${vscode.l10n.t('Leak?')}` : ''}`;
    this.item.accessibilityInformation = {
      label: accessibilityLabel(sample, trend, level, `${monitor.target.name}${threadCount}`),
      role: 'button',
    };
    const md = new vscode.MarkdownString(
      tooltipMarkdown({
        sessionName: monitor.target.name,
        pid: monitor.pid,
        sample: last,
        trend,
        page: monitor.isPage,
        workers,
        level,
        lastGc: monitor.lastGc,
        otherSessions: live.length - 1 - workers.length,
      }),
    );
    if (leak && leakThread !== monitor)
      md.appendMarkdown(
        `\n\nIn Worker ${leakThread?.threadId ?? '?'} (${escapeMarkdown(leakThread?.target.name ?? '')}):`,
      );
    if (leak) md.appendMarkdown(`\n\n${leak.tooltipMarkdown}`);
    md.supportHtml = false;
    md.isTrusted = leak ? { enabledCommands: leak.enabledCommands } : false;
    this.item.tooltip = md;
    this.item.backgroundColor =
      level === 'critical' || level === 'emergency'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : level === 'warning' || level === 'leak'
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    this.item.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
