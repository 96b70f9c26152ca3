// Pure domain constants, importable by the browser bundle without pulling in drizzle.
export const userRoles = ["viewer", "editor", "admin"] as const;
export type UserRole = (typeof userRoles)[number];

export const projectStatuses = ["planning", "active", "on_hold", "completed", "cancelled"] as const;
export type ProjectStatus = (typeof projectStatuses)[number];

export const projectActions = ["created", "updated", "archived", "restored", "reverted"] as const;
export type ProjectAction = (typeof projectActions)[number];
