import * as vscode from 'vscode';
import type { MonitorRegistry } from '../monitoring/monitorRegistry';
import { Commands } from '../commands/commands';
import type { LeakStatusSource } from '../leaks';
import { heapTrend } from '../../core/sampling/trend';
import { accessibilityLabel, statusText, tooltipMarkdown } from './statusBarText';

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
    const monitor = this.registry.active && !this.registry.active.ended ? this.registry.active : live[0];
    const sample = monitor?.samples[monitor.samples.length - 1];
    if (!monitor) {
      this.item.hide();
      return;
    }
    if (!sample) {
      this.item.text = '$(pulse) Memory…';
      this.item.tooltip = `Memory Monitor is connecting to ${monitor.target.name}`;
      this.item.accessibilityInformation = {
        label: `Memory Monitor is connecting to ${monitor.target.name}`,
        role: 'button',
      };
      this.item.show();
      return;
    }
    const trend = heapTrend(monitor.samples).direction;
    // A suspected leak shows as its own level unless a threshold level is more urgent.
    const leak = this.leaks?.statusFor(monitor.id);
    const level = leak && (monitor.level === 'normal' || monitor.level === 'warning') ? 'leak' : monitor.level;
    this.item.text = `${statusText(sample, trend)}${leak ? ' $(warning) Leak?' : ''}`;
    this.item.accessibilityInformation = {
      label: accessibilityLabel(sample, trend, level, monitor.target.name),
      role: 'button',
    };
    const md = new vscode.MarkdownString(
      tooltipMarkdown({
        sessionName: monitor.target.name,
        pid: monitor.pid,
        sample,
        trend,
        level,
        lastGc: monitor.lastGc,
        otherSessions: live.length - 1,
      }),
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
