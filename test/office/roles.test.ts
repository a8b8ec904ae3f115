/** Roles and passwords: who may do what (README, Office mode), and how a password is kept. */
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../src/auth/passwords.js';
import { GRANTS, may, PERMISSIONS, ROLES } from '../../src/domain/roles.js';

describe('roles', () => {
  it('nest: analyst within reviewer within admin; the public may nothing beyond published editions', () => {
    for (const p of PERMISSIONS) expect(may(null, p), p).toBe(false);
    for (const p of GRANTS.analyst) expect(may('reviewer', p), p).toBe(true);
    for (const p of GRANTS.reviewer) expect(may('admin', p), p).toBe(true);
    expect(PERMISSIONS.filter((p) => may('admin', p))).toEqual([...PERMISSIONS]);
  });

  it('keep publishing from analysts and user management from reviewers', () => {
    expect(ROLES.filter((r) => may(r, 'read.drafts'))).toEqual(['analyst', 'reviewer', 'admin']);
    expect(ROLES.filter((r) => may(r, 'import'))).toEqual(['analyst', 'reviewer', 'admin']);
    for (const p of ['edition.approve', 'edition.publish', 'edition.correct'] as const)
      expect(
        ROLES.filter((r) => may(r, p)),
        p,
      ).toEqual(['reviewer', 'admin']);
    expect(ROLES.filter((r) => may(r, 'users.manage'))).toEqual(['admin']);
  });
});

describe('passwords', () => {
  it('are kept as scrypt hashes with their salt and parameters, checked in constant time', async () => {
    const a = await hashPassword('correct horse battery staple');
    const b = await hashPassword('correct horse battery staple');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(a).not.toBe(b); // a fresh salt each time
    expect(a).not.toContain('correct horse');
    await expect(verifyPassword('correct horse battery staple', a)).resolves.toBe(true);
    await expect(verifyPassword('correct horse battery stapl', a)).resolves.toBe(false);
    await expect(verifyPassword('correct horse battery staple', 'plain$text')).resolves.toBe(false);
    // The costs are read from the stored hash: the same salt under another N gives another key.
    const cheaper = a.replace(/^scrypt\$32768\$/, 'scrypt$16384$');
    await expect(verifyPassword('correct horse battery staple', cheaper)).resolves.toBe(false);
  });
});
