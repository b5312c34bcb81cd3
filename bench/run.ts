// `npm run bench`: every benchmark, in-process ones first, then those that start servers.
// `npm run bench -- tokens http` runs only the named ones. Each prints its own table of ratios
// against a baseline measured in the same run. Each bench runs in a process of its own, because
// the HTTP benches drive the load from the bench process. After the in-process benches, that
// load generator spent about a third more CPU per request (24.7 µs against 17 to 20 µs alone).
import { spawnSync } from 'node:child_process';

const benches = ['tokens', 'ratelimit', 'apikeys', 'http', 'distributed'];

const selected = process.argv.slice(2);
const unknown = selected.filter((name) => !benches.includes(name));
if (unknown.length > 0) {
  console.error(`unknown bench ${unknown.join(', ')}; choose from ${benches.join(', ')}`);
  process.exit(2);
}

for (const name of selected.length > 0 ? selected : benches) {
  console.log(`\n=== ${name} ===`);
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', `bench/${name}.ts`], {
    stdio: 'inherit',
  });
  if (run.status !== 0) {
    console.error(`bench ${name} failed with exit code ${run.status ?? run.signal}`);
    process.exit(1);
  }
}
