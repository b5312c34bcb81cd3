// `npm run bench`: every benchmark in one run, in-process ones first, then those that start
// servers. `npm run bench -- tokens http` runs only the named ones. Each prints its own table of
// ratios against a baseline measured in the same run.
import * as apikeys from './apikeys.js';
import * as distributed from './distributed.js';
import * as http from './http.js';
import * as ratelimit from './ratelimit.js';
import * as tokens from './tokens.js';

const benches: Record<string, () => Promise<unknown>> = {
  tokens: () => tokens.run(),
  ratelimit: () => ratelimit.run(),
  apikeys: () => apikeys.run(),
  http: () => http.run(),
  distributed: () => distributed.run(),
};

const selected = process.argv.slice(2);
const unknown = selected.filter((name) => !(name in benches));
if (unknown.length > 0) {
  console.error(
    `unknown bench ${unknown.join(', ')}; choose from ${Object.keys(benches).join(', ')}`,
  );
  process.exit(2);
}

for (const name of selected.length > 0 ? selected : Object.keys(benches)) {
  console.log(`\n=== ${name} ===`);
  await benches[name]!();
}
