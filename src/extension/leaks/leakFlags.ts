import path from 'node:path';
import * as vscode from 'vscode';
import type { LeakReportView, LeakSuspectView } from '../../shared/leakProtocol';
import { DisposableStore } from '../../core/disposableStore';
import { Commands } from '../commands/commands';
import type { LeakController } from './leakController';
import { flaggedRetainers, flaggedSuspects, type LocatedRetainer, sameFlags, sameRetainerFlags } from './leakSuspects';
import {
  commandLink,
  diagnosticMessage,
  hoverMarkdown,
  inlineText,
  retainerDiagnosticMessage,
  retainerHoverMarkdown,
  retainerInlineText,
} from './leakText';

export const LEAK_DIAGNOSTIC_SOURCE = 'Memory Monitor';
/** The allocation flag: "allocates here". */
export const LEAK_DIAGNOSTIC_CODE = 'suspected-leak';
/** The retainer flag: "kept here". */
export const RETAINER_DIAGNOSTIC_CODE = 'leak-retainer';

interface SessionFlags {
  report: LeakReportView;
  flags: LeakSuspectView[];
  /** Retaining lines: where the leaked objects are added to the holder that keeps them. */
  keeps: LocatedRetainer[];
}

/** A flagged line: its position and what the flag says. */
interface FlagLine {
  file: string;
  line: number;
  column: number;
}

/** A file path comparable across sources (case-insensitive where the file system is). */
function fileKey(file: string): string {
  const n = path.normalize(file);
  return process.platform === 'win32' || process.platform === 'darwin' ? n.toLowerCase() : n;
}

/**
 * Inline flags at suspect allocation lines ("allocates here") and at the lines that add the leaked objects to the
 * holder that keeps them ("kept here", from the core's retainer snapshots): a Warning diagnostic (source "Memory Monitor"), an after-line
 * decoration in the contributed `memoryMonitor.leakForeground` colour with a hover holding the evidence and links
 * to the report, and quick fixes that open the report or hunt the leak. Updated as evidence changes; cleared when
 * the session ends unless `memoryMonitor.leakDetection.keepFlagsAfterSession` is on.
 */
