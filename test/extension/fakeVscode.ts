// A minimal stand-in for the `vscode` module: the few editor APIs the extension's wiring touches, recording what it
// does (registered commands, posted messages, notifications) so fast tests can check the logic without an editor.
// Loaded in place of `vscode` by ./withFakeVscode.ts. Real behaviour lives in the e2e suite (code-server).
import { readFileSync } from 'node:fs';
import path from 'node:path';

type Listener<T> = (e: T) => unknown;

export class Disposable {
  private done = false;
  constructor(private readonly release: () => unknown) {}
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((d) => d.dispose()));
  }
  dispose(): void {
    if (this.done) return;
    this.done = true;
    this.release();
  }
}

export class EventEmitter<T> {
  private readonly listeners = new Set<Listener<T>>();
  private disposed = false;
  readonly event = (listener: Listener<T>, thisArg?: unknown, bucket?: { dispose(): unknown }[]): Disposable => {
    const bound: Listener<T> = (e) => listener.call(thisArg, e);
    this.listeners.add(bound);
    const d = new Disposable(() => this.listeners.delete(bound));
    bucket?.push(d);
    return d;
  };
  /** Listeners still subscribed (a leak shows as a count that never drops). */
  get listenerCount(): number {
    return this.listeners.size;
  }
  fire(e: T): void {
    if (this.disposed) return;
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
  }
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
  ) {}
  static file(p: string): Uri {
    return new Uri('file', path.resolve(p));
  }
  static parse(s: string): Uri {
    const m = /^([a-z][\w+.-]*):(?:\/\/)?(.*)$/i.exec(s);
    return m ? new Uri(m[1], m[2].startsWith('/') ? m[2] : `/${m[2]}`) : new Uri('file', s);
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri(base.scheme, path.posix.join(base.path, ...parts));
  }
  get fsPath(): string {
    return this.path;
  }
  toString(): string {
    return `${this.scheme}://${this.path}`;
  }
}

export class ThemeColor {
  constructor(readonly id: string) {}
}
export class MarkdownString {
  supportHtml = false;
  isTrusted: unknown = false;
  constructor(public value = '') {}
  appendMarkdown(s: string): this {
    this.value += s;
    return this;
  }
}
export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
}
export class Range {
  constructor(...args: unknown[]) {
    this.args = args;
  }
  readonly args: unknown[];
}
export class Diagnostic {
  source?: string;
  code?: string;
  constructor(
    readonly range: Range,
    readonly message: string,
    readonly severity: number,
  ) {}
}
export class CodeAction {
  command?: unknown;
  diagnostics?: unknown;
  isPreferred?: boolean;
  constructor(
    readonly title: string,
    readonly kind: unknown,
  ) {}
}
export const CodeActionKind = { QuickFix: 'quickfix' };
export const DiagnosticSeverity = { Error: 0, Warning: 1, Information: 2, Hint: 3 };
export const OverviewRulerLane = { Left: 1, Center: 2, Right: 4, Full: 7 };
export const StatusBarAlignment = { Left: 1, Right: 2 };
export const ViewColumn = { Active: -1, Beside: -2, One: 1 };
export const ProgressLocation = { SourceControl: 1, Window: 10, Notification: 15 };

/** A webview panel (or a custom editor's panel): records what the extension posts and lets tests send messages. */
export class FakeWebviewPanel {
  readonly posted: unknown[] = [];
  revealCount = 0;
  disposed = false;
  /** Messages the extension tried to post after the panel was closed (a leak of the editor or its subscriptions). */
  postedAfterDispose = 0;
  private readonly disposeEmitter = new EventEmitter<void>();
  private readonly messageEmitter = new EventEmitter<unknown>();
  readonly onDidDispose = this.disposeEmitter.event;
  readonly webview = {
    html: '',
    options: {} as unknown,
    cspSource: 'vscode-resource:',
    asWebviewUri: (u: Uri) => u,
    postMessage: (m: unknown) => {
      if (this.disposed) this.postedAfterDispose++;
      else this.posted.push(m);
      return Promise.resolve(!this.disposed);
    },
    onDidReceiveMessage: this.messageEmitter.event,
  };
  constructor(
    readonly viewType: string,
    readonly title: string,
  ) {}
  /** A message from the webview. */
  receive(m: unknown): void {
    this.messageEmitter.fire(m);
  }
  reveal(): void {
    this.revealCount++;
  }
  /** The user closes the panel (or the extension disposes it). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
    this.messageEmitter.dispose();
  }
}

interface Registration<T> {
  readonly items: Map<string, T>;
  register(id: string, item: T): Disposable;
}
function registry<T>(what: string): Registration<T> {
  const items = new Map<string, T>();
  return {
    items,
    register(id, item) {
      if (items.has(id)) throw new Error(`${what} '${id}' already exists`);
      items.set(id, item);
      return new Disposable(() => items.delete(id));
    },
  };
}

/** Reads package.json as VS Code does: every `%key%` string replaced by its English text from package.nls.json. */
function readManifest(): unknown {
  const root = path.join(__dirname, '../..');
  const nls = JSON.parse(readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
  return JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'), (_key, value: unknown) => {
    const m = typeof value === 'string' ? /^%(.+)%$/.exec(value) : null;
    if (!m) return value;
    if (!(m[1]! in nls)) throw new Error(`package.json: ${value} has no entry in package.nls.json`);
    return nls[m[1]!];
  });
}

