// A FeatureContext on the fake editor API (./fakeVscode.ts), with the real registry, config service and panel host.
import { Uri } from './withFakeVscode';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { DisposableStore, toDisposable } from '../../src/core/disposableStore';
import { ConfigService } from '../../src/extension/config';
import type { FeatureContext } from '../../src/extension/feature';
import { MonitorRegistry } from '../../src/extension/monitoring/monitorRegistry';
import { MonitorPanelHost } from '../../src/extension/panel/monitorPanelHost';
import { DebugSessionTracker } from '../../src/extension/sessions/debugSessionTracker';

/** The repository root: the extension's folder (dist/ holds the built webviews and the heap worker). */
export const extensionRoot = path.join(__dirname, '../..');

/** A fresh context; dispose `ctx.store` to release everything the features registered. */
export function testContext(): FeatureContext & { log: vscode.LogOutputChannel } {
  const store = new DisposableStore();
  const storage = mkdtempSync(path.join(tmpdir(), 'memmon-ext-'));
  store.add(toDisposable(() => rmSync(storage, { recursive: true, force: true })));
  const log = vscode.window.createOutputChannel('Memory Monitor (test)', { log: true });
  const config = store.add(new ConfigService());
  const registry = store.add(new MonitorRegistry());
  const tracker = store.add(
    new DebugSessionTracker(
      registry,
      () => config.current,
      () => storage,
      log,
    ),
  );
  const extensionUri = Uri.file(extensionRoot) as unknown as vscode.Uri;
  const monitorPanel = store.add(new MonitorPanelHost(extensionUri, registry, config));
  return {
    extensionUri,
    log,
    config,
    registry,
    tracker,
    monitorPanel,
    folders: { recordings: () => path.join(storage, 'recordings'), snapshots: () => path.join(storage, 'snapshots') },
    store,
  };
}
