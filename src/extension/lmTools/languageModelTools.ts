// The language-model tools (package.json `contributes.languageModelTools`): what an agent in the editor can ask
// Memory Monitor about the user's own debug sessions. Each reuses the feature that owns the data: the monitor
// registry, the leak controller, the snapshot viewer's analysis worker, the snapshot capture and the diagnostic GC.
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { formatBytes } from '../../core/format';
import { heapTrend } from '../../core/sampling/trend';
import { describeGc } from '../commands/gcMessage';
import { captureSnapshotOf } from '../commands/snapshotCommands';
import type { FeatureContext } from '../feature';
import type { LeakController } from '../leaks/leakController';
import type { SessionMonitor } from '../monitoring/sessionMonitor';
import { latestSnapshot } from '../snapshots/snapshotStore';
import type { OpenSnapshots } from '../viewer/snapshotEditorProvider';
import type { SnapshotSource } from '../viewer/snapshotSource';
import {
  gcText,
  leakReportText,
  markdownCode,
  plain,
  sessionStatusText,
  snapshotSummaryText,
  snapshotTakenText,
  type SessionStatusInput,
  type SnapshotOrigin,
} from './toolText';

/** Tool names, as contributed in package.json (test/extension/languageModelTools.test.ts keeps the two in sync). */
export const ToolNames = {
  sessionStatus: 'memoryMonitor_sessionStatus',
  leakReport: 'memoryMonitor_leakReport',
  snapshotSummary: 'memoryMonitor_snapshotSummary',
  takeSnapshot: 'memoryMonitor_takeSnapshot',
  diagnosticGc: 'memoryMonitor_diagnosticGc',
} as const;

/** Input of the tools that act on one session (default: the session the editor shows, else the only live one). */
export interface SessionInput {
  sessionId?: string;
}
export interface SnapshotSummaryInput {
  file?: string;
  top?: number;
  filter?: string;
}
export interface DiagnosticGcInput extends SessionInput {
  testCycle?: boolean;
}

/** What the tools read besides the shared services. */
export interface LanguageModelToolSources {
  leaks: LeakController;
  snapshots: OpenSnapshots;
}

const result = (text: string) => new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(text)]);

/** Registers the five tools; a host without the language-model API (older than 1.95) gets none. */
export function registerLanguageModelTools(ctx: FeatureContext, sources: LanguageModelToolSources): void {
  if (typeof vscode.lm?.registerTool !== 'function') {
    ctx.log.info('language-model tools not registered: this editor has no vscode.lm.registerTool');
    return;
  }
  const { registry } = ctx;
  const register = <T>(name: string, tool: vscode.LanguageModelTool<T>) =>
    ctx.store.add(vscode.lm.registerTool(name, tool));

  register<Record<string, never>>(ToolNames.sessionStatus, {
    invoke: () => result(sessionStatusText(registry.all().map((m) => statusOf(ctx, sources.leaks, m)))),
  });

  register<SessionInput>(ToolNames.leakReport, {
    invoke: ({ input }) => {
      const monitor = input.sessionId ? findSession(ctx, input.sessionId) : undefined;
      return result(leakReportText(sources.leaks.report(monitor?.id)));
    },
  });

  register<SnapshotSummaryInput>(ToolNames.snapshotSummary, {
    invoke: async ({ input }, token) => {
      const top = Math.max(1, Math.min(50, Math.floor(input.top ?? 15)));
      const filter = (input.filter ?? '').slice(0, 200);
      const found = await snapshotFor(ctx, sources.snapshots, input.file);
      try {
        const s = await found.source;
        const [stats, classes] = await Promise.all([s.statistics(), s.classes(filter, 'retainedSize', true, 0, top)]);
        if (token.isCancellationRequested) throw new vscode.CancellationError();
        return result(snapshotSummaryText(found.file, found.origin, s.info, stats, classes.items, filter));
      } finally {
        if (found.owned)
          void found.source.then(
            (s) => s.dispose(),
            () => undefined,
          );
      }
    },
  });

  register<SessionInput>(ToolNames.takeSnapshot, {
    prepareInvocation: ({ input }) => {
      const monitor = tryTarget(ctx, input.sessionId);
      if (!monitor) return { invocationMessage: vscode.l10n.t('Taking a heap snapshot') };
      const name = markdownCode(monitor.target.name);
      const heap = formatBytes(monitor.lastSample?.heapUsed ?? null);
      return {
        invocationMessage: new vscode.MarkdownString(vscode.l10n.t('Taking a heap snapshot of {0}', name)),
        confirmationMessages: {
          title: vscode.l10n.t('Take a heap snapshot?'),
          message: new vscode.MarkdownString(
            vscode.l10n.t(
              'Memory Monitor will write a heap snapshot of {0} (heap used {1}) to the snapshot folder. The program pauses while V8 writes it, and the file holds every string of the program (tokens, passwords, personal data); it is saved readable by you only.',
              name,
              heap,
            ),
          ),
        },
      };
    },
    invoke: async ({ input }, token) => {
      const monitor = target(ctx, input.sessionId);
      const abort = new AbortController();
      const cancel = token.onCancellationRequested(() => abort.abort());
      try {
        const r = await captureSnapshotOf(ctx, monitor, abort.signal);
        return result(snapshotTakenText(monitor.target.name, r.file, r.bytes));
      } finally {
        cancel.dispose();
      }
    },
  });

  register<DiagnosticGcInput>(ToolNames.diagnosticGc, {
    prepareInvocation: ({ input }) => {
      const monitor = tryTarget(ctx, input.sessionId);
      if (!monitor) return { invocationMessage: vscode.l10n.t('Running a diagnostic GC') };
      const cycle =
        input.testCycle === false
          ? ''
          : ` ${vscode.l10n.t('It also creates an unreachable reference cycle and checks that the collector reclaims it.')}`;
      return {
        invocationMessage: new vscode.MarkdownString(
          vscode.l10n.t('Running a diagnostic GC in {0}', markdownCode(monitor.target.name)),
        ),
        confirmationMessages: {
          title: vscode.l10n.t('Run a diagnostic GC?'),
          message: new vscode.MarkdownString(
            vscode.l10n.t(
              'Memory Monitor will force a full garbage collection in {0}; the program pauses for as long as it takes (usually milliseconds).{1}',
              markdownCode(monitor.target.name),
              cycle,
            ),
          ),
        },
      };
    },
    invoke: async ({ input }) => {
      const monitor = target(ctx, input.sessionId);
      const r = await monitor.runDiagnosticGc(input.testCycle !== false, false);
      return result(gcText(describeGc(plain(monitor.target.name), r), r));
    },
  });
}

