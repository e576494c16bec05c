import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** Webview options shared by our panels: scripts on, and only the webview bundles readable. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
    retainContextWhenHidden: true,
  };
}

/** A fresh nonce for one page load. */
export function makeNonce(): string {
  return randomBytes(18).toString('base64').replace(/[+/=]/g, '');
}

/**
 * The page that hosts a webview bundle (`dist/webview/<bundle>.js`) under a strict CSP: nothing loads
 * except our own bundle (by nonce) and resources from the webview folder; no inline scripts or styles.
 */
export function webviewHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  bundle: string,
  title: string,
  bodyAttributes = '',
): string {
  const nonce = makeNonce();
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', `${bundle}.js`));
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(title)}</title>
</head>
<body ${bodyAttributes}>
<div id="app" data-nonce="${nonce}"${l10nAttribute(vscode.l10n.bundle)}></div>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}

/**
 * The translation bundle VS Code loaded for the display language, for the webview's own `@vscode/l10n` (see
 * `webview/src/common/localize.ts`): a JSON data attribute, so no inline script is needed under the CSP. Empty
 * for English (no bundle): the webview then shows its messages as written.
 */
export function l10nAttribute(bundle: { [key: string]: string } | undefined): string {
  return bundle ? ` data-l10n="${escapeHtml(JSON.stringify(bundle))}"` : '';
}

/** Escapes text for HTML. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
