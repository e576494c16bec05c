import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as vscode from 'vscode';
import { FromLeakReportMessage, isFromLeakReportMessage, ToLeakReportMessage } from '../../shared/leakProtocol';
import { webviewHtml, webviewOptions } from '../panel/webviewHtml';
import { LEAK_COMMANDS, LEAK_REPORT_VIEW_TYPE } from './leakCommandIds';
import type { LeakController } from './leakController';
import { reportMarkdown, suspectMarkdown } from './leakText';

/** The Leak Report panel: one per window, showing one session's ranked suspects and their evidence. */
export class LeakReportPanel implements vscode.Disposable {
  private static current: LeakReportPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private sessionId: string | null = null;

  /** Shows the panel (creating it if needed) for a session (default: the active or most recent suspicious one). */
  static show(extensionUri: vscode.Uri, controller: LeakController, sessionId?: string): LeakReportPanel {
    const current = LeakReportPanel.current;
    if (current) {
      if (sessionId) current.sessionId = sessionId;
      current.panel.reveal(undefined, false);
      current.send();
      return current;
    }
    const panel = vscode.window.createWebviewPanel(
      LEAK_REPORT_VIEW_TYPE,
      'Leak Report',
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      webviewOptions(extensionUri),
    );
    return (LeakReportPanel.current = new LeakReportPanel(panel, extensionUri, controller, sessionId ?? null));
  }

  /** Restores the panel after a window reload. */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, controller: LeakController): void {
    LeakReportPanel.current?.dispose();
    panel.webview.options = webviewOptions(extensionUri);
    LeakReportPanel.current = new LeakReportPanel(panel, extensionUri, controller, null);
  }

  /** Tells an open panel that a hunt runs (or ended). */
  static busy(action: 'hunt' | 'snapshot', busy: boolean): void {
    LeakReportPanel.current?.post({ type: 'busy', action, busy });
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly controller: LeakController,
    sessionId: string | null,
  ) {
    this.sessionId = sessionId;
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'leakReport', 'Leak Report');
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => {
        if (isFromLeakReportMessage(m))
          void this.onMessage(m).catch((err: Error) => vscode.window.showErrorMessage(`Leak Report: ${err.message}`));
      }),
      controller.onDidChange((id) => {
        if (!this.sessionId || id === this.sessionId || !this.controller.report(this.sessionId)) this.send();
      }),
    );
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
        await openSource(m.file, m.line, m.column);
        break;
      case 'takeSnapshot':
        this.post({ type: 'busy', action: 'snapshot', busy: true });
        try {
          await vscode.commands.executeCommand(LEAK_COMMANDS.takeSnapshot, this.sessionId);
        } finally {
          this.post({ type: 'busy', action: 'snapshot', busy: false });
        }
        break;
      case 'huntLeak':
        await vscode.commands.executeCommand(LEAK_COMMANDS.huntLeak, this.sessionId);
        break;
      case 'copyMarkdown': {
        const r = this.report();
        if (!r) return;
        const suspect = m.key ? r.suspects.find((s) => s.key === m.key) : undefined;
        await vscode.env.clipboard.writeText(suspect ? suspectMarkdown(suspect) : reportMarkdown(r));
        void vscode.window.showInformationMessage(
          suspect ? `Copied suspect #${suspect.rank} as Markdown.` : 'Copied the leak report as Markdown.',
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
      title: 'Export Leak Report',
    });
    if (!target) return;
    await writeFile(target.fsPath, format === 'json' ? `${JSON.stringify(r, null, 2)}\n` : reportMarkdown(r));
    void vscode.window.showInformationMessage(`Leak report saved to ${path.basename(target.fsPath)}.`);
  }

  private post(message: ToLeakReportMessage): void {
    if (this.ready) void this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (LeakReportPanel.current === this) LeakReportPanel.current = undefined;
    this.disposables.forEach((d) => d.dispose());
    this.panel.dispose();
  }
}

/** Opens a suspect's file at its line (an absolute path or a file:// URL); other URLs get a clear message. */
export async function openSource(file: string, line: number, column: number): Promise<void> {
  const uri = path.isAbsolute(file)
    ? vscode.Uri.file(file)
    : file.startsWith('file://')
      ? vscode.Uri.parse(file)
      : undefined;
  if (!uri) {
    void vscode.window.showWarningMessage(`Memory Monitor cannot open "${file}": it is not a file on this machine.`);
    return;
  }
  const pos = new vscode.Position(Math.max(0, line - 1), Math.max(0, column - 1));
  await vscode.window.showTextDocument(uri, { selection: new vscode.Range(pos, pos), preview: false });
}
