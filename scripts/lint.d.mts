/** Returns `file:line` for every line under `dir` that imports vscode. */
export function findVscodeImports(dir: string): string[];
