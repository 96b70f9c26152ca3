import { hash, verify } from "@node-rs/argon2";

// argon2id with the library's defaults (OWASP-level memory cost); Algorithm.Argon2id = 2.
const options = { algorithm: 2 as const };

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
