// The type of each SDK method, read from openapi-typescript's `operations` (generated/client/
// schema.d.ts): a method takes its operation's path, query and header parameters and body, each
// required exactly when the contract requires it, and resolves to its success body.
import type { operations } from "../../generated/client/schema";

export type Operations = operations;

type ParametersOf<K extends keyof Operations> = Operations[K] extends { parameters: infer P } ? P : never;
/** Headers the SDK sets itself: the key, from `idempotencyKey` or made for the call. */
type SdkHeaders = "Idempotency-Key";

type PathParams<K extends keyof Operations> = ParametersOf<K> extends { path?: infer S } ? S : never;
type QueryParams<K extends keyof Operations> = ParametersOf<K> extends { query?: infer S } ? S : never;
type HeaderSection<K extends keyof Operations> =
  ParametersOf<K> extends { header?: infer S } ? NonNullable<S> : never;
type HeaderParams<K extends keyof Operations> = [HeaderSection<K>] extends [never]
  ? never
  : Omit<HeaderSection<K>, SdkHeaders>;
type Body<K extends keyof Operations> = Operations[K] extends { requestBody?: infer R }
  ? R extends { content: infer C }
    ? C[keyof C]
    : never
  : never;
type BodyRequired<K extends keyof Operations> = Operations[K] extends { requestBody: { content: unknown } }
  ? true
  : false;

/** Whether every member of T is optional, so that T may be left out. */
type AllOptional<T> = Partial<T> extends T ? true : false;

/**
 * A member named `Name` of type T: absent for `never`; with "auto", optional when nothing in T is
 * required (a query of optional filters); else required or optional as said (a body).
 */
type Member<Name extends string, T, Presence extends "auto" | "required" | "optional" = "auto"> = [
  T,
] extends [never]
  ? unknown
  : [T] extends [undefined]
    ? unknown
    : Presence extends "optional"
      ? { [N in Name]?: T }
      : Presence extends "required"
        ? { [N in Name]: T }
        : AllOptional<T> extends true
          ? { [N in Name]?: T }
          : { [N in Name]: T };

type Flatten<T> = { [P in keyof T]: T[P] };

/** What every call may also take. */
export interface CallOptions {
  /** Gives up (rejects with an AbortError) when the signal aborts. */
  signal?: AbortSignal;
  /** Gives up after this many milliseconds, retries included. */
  timeoutMs?: number;
}

/** The argument of an operation's method. */
export type CallArgs<K extends keyof Operations> = Flatten<
  Member<"path", PathParams<K>> &
    Member<"query", QueryParams<K>> &
    Member<"headers", keyof HeaderParams<K> extends never ? never : HeaderParams<K>> &
    Member<"body", Body<K>, BodyRequired<K> extends true ? "required" : "optional"> &
    (Operations[K] extends { parameters: { header: { "Idempotency-Key": string } } }
      ? {
          /** Reused across this call's retries; one is made when absent. */
          idempotencyKey?: string;
        }
      : unknown) &
    CallOptions
>;

type Success = 200 | 201 | 202 | 203 | 204 | 206 | "2XX";
type Responses<K extends keyof Operations> = Operations[K] extends { responses: infer R } ? R : never;
type JsonOf<R> = R extends { content: infer C }
  ? C extends { "application/json": infer B }
    ? B
    : C[keyof C]
  : undefined;

/** What an operation's method resolves to: the body of its success answer (undefined for 204). */
export type CallResult<K extends keyof Operations> = {
  [S in keyof Responses<K>]: S extends Success ? JsonOf<Responses<K>[S]> : never;
}[keyof Responses<K>];

/** Whether the argument may be left out: nothing in it is required. */
type ArgsParameter<K extends keyof Operations> =
  AllOptional<CallArgs<K>> extends true ? [args?: CallArgs<K>] : [args: CallArgs<K>];

/** One method per operation of the contract. */
export type OperationMethods = {
  [K in keyof Operations]: (...args: ArgsParameter<K>) => Promise<CallResult<K>>;
};