const manifest = readManifest() as {
  contributes: { configuration: { properties: Record<string, { default?: unknown }> } };
};

/** What the extension did, and the answers the "user" gives next. */
export const fake = {
  manifest,
  commands: registry<(...args: unknown[]) => unknown>('command'),
  /** Commands run that no handler here answers (setContext, vscode.openWith, …). */
  executed: [] as { id: string; args: unknown[] }[],
  serializers: registry<{ deserializeWebviewPanel(panel: FakeWebviewPanel, state: unknown): Thenable<void> }>(
    'serializer',
  ),
  editorProviders: registry<{
    openCustomDocument(uri: Uri): unknown;
    resolveCustomEditor(document: unknown, panel: FakeWebviewPanel): unknown;
  }>('custom editor'),
  /** Language-model tools registered with `lm.registerTool`, by name. */
  tools: registry<{
    invoke(options: { input: unknown; toolInvocationToken: undefined }, token: FakeCancellationToken): unknown;
    prepareInvocation?(options: { input: unknown }, token: FakeCancellationToken): unknown;
  }>('tool'),
  panels: [] as FakeWebviewPanel[],
  messages: [] as { level: 'info' | 'warning' | 'error'; text: string }[],
  /** The translations `l10n.t` uses (English, the messages themselves, when unset). */
  l10nBundle: undefined as Record<string, string> | undefined,
  /** Settings by full key (`memoryMonitor.thresholdMb`); unset keys read package.json's defaults. */
  settings: new Map<string, unknown>(),
  configEmitter: new EventEmitter<{ affectsConfiguration(section: string): boolean }>(),
  /** Queued answers to showOpenDialog / showQuickPick / showInputBox / showSaveDialog, taken in order. */
  answers: [] as unknown[],
  outputChannels: [] as { name: string; lines: string[]; disposed: boolean }[],
  statusItems: [] as { text: string; visible: boolean; disposed: boolean }[],
  /** Diagnostics by collection name, then by file path: what the Problems panel would show. */
  diagnostics: new Map<string, Map<string, Diagnostic[]>>(),
  /** Files the extension opened with showTextDocument (fsPath and the selection's start). */
  opened: [] as { file: string; line: number }[],
  debugEmitters: {
    start: new EventEmitter<unknown>(),
    terminate: new EventEmitter<unknown>(),
    active: new EventEmitter<unknown>(),
  },
  /** Changes a setting and announces it the way VS Code does. */
  setSetting(key: string, value: unknown): void {
    if (value === undefined) this.settings.delete(key);
    else this.settings.set(key, value);
    this.configEmitter.fire({ affectsConfiguration: (section) => key === section || key.startsWith(`${section}.`) });
  },
};

const answer = () => Promise.resolve(fake.answers.shift());
const notify = (level: 'info' | 'warning' | 'error') => (text: string) => {
  fake.messages.push({ level, text });
  return Promise.resolve(undefined);
};

export const commands = {
  registerCommand: (id: string, handler: (...args: unknown[]) => unknown) => fake.commands.register(id, handler),
  executeCommand: (id: string, ...args: unknown[]): Promise<unknown> => {
    const handler = fake.commands.items.get(id);
    if (handler) return Promise.resolve(handler(...args));
    fake.executed.push({ id, args });
    return Promise.resolve(undefined);
  },
};

