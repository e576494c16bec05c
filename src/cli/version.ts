/** memmon's version, from the package.json next to the bundle ("dev" when run from source). */
export function cliVersion(): string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('../package.json') as { version: string }).version;
  } catch {
    // Run from source (tests): no package.json next to the bundle.
    return 'dev';
  }
}
