import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as vscode from 'vscode';
import {
  FromLeakReportMessage,
  isFromLeakReportMessage,
  LeakReportView,
  ToLeakReportMessage,
} from '../../shared/leakProtocol';
import { DisposableStore } from '../../core/disposableStore';
import { Commands, runCommand, ViewTypes } from '../commands/commands';
import { PanelView, SingletonPanel } from '../panel/singletonPanel';
import { webviewHtml } from '../panel/webviewHtml';
import type { LeakController } from './leakController';
import { reportMarkdown, suspectMarkdown } from './leakText';

/** Owns the window's Leak Report panel: shows it for a session and tells it when a hunt runs. */
export class LeakReportPanelHost implements vscode.Disposable {
  private readonly slot: SingletonPanel<LeakReportPanel>;

  constructor(extensionUri: vscode.Uri, controller: LeakController) {
    this.slot = new SingletonPanel({
      extensionUri,
      viewType: ViewTypes.leakReport,
      title: vscode.l10n.t('Leak Report'),
      create: (panel) => new LeakReportPanel(panel, extensionUri, controller),
    });
  }

  /** The open panel, if any. */
  get current(): LeakReportPanel | undefined {
    return this.slot.current;
  }

  /** Shows the panel (creating it if needed) for a session (default: the active or most recent suspicious one). */
  show(sessionId?: string): LeakReportPanel {
    const panel = this.slot.show();
    panel.showSession(sessionId);
    return panel;
  }

  /** Tells an open panel that a hunt runs (or ended). */
  busy(action: 'hunt' | 'snapshot' | 'retainers', busy: boolean): void {
    this.slot.current?.post({ type: 'busy', action, busy });
  }

  dispose(): void {
    this.slot.dispose();
  }
}

/** The Leak Report panel: one session's ranked suspects and their evidence. */
export class LeakReportPanel implements PanelView {
  private readonly store = new DisposableStore();
  private ready = false;
  private sessionId: string | null = null;
  readonly onDidDispose: vscode.Event<void>;

  constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly controller: LeakController,
  ) {
    this.onDidDispose = panel.onDidDispose;
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'leakReport', 'Leak Report');
    this.store.add(panel.onDidDispose(() => this.dispose()));
    this.store.add(
      panel.webview.onDidReceiveMessage((m: unknown) => {
        if (isFromLeakReportMessage(m))
          this.onMessage(m).catch(
            (err: Error) => void vscode.window.showErrorMessage(vscode.l10n.t('Leak Report: {0}', err.message)),
          );
      }),
    );
    this.store.add(
      controller.onDidChange((id) => {
        if (!this.sessionId || id === this.sessionId || !this.controller.report(this.sessionId)) this.send();
      }),
    );
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  /** Switches to a session (when given) and re-sends the report. */
  showSession(sessionId: string | undefined): void {
    if (sessionId) this.sessionId = sessionId;
    this.send();
  }

  private report() {
    const r = this.controller.report(this.sessionId ?? undefined) ?? this.controller.report();
    if (r) this.sessionId = r.sessionId;
    return r;
  }

  private send(): void {
    this.post({ type: 'report', report: this.report(), sessions: this.controller.list() });
  }

  private async onMessage(m: FromLeakReportMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.send();
        break;
      case 'selectSession':
        this.sessionId = m.sessionId;
        this.send();
        break;
      case 'openSource':
        // The webview is not trusted: it may only open what the report it was sent names.
        if (namedFiles(this.report()).has(m.file)) await openSource(m.file, m.line, m.column);
        else
          void vscode.window.showWarningMessage(
            vscode.l10n.t(
              'Memory Monitor did not open "{0}": it is not a file named in the current leak report.',
              m.file,
            ),
          );
        break;
      case 'takeSnapshot':
        this.post({ type: 'busy', action: 'snapshot', busy: true });
        try {
          await runCommand(Commands.takeHeapSnapshot, this.sessionId);
        } finally {
          this.post({ type: 'busy', action: 'snapshot', busy: false });
        }
        break;
      case 'huntLeak':
        await runCommand(Commands.huntLeak, this.sessionId);
        break;
      case 'findRetainers':
        // The button states the expected pause: clicking it is the confirmation.
        await runCommand(Commands.findLeakRetainers, this.sessionId, true);
        break;
      case 'copyMarkdown': {
        const r = this.report();
        if (!r) return;
        const suspect = m.key ? r.suspects.find((s) => s.key === m.key) : undefined;
        await vscode.env.clipboard.writeText(suspect ? suspectMarkdown(suspect) : reportMarkdown(r));
        void vscode.window.showInformationMessage(
          suspect
            ? vscode.l10n.t('Copied suspect #{0} as Markdown.', suspect.rank)
            : vscode.l10n.t('Copied the leak report as Markdown.'),
        );
        break;
      }
      case 'export':
        await this.export(m.format);
        break;
    }
  }

  private async export(format: 'json' | 'markdown'): Promise<void> {
    const r = this.report();
    if (!r) return;
    const ext = format === 'json' ? 'json' : 'md';
    const name = `leak-report-${r.sessionName.replace(/[^\w.-]+/g, '_').slice(0, 40)}.${ext}`;
    const base = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(process.cwd());
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(base, name),
      filters: format === 'json' ? { JSON: ['json'] } : { Markdown: ['md'] },
      title: vscode.l10n.t('Export Leak Report'),
    });
    if (!target) return;
    await writeFile(target.fsPath, format === 'json' ? `${JSON.stringify(r, null, 2)}\n` : reportMarkdown(r));
    void vscode.window.showInformationMessage(vscode.l10n.t('Leak report saved to {0}.', path.basename(target.fsPath)));
  }

  /** Posts to the webview once it is ready (it asks for the whole state when it is). */
  post(message: ToLeakReportMessage): void {
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (this.store.isDisposed) return;
    this.store.dispose();
    this.panel.dispose();
  }
}

/** Every file a report names: its suspects', their stack frames' and its retainers'. */
export function namedFiles(report: LeakReportView | null | undefined): Set<string> {
  const files = new Set<string>();
  for (const s of report?.suspects ?? []) {
    files.add(s.file);
    for (const f of s.stack) files.add(f.file);
  }
  for (const r of report?.retainers ?? []) if (r.file) files.add(r.file);
  return files;
}

/** Opens a suspect's file at its line (an absolute path or a file:// URL); other URLs get a clear message. */
export async function openSource(file: string, line: number, column: number): Promise<void> {
  const uri = path.isAbsolute(file)
    ? vscode.Uri.file(file)
    : file.startsWith('file://')
      ? vscode.Uri.parse(file)
      : undefined;
  if (!uri) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('Memory Monitor cannot open "{0}": it is not a file on this machine.', file),
    );
    return;
  }
  const pos = new vscode.Position(Math.max(0, line - 1), Math.max(0, column - 1));
  await vscode.window.showTextDocument(uri, { selection: new vscode.Range(pos, pos), preview: false });
}
