import * as vscode from 'vscode';
import { DisposableStore } from '../../core/disposableStore';
import { webviewOptions } from './webviewHtml';

/** A panel class shown at most once per window. */
export interface PanelView extends vscode.Disposable {
  /** The user closed the panel (or it was disposed). */
  readonly onDidDispose: vscode.Event<void>;
  reveal(): void;
}

/**
 * The one panel of a view type, owned by the extension: created on first show, revealed after that, restored after a
 * window reload (webview serializer), forgotten when the user closes it, and disposed with the extension.
 */
export class SingletonPanel<P extends PanelView> implements vscode.Disposable {
  private panel: P | undefined;
  private readonly store = new DisposableStore();

  constructor(
    private readonly options: {
      extensionUri: vscode.Uri;
      viewType: string;
      title: string;
      /** Builds the panel object around a webview panel (a new one, or one restored after a reload). */
      create(webviewPanel: vscode.WebviewPanel): P;
    },
  ) {
    this.store.add(
      vscode.window.registerWebviewPanelSerializer(options.viewType, {
        deserializeWebviewPanel: (webviewPanel) => {
          webviewPanel.webview.options = webviewOptions(options.extensionUri);
          this.hold(options.create(webviewPanel));
          return Promise.resolve();
        },
      }),
    );
  }

  /** The open panel, if any. */
  get current(): P | undefined {
    return this.panel;
  }

  /** Reveals the open panel, or creates it in the active column. */
  show(): P {
    if (this.panel) {
      this.panel.reveal();
      return this.panel;
    }
    const webviewPanel = vscode.window.createWebviewPanel(
      this.options.viewType,
      this.options.title,
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      webviewOptions(this.options.extensionUri),
    );
    return this.hold(this.options.create(webviewPanel));
  }

  private hold(panel: P): P {
    const replaced = this.panel;
    this.panel = panel;
    replaced?.dispose();
    panel.onDidDispose(() => {
      if (this.panel === panel) this.panel = undefined;
    });
    return panel;
  }

  dispose(): void {
    this.store.dispose();
    const panel = this.panel;
    this.panel = undefined;
    panel?.dispose();
  }
}
