import { z } from "zod";

/**
 * A named piece of the environment: the variables it reads (their zod schemas, with their
 * defaults) and the part of the config object it builds from them. A group may list a variable
 * another group owns when one of its rules depends on it (reuse that group's schema:
 * `DATABASE_URL: database.vars.DATABASE_URL`); composed, each variable is parsed once.
 */
export interface EnvGroup<Vars extends z.core.$ZodShape, Out extends object> {
  readonly vars: Vars;
  /** Runs once every variable of the composed schema is valid; `ctx.addIssue` for cross-field rules. */
  build(env: z.output<z.ZodObject<Vars>>, ctx: z.core.$RefinementCtx): Out;
}

export function envGroup<const Vars extends z.core.$ZodShape, Out extends object>(
  vars: Vars,
  build: (env: z.output<z.ZodObject<Vars>>, ctx: z.core.$RefinementCtx) => Out,
): EnvGroup<Vars, Out> {
  return { vars, build };
}

/** Any group (`build` is a method, so a group over fewer variables still fits). */
type AnyGroup = EnvGroup<z.core.$ZodShape, object>;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type VarsOf<G extends readonly AnyGroup[]> = G extends readonly [infer H extends AnyGroup, ...infer T extends readonly AnyGroup[]]
  ? H["vars"] & VarsOf<T>
  : unknown;

type OutputOf<G extends readonly AnyGroup[]> = G extends readonly [infer H extends AnyGroup, ...infer T extends readonly AnyGroup[]]
  ? ReturnType<H["build"]> & OutputOf<T>
  : unknown;

/**
 * One zod schema over the variables of all `groups` (unknown variables are ignored) whose output
 * is the groups' parts side by side: `z.output<typeof schema>` is the config type.
 */
export function composeEnv<const G extends readonly AnyGroup[]>(...groups: G) {
  const vars: Record<string, z.core.$ZodType> = {};
  for (const g of groups) {
    for (const [name, schema] of Object.entries(g.vars)) {
      // One rule per variable: a group that reads another group's variable reuses its schema.
      if (vars[name] && vars[name] !== schema) throw new Error(`${name} is defined by two groups with different schemas`);
      vars[name] = schema;
    }
  }
  return z
    .object(vars as Simplify<VarsOf<G>> & z.core.$ZodShape)
    .transform((env, ctx) => Object.assign({}, ...groups.map((g) => g.build(env, ctx))) as Simplify<OutputOf<G>>);
}
