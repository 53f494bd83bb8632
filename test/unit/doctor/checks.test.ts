import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkExportDir } from '../../../doctor/checks/export-dir.js';
import { checkSlackSigning } from '../../../doctor/checks/slack.js';
import { formatDoctorReport } from '../../../doctor/report.js';

describe('doctor checks without services', () => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'grantflow-doctor-unit-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('checks a Slack signing secret through Bolt’s verifier, and Socket Mode without one', () => {
    const secret = randomBytes(16).toString('hex');
    expect(checkSlackSigning({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: secret }).status).toBe(
      'pass',
    );
    expect(
      checkSlackSigning({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: ` ${secret}` }),
    ).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('33 characters'),
    });
    expect(checkSlackSigning({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1-A' }).status).toBe('pass');
    expect(checkSlackSigning({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xoxb-wrong' }).status).toBe(
      'fail',
    );
    expect(checkSlackSigning({}).status).toBe('skip');
  });

  it('writes a probe into the export directory and leaves nothing behind', () => {
    const dir = path.join(scratch, 'checkpoints');
    expect(checkExportDir(dir)).toMatchObject({
      status: 'pass',
      detail: expect.stringContaining('does not exist yet'),
    });
    rmSync(dir, { recursive: true, force: true });
    const file = path.join(scratch, 'a-file');
    writeFileSync(file, '');
    expect(checkExportDir(file)).toMatchObject({ status: 'fail', detail: `${file} is not a directory` });
    expect(checkExportDir(scratch)).toMatchObject({ status: 'pass', detail: `${scratch} is writable` });
    expect(readdirSync(scratch)).toEqual(['a-file']);
  });

  it('prints one line per check and the fix under each failure', () => {
    const text = formatDoctorReport({
      ok: false,
      checks: [
        { id: 'a', title: 'first', status: 'pass', detail: 'fine' },
        { id: 'b', title: 'second one', status: 'fail', detail: 'broken', fix: 'mend it' },
        { id: 'c', title: 'third', status: 'skip', detail: 'not here' },
      ],
    });
    expect(text).toBe(
      '✓ first       fine\n✗ second one  broken\n              fix: mend it\n– third       skipped: not here\n\n' +
        '3 checks: 1 passed, 1 failed, 1 skipped\n',
    );
  });
});
