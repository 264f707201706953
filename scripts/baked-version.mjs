// The CLI reads its version from package.json next to dist/ (src/cli/version.ts). A bundle has no
// such file beside it (a standalone executable has no files at all), so the bundlers replace that
// module with the version baked in at build time.
import { readFileSync } from 'node:fs';

/** bakedVersion is an esbuild plugin that replaces cli/version.(ts|js) with the package's version. */
export function bakedVersion(packageJsonPath = 'package.json') {
  const { version } = JSON.parse(readFileSync(packageJsonPath, 'utf8'));
  return {
    name: 'baked-version',
    setup(context) {
      context.onLoad({ filter: /[\\/]cli[\\/]version\.[jt]s$/ }, () => ({
        contents: `export const toolVersion = ${JSON.stringify(version)};`,
        loader: 'js',
      }));
    },
  };
}