export const window = {
  createOutputChannel: (name: string) => {
    const channel = { name, lines: [] as string[], disposed: false };
    fake.outputChannels.push(channel);
    const line = (level: string) => (text: string) => channel.lines.push(`[${level}] ${text}`);
    return {
      name,
      info: line('info'),
      warn: line('warning'),
      error: line('error'),
      debug: line('debug'),
      trace: line('trace'),
      appendLine: line('info'),
      dispose: () => {
        channel.disposed = true;
      },
    };
  },
  createStatusBarItem: () => {
    const item = {
      text: '',
      tooltip: undefined as unknown,
      command: undefined as unknown,
      name: '',
      backgroundColor: undefined as unknown,
      accessibilityInformation: undefined as unknown,
      visible: false,
      disposed: false,
      show() {
        item.visible = true;
      },
      hide() {
        item.visible = false;
      },
      dispose() {
        item.disposed = true;
      },
    };
    fake.statusItems.push(item);
    return item;
  },
  createWebviewPanel: (viewType: string, title: string) => {
    const panel = new FakeWebviewPanel(viewType, title);
    fake.panels.push(panel);
    return panel;
  },
  registerWebviewPanelSerializer: (
    viewType: string,
    serializer: { deserializeWebviewPanel(panel: FakeWebviewPanel, state: unknown): Thenable<void> },
  ) => fake.serializers.register(viewType, serializer),
  registerCustomEditorProvider: (
    viewType: string,
    provider: {
      openCustomDocument(uri: Uri): unknown;
      resolveCustomEditor(document: unknown, panel: FakeWebviewPanel): unknown;
    },
  ) => fake.editorProviders.register(viewType, provider),
  createTextEditorDecorationType: (options: unknown) => Object.assign(new Disposable(() => undefined), { options }),
  onDidChangeVisibleTextEditors: new EventEmitter<unknown>().event,
  visibleTextEditors: [] as unknown[],
  showInformationMessage: notify('info'),
  showWarningMessage: notify('warning'),
  showErrorMessage: notify('error'),
  showQuickPick: answer,
  showOpenDialog: answer,
  showSaveDialog: answer,
  showInputBox: answer,
  showTextDocument: (uri: Uri, options?: { selection?: { args: unknown[] } }) => {
    const start = options?.selection?.args[0] as Position | undefined;
    fake.opened.push({ file: uri.fsPath, line: start ? start.line + 1 : 0 });
    return Promise.resolve(undefined);
  },
  withProgress: <T>(
    _options: unknown,
    task: (
      progress: { report(v: unknown): void },
      token: { isCancellationRequested: boolean; onCancellationRequested(l: () => void): Disposable },
    ) => Thenable<T>,
  ) =>
    task(
      { report: () => undefined },
      { isCancellationRequested: false, onCancellationRequested: () => new Disposable(() => undefined) },
    ),
};

export const workspace = {
  getConfiguration: (section: string) => ({
    get: <T>(key: string, def?: T): T | undefined => {
      const full = `${section}.${key}`;
      if (fake.settings.has(full)) return fake.settings.get(full) as T;
      const contributed = manifest.contributes.configuration.properties[full];
      return contributed && 'default' in contributed ? (contributed.default as T) : def;
    },
  }),
  onDidChangeConfiguration: fake.configEmitter.event,
  onDidOpenTextDocument: new EventEmitter<unknown>().event,
  textDocuments: [] as unknown[],
  workspaceFolders: undefined as unknown,
  findFiles: () => Promise.resolve([]),
  asRelativePath: (p: string) => p,
};

export const debug = {
  activeDebugSession: undefined as unknown,
  onDidStartDebugSession: fake.debugEmitters.start.event,
  onDidTerminateDebugSession: fake.debugEmitters.terminate.event,
  onDidChangeActiveDebugSession: fake.debugEmitters.active.event,
};

export const languages = {
  createDiagnosticCollection: (name = '') => {
    const byFile = new Map<string, Diagnostic[]>();
    fake.diagnostics.set(name, byFile);
    return {
      set: (uri: Uri, items: Diagnostic[]) => void byFile.set(uri.fsPath, items),
      clear: () => byFile.clear(),
      dispose: () => fake.diagnostics.delete(name),
    };
  },
  registerCodeActionsProvider: () => new Disposable(() => undefined),
};

export const env = { clipboard: { writeText: () => Promise.resolve() } };

/** A cancellation token that is never cancelled (tools and progress tasks receive one). */
export interface FakeCancellationToken {
  isCancellationRequested: boolean;
  onCancellationRequested(l: () => void): Disposable;
}
export const noCancellation: FakeCancellationToken = {
  isCancellationRequested: false,
  onCancellationRequested: () => new Disposable(() => undefined),
};
export class CancellationError extends Error {}
export class LanguageModelTextPart {
  constructor(readonly value: string) {}
}
export class LanguageModelToolResult {
  constructor(readonly content: unknown[]) {}
}
/**
 * vscode.l10n: `t` looks the message up in `fake.l10nBundle` (a test sets one to see which strings go through it) and
 * fills `{0}` / `{name}` placeholders the way VS Code's does.
 */
export const l10n = {
  get bundle(): Record<string, string> | undefined {
    return fake.l10nBundle;
  },
  uri: undefined,
  t(
    message: string | { message: string; args?: unknown[] | Record<string, unknown>; comment?: string | string[] },
    ...rest: unknown[]
  ): string {
    const text = typeof message === 'string' ? message : message.message;
    const args =
      typeof message === 'string'
        ? rest.length === 1 && typeof rest[0] === 'object' && rest[0] !== null && !Array.isArray(rest[0])
          ? (rest[0] as Record<string, unknown>)
          : rest
        : (message.args ?? []);
    const translated = fake.l10nBundle?.[text] ?? text;
    return translated.replace(/\{([^}]+)\}/g, (match, key: string) => {
      const v = (args as Record<string, unknown>)[key];
      return v === undefined ? match : String(v);
    });
  },
};

export const lm = {
  registerTool: (name: string, tool: Parameters<typeof fake.tools.register>[1]) => fake.tools.register(name, tool),
};
