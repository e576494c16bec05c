// Imported first by every webview entry: configures @vscode/l10n with the bundle the extension put on #app
// (`data-l10n`, see src/extension/panel/webviewHtml.ts) before any module builds text. Without one, English.
import * as l10n from '@vscode/l10n';

/** The bundle carried by the page, or undefined when there is none or it is not a JSON object of strings. */
export function pageBundle(
  root: HTMLElement | null = document.getElementById('app'),
): Record<string, string> | undefined {
  const raw = root?.dataset.l10n;
  if (!raw) return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, string>)
      : undefined;
  } catch {
    return undefined;
  }
}

const contents = pageBundle();
if (contents) l10n.config({ contents });
