/** The webview's single handle to the extension (acquireVsCodeApi may only be called once). */
let api: VsCodeApi<unknown> | undefined;

/** The VS Code API of this webview, typed with the state the caller keeps. */
export function vscodeApi<State>(): VsCodeApi<State> {
  api ??= acquireVsCodeApi<unknown>();
  // One page has one kind of state; each panel's entry point names it.
  return api as VsCodeApi<State>;
}
