import { describe, expect, it } from 'vitest';
import { clusterFolderName, untrustedFolder } from '../../../db/embedded-binaries.js';

describe('untrustedFolder', () => {
  it('trusts root-owned folders only root can write, and sticky folders like /tmp', () => {
    expect(
      untrustedFolder([
        { dir: '/var/lib/grantflow', stat: { uid: 0, mode: 0o40755 } },
        { dir: '/tmp', stat: { uid: 0, mode: 0o41777 } },
      ]),
    ).toBeUndefined();
  });

  it('names the folder another user owns or can write', () => {
    expect(untrustedFolder([{ dir: '/srv/gf', stat: { uid: 1000, mode: 0o40755 } }])).toBe(
      '/srv/gf is owned by uid 1000, not root',
    );
    expect(untrustedFolder([{ dir: '/srv/gf', stat: { uid: 0, mode: 0o40775 } }])).toBe(
      '/srv/gf is writable by users other than root',
    );
  });
});

describe('clusterFolderName', () => {
  it('is stable per absolute path and differs between data directories', () => {
    expect(clusterFolderName('/root/a/.grantflow')).toBe(clusterFolderName('/root/a/./.grantflow'));
    expect(clusterFolderName('/root/a/.grantflow')).not.toBe(clusterFolderName('/root/b/.grantflow'));
    expect(clusterFolderName('/x')).toMatch(/^cluster-[0-9a-f]{16}$/);
  });
});
