import { fake, Uri } from './withFakeVscode';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type * as vscode from 'vscode';
import {
  CommandHandlers,
  Commands,
  ContextKeys,
  InternalCommands,
  ViewTypes,
} from '../../src/extension/commands/commands';
import { activate } from '../../src/extension/extension';
import { extensionRoot } from './testContext';

const contributes = (
  fake.manifest as unknown as {
    contributes: {
      commands: { command: string }[];
      menus: Record<string, { command: string; when?: string }[]>;
      customEditors: { viewType: string }[];
    };
  }
).contributes;
const activationEvents = (fake.manifest as unknown as { activationEvents: string[] }).activationEvents;
const contributed = contributes.commands.map((c) => c.command);
const internal: string[] = Object.values(InternalCommands);

// Compile-time half of the registry's promise: a handler map that misses a command does not type-check.
// @ts-expect-error huntLeak has no handler
const _incomplete: CommandHandlers = {} as Omit<CommandHandlers, 'huntLeak'>;

describe('command registry and package.json', () => {
  it('lists exactly the contributed commands, each once', () => {
    assert.equal(new Set(contributed).size, contributed.length);
    assert.deepEqual(Object.values(Commands).sort(), [...contributed].sort());
  });

  it('keeps internal commands out of the manifest', () => {
    for (const id of internal) {
      assert.ok(id.startsWith('memoryMonitor.internal.'), id);
      assert.ok(!contributed.includes(id), id);
    }
  });

  it('menus name contributed commands and only context keys the extension sets', () => {
    const keys: string[] = Object.values(ContextKeys);
    for (const [menu, items] of Object.entries(contributes.menus)) {
      for (const item of items) {
        assert.ok(contributed.includes(item.command), `${menu}: ${item.command}`);
        for (const key of item.when?.match(/memoryMonitor\.\w+/g) ?? []) assert.ok(keys.includes(key), key);
      }
    }
  });

  it('view types match the custom editor and the webview activation events', () => {
    assert.deepEqual(
      contributes.customEditors.map((e) => e.viewType),
      [ViewTypes.heapSnapshot],
    );
    const views: string[] = Object.values(ViewTypes);
    for (const event of activationEvents.filter((e) => e.startsWith('onWebviewPanel:')))
      assert.ok(views.includes(event.slice('onWebviewPanel:'.length)), event);
  });
});

describe('activation on the fake editor API', () => {
  const storage = mkdtempSync(path.join(tmpdir(), 'memmon-activate-'));
  after(() => rmSync(storage, { recursive: true, force: true }));
  const context = {
    subscriptions: [] as { dispose(): unknown }[],
    extensionUri: Uri.file(extensionRoot),
    globalStorageUri: Uri.file(storage),
  };

  it('registers a handler for every contributed and internal command, and nothing else', () => {
    activate(context as unknown as vscode.ExtensionContext);
    assert.deepEqual([...fake.commands.items.keys()].sort(), [...contributed, ...internal].sort());
  });

  it('sets the context keys, shows no status bar item without a session, and listens to settings once', () => {
    const set = fake.executed.filter((e) => e.id === 'setContext').map((e) => e.args);
    assert.deepEqual(
      set.sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      [
        [ContextKeys.canStart, false],
        [ContextKeys.hasRecording, false],
        [ContextKeys.monitoring, false],
      ],
    );
    assert.equal(fake.statusItems.length, 1);
    assert.equal(fake.statusItems[0].visible, false);
    assert.equal(fake.configEmitter.listenerCount, 1);
    assert.deepEqual([...fake.serializers.items.keys()].sort(), [ViewTypes.leakReport, ViewTypes.monitor]);
    assert.deepEqual([...fake.editorProviders.items.keys()], [ViewTypes.heapSnapshot]);
  });

  it('runs a command through the registry (Show Monitor opens the one Monitor panel)', async () => {
    await fake.commands.items.get(Commands.showMonitor)?.();
    await fake.commands.items.get(Commands.showMonitor)?.({ some: 'call stack item' });
    const monitors = fake.panels.filter((p) => p.viewType === ViewTypes.monitor);
    assert.equal(monitors.length, 1);
    assert.equal(monitors[0].revealCount, 1);
  });

  it('releases everything on deactivation: commands, providers, listeners, panels, channel', () => {
    for (const d of context.subscriptions) d.dispose();
    assert.equal(fake.commands.items.size, 0);
    assert.equal(fake.serializers.items.size, 0);
    assert.equal(fake.editorProviders.items.size, 0);
    assert.equal(fake.configEmitter.listenerCount, 0);
    for (const emitter of Object.values(fake.debugEmitters)) assert.equal(emitter.listenerCount, 0);
    assert.ok(fake.panels.every((p) => p.disposed));
    assert.ok(fake.statusItems.every((s) => s.disposed));
    assert.ok(fake.outputChannels.every((c) => c.disposed));
  });
});