export class LeakFlags implements vscode.Disposable, vscode.CodeActionProvider {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('memory-monitor');
  private readonly decoration = vscode.window.createTextEditorDecorationType({
    after: { color: new vscode.ThemeColor('memoryMonitor.leakForeground'), margin: '0 0 0 2em', fontStyle: 'italic' },
    overviewRulerColor: new vscode.ThemeColor('memoryMonitor.leakForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Right,
    isWholeLine: true,
  });
  private readonly keepsDecoration = vscode.window.createTextEditorDecorationType({
    after: { color: new vscode.ThemeColor('memoryMonitor.leakForeground'), margin: '0 0 0 2em' },
    overviewRulerColor: new vscode.ThemeColor('memoryMonitor.leakForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Right,
    isWholeLine: true,
  });
  private readonly sessions = new Map<string, SessionFlags>();
  private readonly store = new DisposableStore();

  constructor(private readonly controller: LeakController) {
    this.store.add(this.diagnostics);
    this.store.add(this.decoration);
    this.store.add(this.keepsDecoration);
    this.store.add(controller.onDidChange((id) => this.update(id)));
    this.store.add(vscode.window.onDidChangeVisibleTextEditors(() => this.decorate()));
    this.store.add(vscode.workspace.onDidOpenTextDocument(() => this.render()));
    this.store.add(
      vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, this, {
        providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
      }),
    );
  }

  private update(sessionId: string): void {
    const report = this.controller.report(sessionId);
    const keep = this.controller.settings.keepFlagsAfterSession;
    const shown = !!report && !(report.ended && !keep) && report.suspected;
    const flags = shown ? flaggedSuspects(report.suspects).filter((s) => path.isAbsolute(s.file)) : [];
    const keeps = shown ? flaggedRetainers(report.retainers, (f) => path.isAbsolute(f)) : [];
    const prev = this.sessions.get(sessionId);
    if (!flags.length && !keeps.length) {
      if (!prev) return;
      this.sessions.delete(sessionId);
    } else {
      if (
        prev &&
        sameFlags(prev.flags, flags) &&
        sameRetainerFlags(prev.keeps, keeps) &&
        prev.report.ended === report!.ended
      ) {
        prev.report = report!;
        return;
      }
      this.sessions.set(sessionId, { report: report!, flags, keeps });
    }
    this.render();
  }

  /** Rebuilds every diagnostic and decoration from the current flags (a handful of lines). */
  private render(): void {
    const byFile = new Map<string, { uri: vscode.Uri; items: vscode.Diagnostic[] }>();
    const add = (sessionId: string, at: FlagLine, message: string, code: string) => {
      const uri = vscode.Uri.file(at.file);
      const entry = byFile.get(fileKey(at.file)) ?? { uri, items: [] };
      const d = new vscode.Diagnostic(this.rangeOf(uri, at), message, vscode.DiagnosticSeverity.Warning);
      d.source = LEAK_DIAGNOSTIC_SOURCE;
      d.code = code;
      (d as vscode.Diagnostic & { sessionId?: string }).sessionId = sessionId;
      entry.items.push(d);
      byFile.set(fileKey(at.file), entry);
    };
    for (const { report, flags, keeps } of this.sessions.values()) {
      for (const s of flags) add(report.sessionId, s, diagnosticMessage(s), LEAK_DIAGNOSTIC_CODE);
      for (const r of keeps)
        add(report.sessionId, { ...r, column: 1 }, retainerDiagnosticMessage(r), RETAINER_DIAGNOSTIC_CODE);
    }
    this.diagnostics.clear();
    for (const { uri, items } of byFile.values()) this.diagnostics.set(uri, items);
    this.decorate();
  }

  private rangeOf(uri: vscode.Uri, s: FlagLine): vscode.Range {
    const line = Math.max(0, s.line - 1);
    const doc = vscode.workspace.textDocuments.find(
      (d) => d.uri.scheme === 'file' && fileKey(d.uri.fsPath) === fileKey(uri.fsPath),
    );
    if (doc && line < doc.lineCount) {
      const text = doc.lineAt(line);
      return new vscode.Range(line, text.firstNonWhitespaceCharacterIndex, line, text.range.end.character);
    }
    return new vscode.Range(line, Math.max(0, s.column - 1), line, Math.max(0, s.column - 1) + 1);
  }

  private decorate(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.uri.scheme !== 'file') continue;
      const key = fileKey(editor.document.uri.fsPath);
      const options: vscode.DecorationOptions[] = [];
      const keepsOptions: vscode.DecorationOptions[] = [];
      for (const { report, flags, keeps } of this.sessions.values()) {
        for (const r of keeps) {
          if (fileKey(r.file) !== key || r.line > editor.document.lineCount) continue;
          const hover = new vscode.MarkdownString(
            retainerHoverMarkdown(r, report, hoverLinks(report.sessionId, report.suspects[0])),
          );
          hover.isTrusted = { enabledCommands: [Commands.showLeakReport, Commands.huntLeak] };
          hover.supportHtml = false;
          keepsOptions.push({
            range: editor.document.lineAt(r.line - 1).range,
            hoverMessage: hover,
            renderOptions: { after: { contentText: retainerInlineText(r) } },
          });
        }
        for (const s of flags) {
          if (fileKey(s.file) !== key || s.line > editor.document.lineCount) continue;
          const hover = new vscode.MarkdownString(hoverMarkdown(s, report, hoverLinks(report.sessionId, s)));
          hover.isTrusted = {
            enabledCommands: [Commands.showLeakReport, Commands.huntLeak, Commands.takeHeapSnapshot],
          };
          hover.supportHtml = false;
          const line = editor.document.lineAt(s.line - 1);
          options.push({
            range: line.range,
            hoverMessage: hover,
            renderOptions: { after: { contentText: inlineText(s) } },
          });
        }
      }
      editor.setDecorations(this.decoration, options);
      editor.setDecorations(this.keepsDecoration, keepsOptions);
    }
  }

  /** Quick fixes on our diagnostics: open the report at this suspect, or hunt the leak. */
  provideCodeActions(
    _doc: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const ours = context.diagnostics.filter(
      (d) =>
        d.source === LEAK_DIAGNOSTIC_SOURCE && (d.code === LEAK_DIAGNOSTIC_CODE || d.code === RETAINER_DIAGNOSTIC_CODE),
    );
    if (!ours.length) return [];
    const sessionId = (ours[0] as vscode.Diagnostic & { sessionId?: string }).sessionId;
    const showTitle = vscode.l10n.t('Show Leak Report');
    const show = new vscode.CodeAction(showTitle, vscode.CodeActionKind.QuickFix);
    show.command = { command: Commands.showLeakReport, title: showTitle, arguments: [sessionId] };
    show.diagnostics = ours;
    show.isPreferred = true;
    const hunt = new vscode.CodeAction(
      vscode.l10n.t('Hunt Leak (confirm with three heap snapshots)'),
      vscode.CodeActionKind.QuickFix,
    );
    hunt.command = { command: Commands.huntLeak, title: vscode.l10n.t('Hunt Leak'), arguments: [sessionId] };
    hunt.diagnostics = ours;
    return [show, hunt];
  }

  dispose(): void {
    this.store.dispose();
  }
}

function hoverLinks(sessionId: string, s: LeakSuspectView | undefined) {
  return {
    showReport: commandLink('Show Leak Report', Commands.showLeakReport, s ? [sessionId, s.key] : [sessionId]),
    huntLeak: commandLink('Hunt Leak', Commands.huntLeak, [sessionId]),
    takeSnapshot: commandLink('Take Snapshot', Commands.takeHeapSnapshot, [sessionId]),
  };
}
