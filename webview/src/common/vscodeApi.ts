/** The webview's single handle to the extension (acquireVsCodeApi may only be called once). */
let api: VsCodeApi<any> | undefined;

export function vscodeApi<State>(): VsCodeApi<State> {
  api ??= acquireVsCodeApi<State>();
  return api as VsCodeApi<State>;
}
