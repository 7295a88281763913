import type { Context } from "hono";
import type { z } from "zod";
import type { FieldError } from "../../generated/server";
import type { AppEnv } from "./env";
import { problemResponse } from "./problem";

type Target = "json" | "form" | "query" | "param" | "header" | "cookie";

const LOCATIONS: Record<Target, FieldError["location"]> = {
  json: "body",
  form: "body",
  query: "query",
  param: "path",
  header: "header",
  cookie: "cookie",
};

const escapeSegment = (segment: PropertyKey) => String(segment).replaceAll("~", "~0").replaceAll("/", "~1");

/** One entry per invalid field; an unknown key is named itself, not the object that holds it. */
export function fieldErrors(error: z.ZodError, target: Target): FieldError[] {
  const location = LOCATIONS[target];
  return error.issues.flatMap((issue) => {
    const paths =
      issue.code === "unrecognized_keys" ? issue.keys.map((key) => [...issue.path, key]) : [issue.path];
    return paths.map((path) => {
      const message =
        issue.code === "unrecognized_keys" ? "Unknown field; it is not part of the contract" : issue.message;
      return {
        location,
        ...(path.length > 0 ? { field: path.map(String).join(".") } : {}),
        pointer: path.length > 0 ? `/${path.map(escapeSegment).join("/")}` : "",
        message,
      };
    });
  });
}

/** The hook every generated route validates with: a 400 problem naming each invalid field. */
export function validationHook(
  result: { success: true } | { success: false; error: z.ZodError; target: Target },
  c: Context<AppEnv>,
): Response | undefined {
  if (result.success) return undefined;
  const errors = fieldErrors(result.error, result.target);
  return problemResponse(c, {
    status: 400,
    code: "validation_failed",
    title: "Request validation failed",
    detail: errors.length === 1 ? "1 field is invalid" : `${errors.length} fields are invalid`,
    errors,
  });
}
