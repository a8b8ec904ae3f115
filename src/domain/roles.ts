/**
 * Office roles and what each may do (issue 11). The public reads published
 * editions; every other permission needs an account. Roles nest: a reviewer
 * may do everything an analyst may, an admin everything a reviewer may, plus
 * manage users. The two-person rule (an edition's proposer never approves it)
 * is a rule about people, not roles, and is enforced where proposals are
 * approved, so a small office's admin can still review.
 */

export const ROLES = ['analyst', 'reviewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  /** Current-data drafts: `?edition=draft`, a period with no edition. */
  'read.drafts',
  'read.audit',
  'import',
  'resolve',
  'record.outcome',
  'edition.propose',
  /** Disputes: the queue, the reporter's contact, status changes with their reasoning. */
  'dispute.triage',
  'edition.approve',
  'edition.reject',
  'edition.publish',
  'edition.correct',
  'users.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const ANALYST: readonly Permission[] = [
  'read.drafts',
  'read.audit',
  'import',
  'resolve',
  'record.outcome',
  'edition.propose',
  'dispute.triage',
];
const REVIEWER: readonly Permission[] = [
  ...ANALYST,
  'edition.approve',
  'edition.reject',
  'edition.publish',
  'edition.correct',
];
const ADMIN: readonly Permission[] = [...REVIEWER, 'users.manage'];

export const GRANTS: Readonly<Record<Role, readonly Permission[]>> = {
  analyst: ANALYST,
  reviewer: REVIEWER,
  admin: ADMIN,
};

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

/** Whether a role (null: the public, signed out) may do something. */
export function may(role: Role | null, permission: Permission): boolean {
  return role !== null && GRANTS[role].includes(permission);
}
