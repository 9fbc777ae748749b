// The roles a person has at their firm: the basis of every access rule (core/actor.ts, *.policy.ts).

export enum UserRole {
  FIRM_ADMIN = "FIRM_ADMIN",
  ACCOUNTANT = "ACCOUNTANT",
  CLIENT = "CLIENT",
}

/** The firm's own people: firm admins and accountants. */
export const isStaffRole = (role: UserRole) => role === UserRole.FIRM_ADMIN || role === UserRole.ACCOUNTANT;
