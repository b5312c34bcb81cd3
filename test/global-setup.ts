import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// One parent folder for every temporary database and generated secret of a test run, removed
// at the end even when a worker process was killed before it could clean up.
let parent: string | undefined;

export function setup(): void {
  parent = mkdtempSync(join(tmpdir(), 'keyward-test-'));
  process.env.KEYWARD_TEST_TMP = parent;
}

export function teardown(): void {
  if (parent) rmSync(parent, { recursive: true, force: true });
}