/** One session's status for the session status tool. */
function statusOf(ctx: FeatureContext, leaks: LeakController, m: SessionMonitor): SessionStatusInput {
  const report = leaks.report(m.id);
  const top = report?.verdicts.length
    ? [...report.verdicts].sort((a, b) => b.rateBytesPerSec - a.rateBytesPerSec)[0]
    : undefined;
  const { thresholdMb, alertThresholdMb } = ctx.config.current;
  return {
    id: m.id,
    name: m.target.name,
    pid: m.pid,
    ended: m.ended,
    active: ctx.registry.active === m,
    sample: m.samples[m.samples.length - 1],
    sampleCount: m.samples.length,
    intervalMs: m.intervalMs,
    trend: heapTrend(m.samples),
    level: m.level,
    thresholds: {
      warningBytes: thresholdMb * 0.8e6,
      criticalBytes: thresholdMb * 1e6,
      emergencyBytes: alertThresholdMb * 1e6,
    },
    leak: {
      suspected: !!report?.suspected,
      rateBytesPerSec: top?.rateBytesPerSec ?? null,
      metric: top?.metric ?? null,
    },
    lastGc: m.lastGc,
    now: Date.now(),
  };
}

/** A session by id or by name; throws a one-line error the model can act on. */
function findSession(ctx: FeatureContext, id: string): SessionMonitor {
  const m = ctx.registry.get(id) ?? ctx.registry.all().find((x) => x.target.name === id);
  if (!m) throw new Error(`No monitored session "${plain(id)}"; memoryMonitor_sessionStatus lists the sessions.`);
  return m;
}

/** The live session a tool acts on: the one named, else the one the editor shows, else the first live one. */
function target(ctx: FeatureContext, id: string | undefined): SessionMonitor {
  const m = id
    ? findSession(ctx, id)
    : ctx.registry.active && !ctx.registry.active.ended
      ? ctx.registry.active
      : ctx.registry.live()[0];
  if (!m)
    throw new Error(
      'No debug session is being monitored. Ask the user to start debugging a Node.js program (F5) first.',
    );
  if (m.ended) throw new Error(`The session "${plain(m.target.name)}" has ended; its program is gone.`);
  return m;
}

function tryTarget(ctx: FeatureContext, id: string | undefined): SessionMonitor | undefined {
  try {
    return target(ctx, id);
  } catch {
    // invoke reports the reason.
    return undefined;
  }
}

/** The snapshot to summarise: the file given, the one open in a viewer, or the newest in the snapshot folder. */
async function snapshotFor(
  ctx: FeatureContext,
  snapshots: OpenSnapshots,
  file: string | undefined,
): Promise<{ file: string; origin: SnapshotOrigin; source: Promise<SnapshotSource>; owned: boolean }> {
  if (file) {
    const resolved = path.resolve(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '', file);
    if (!resolved.endsWith('.heapsnapshot')) throw new Error('Only .heapsnapshot files can be summarised.');
    if (!existsSync(resolved)) throw new Error(`No such heap snapshot: ${plain(resolved, 300)}`);
    return { file: resolved, origin: 'file given', source: snapshots.open(resolved), owned: true };
  }
  const open = snapshots.current();
  if (open) return { file: open.uri.fsPath, origin: 'open in the viewer', source: open.source, owned: false };
  const latest = await latestSnapshot(ctx.folders.snapshots());
  if (!latest)
    throw new Error(
      'No heap snapshot is open and none was taken yet; memoryMonitor_takeSnapshot takes one of a monitored session.',
    );
  return { file: latest, origin: 'latest in the snapshot folder', source: snapshots.open(latest), owned: true };
}
