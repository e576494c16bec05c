import * as vscode from 'vscode';
import type { LeakSensitivity } from '../../core/leak/types';

/** Typed view of the `memoryMonitor.leakDetection.*` settings. */
export interface LeakConfig {
  enabled: boolean;
  sensitivity: LeakSensitivity;
  keepFlagsAfterSession: boolean;
}

const SECTION = 'memoryMonitor.leakDetection';

/** Reads the leak detection settings; unknown sensitivities fall back to `normal`. */
export function readLeakConfig(): LeakConfig {
  const c = vscode.workspace.getConfiguration(SECTION);
  const s = c.get<string>('sensitivity', 'normal');
  return {
    enabled: c.get<boolean>('enabled', true) !== false,
    sensitivity: s === 'low' || s === 'high' ? s : 'normal',
    keepFlagsAfterSession: c.get<boolean>('keepFlagsAfterSession', false) === true,
  };
}

/** Fires with fresh settings whenever a leak detection setting changes. */
export function onLeakConfigChange(listener: (config: LeakConfig) => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(SECTION)) listener(readLeakConfig());
  });
}
