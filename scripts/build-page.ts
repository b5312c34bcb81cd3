// Builds the tools page served at GET / into src/page/generated: the HTML as written, the
// TypeScript bundled for browsers, and the stylesheet minified. Scripts and styles stay in
// their own files because the page's CSP forbids inline ones. Run by `npm run build:page`.

import { copyFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const pageDirectory = fileURLToPath(new URL('../src/page/', import.meta.url));
const outputDirectory = join(pageDirectory, 'generated');

await rm(outputDirectory, { recursive: true, force: true });
await mkdir(outputDirectory, { recursive: true });

const result = await build({
  entryPoints: [
    { in: join(pageDirectory, 'main.ts'), out: 'page' },
    { in: join(pageDirectory, 'page.css'), out: 'page' },
  ],
  outdir: outputDirectory,
  bundle: true,
  format: 'esm',
  // The browser platform makes any node: import a build error, so Node-only code cannot slip in.
  platform: 'browser',
  target: ['es2022', 'chrome109', 'firefox115', 'safari16'],
  minify: true,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});
await copyFile(join(pageDirectory, 'index.html'), join(outputDirectory, 'index.html'));

for (const [file, output] of Object.entries(result.metafile.outputs)) {
  process.stdout.write(`built ${file} (${(output.bytes / 1024).toFixed(1)} KiB)\n`);
}
