import type { AuditAction } from "@trellis/api/schemas";

export const auditActionLabels: Record<AuditAction, string> = {
  login_succeeded: "Signed in",
  login_failed: "Sign-in failed",
  logout: "Signed out",
  password_changed: "Password changed",
  sessions_revoked: "Signed out everywhere",
  token_created: "API token created",
  token_revoked: "API token revoked",
  user_invited: "User invited",
  role_changed: "Role changed",
  user_deactivated: "User deactivated",
  user_reactivated: "User reactivated",
  created: "Project created",
  updated: "Project updated",
  archived: "Project archived",
  restored: "Project restored",
  reverted: "Project reverted",
};
