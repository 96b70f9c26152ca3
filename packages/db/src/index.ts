export * from "./schema/index.js";
export { createDb, migrationsFolder, type Db, type DbHandle, type DbTarget, type Schema } from "./client.js";
export { dbTargetFromConfig } from "./target.js";
export { seedDemo, ensureAdmin, type SeedResult } from "./seed.js";
export { hashPassword, verifyPassword } from "./passwords.js";
export { one } from "./rows.js";
