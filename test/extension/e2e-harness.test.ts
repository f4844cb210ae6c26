// The end-to-end harness's tool lookup: what makes the e2e test run or skip.

import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CODE_SERVER_VERSION, findTools } from './e2e/harness';

describe('extension e2e harness', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'xpc-harness-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('names both tools when neither is there', () => {
    const r = findTools({ XPC_E2E_CACHE: dir, XPC_CHROMIUM: join(dir, 'no-chromium') });
    assert.ok('missing' in r);
    assert.equal(r.missing.length, 2);
    assert.match(r.missing[0], /code-server 4\.100\.3 .*install-code-server\.sh/);
    assert.match(r.missing[1], /chromium/);
  });

  it('takes an install only once it is finished (the marker file)', () => {
    const root = join(dir, `code-server-${CODE_SERVER_VERSION}`);
    const entry = join(root, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
    mkdirSync(join(entry, '..'), { recursive: true });
    writeFileSync(entry, '');
    const chromium = join(dir, 'chromium');
    writeFileSync(chromium, '');
    const env = { XPC_E2E_CACHE: dir, XPC_CHROMIUM: chromium };
    assert.ok('missing' in findTools(env));
    writeFileSync(join(root, '.installed'), '');
    assert.deepEqual(findTools(env), { codeServer: entry, chromium });
  });
});
