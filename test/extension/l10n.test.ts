// Localization: package.json's contributed texts live in package.nls.json (one key each, no key missing or unused),
// the runtime strings in l10n/bundle.l10n.json (what @vscode/l10n-dev extracts from src/ now), and a translation
// bundle really reaches what the user sees: notifications through vscode.l10n, status bar and leak texts (pure
// modules) through @vscode/l10n configured at activation.
import { fake, Uri } from './withFakeVscode';
import * as l10n from '@vscode/l10n';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type * as vscode from 'vscode';
import { Commands } from '../../src/extension/commands/commands';
import { activate } from '../../src/extension/extension';
import { accessibilityLabel } from '../../src/extension/statusBar/statusBarText';
import { extensionRoot } from './testContext';

const root = path.join(__dirname, '../..');
const readJson = (file: string) => JSON.parse(readFileSync(path.join(root, file), 'utf8')) as Record<string, unknown>;
const pkg = readJson('package.json');
const nls = readJson('package.nls.json') as Record<string, string>;
const bundle = readJson('l10n/bundle.l10n.json') as Record<string, string>;

/** Every string value of a JSON tree with its path. */
function strings(value: unknown, at = ''): Array<[string, string]> {
  if (typeof value === 'string') return [[at, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${at}[${i}]`));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => strings(v, at ? `${at}.${k}` : k));
  return [];
}

describe('package.nls.json', () => {
  const refs = strings(pkg).filter(([, v]) => /^%.+%$/.test(v));

  it('has every %key% package.json uses, and no key it does not use', () => {
    const used = new Set(refs.map(([, v]) => v.slice(1, -1)));
    assert.ok(used.size >= 45, `package.json refers to ${used.size} keys`);
    for (const [at, v] of refs) assert.ok(v.slice(1, -1) in nls, `${at}: ${v} is in package.nls.json`);
    for (const key of Object.keys(nls)) assert.ok(used.has(key), `package.nls.json: "${key}" is used by package.json`);
    for (const [key, text] of Object.entries(nls)) assert.ok(text.trim().length > 0, `${key} has English text`);
  });

  it('leaves no user-visible contributed text in package.json itself', () => {
    const visible =
      /\.(title|category|description|markdownDescription|displayName|userDescription|patternErrorMessage)$|\.(enumDescriptions|markdownEnumDescriptions)\[\d+\]$/;
    // Texts for the language model (modelDescription, the tools' input schemas) stay English: they are prompts.
    // Command titles and their category stay literal too: they are the public names scripts, docs, keybindings and
    // other tools read from package.json ("Memory: Run Diagnostic GC"), a contract we do not turn into keys.
    const commandTitle = /^contributes\.commands\[\d+\]\.(title|category)$/;
    const left = strings(pkg.contributes, 'contributes').filter(
      ([at, v]) => visible.test(at) && !at.includes('.inputSchema.') && !commandTitle.test(at) && !/^%.+%$/.test(v),
    );
    assert.deepEqual(left, []);
  });

  it('keeps command titles as they were, literal in package.json (the palette, the e2e and scripts find them)', () => {
    const commands = (fake.manifest as unknown as { contributes: { commands: { title: string; category: string }[] } })
      .contributes.commands;
    assert.deepEqual(
      commands.map((c) => `${c.category}: ${c.title}`),
      [
        'Memory: Start Monitoring',
        'Memory: Stop Monitoring',
        'Memory: Show Monitor',
        'Memory: Run Diagnostic GC',
        'Memory: Take Heap Snapshot',
        'Memory: Open Heap Snapshot…',
        'Memory: Compare Heap Snapshots…',
        'Memory: Export Recording…',
        'Memory: Compare Recordings…',
        'Memory: Show Leak Report',
        'Memory: Hunt Leak',
        'Memory: Find What Keeps the Leak (two heap snapshots)',
      ],
    );
  });
});

describe('l10n/bundle.l10n.json', () => {
  it('is what @vscode/l10n-dev extracts from src/ and webview/src/ now (run `npm run l10n` after changing a string)', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'memmon-l10n-'));
    try {
      const cli = path.join(root, 'node_modules/@vscode/l10n-dev/dist/cli.js');
      const r = spawnSync(process.execPath, [cli, 'export', '--outDir', out, './src', './webview/src'], {
        cwd: root,
        encoding: 'utf8',
      });
      assert.equal(r.status, 0, r.stderr);
      const fresh = JSON.parse(readFileSync(path.join(out, 'bundle.l10n.json'), 'utf8')) as Record<string, string>;
      assert.deepEqual(bundle, fresh);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('is the English bundle: each message is its own text, placeholders numbered from {0}', () => {
    assert.ok(Object.keys(bundle).length >= 100, `${Object.keys(bundle).length} runtime strings`);
    for (const [key, text] of Object.entries(bundle)) {
      assert.equal(text, key);
      const used = [...key.matchAll(/\{(\d+)\}/g)].map((m) => Number(m[1]));
      for (let i = 0; i < Math.max(0, ...used.map((n) => n + 1)); i++)
        assert.ok(used.includes(i), `"${key}" uses {${i}}`);
    }
  });
});

describe('a translation reaches the user', () => {
  const storage = mkdtempSync(path.join(tmpdir(), 'memmon-l10n-activate-'));
  const context = {
    subscriptions: [] as { dispose(): unknown }[],
    extensionUri: Uri.file(extensionRoot),
    globalStorageUri: Uri.file(storage),
  };
  after(() => {
    for (const d of context.subscriptions) d.dispose();
    fake.l10nBundle = undefined;
    l10n.config({ contents: {} });
    rmSync(storage, { recursive: true, force: true });
  });

  // A pseudo-translation of every runtime string: «…» around the English, placeholders kept.
  const pseudo = Object.fromEntries(Object.keys(bundle).map((k) => [k, `«${k}»`]));

  it('notifications go through vscode.l10n, pure texts through @vscode/l10n with the bundle VS Code loaded', async () => {
    fake.l10nBundle = pseudo;
    activate(context as unknown as vscode.ExtensionContext);
    fake.messages.length = 0;
    // No session: Stop Monitoring says so in a notification.
    await fake.commands.items.get(Commands.stopMonitoring)?.();
    assert.deepEqual(fake.messages, [
      {
        level: 'info',
        text: '«No debug session is being monitored. Start debugging a Node.js program (F5) or run "Memory: Start Monitoring".»',
      },
    ]);
    // The status bar's accessible text is built in a module without vscode: activation configured @vscode/l10n.
    assert.equal(
      accessibilityLabel({ heapUsed: 182_400_000, rss: null }, 'up', 'normal', 'api'),
      '«Memory of api: heap used 182 MB, «rising». Click to show the Memory Monitor.»',
    );
  });
});
