// Query, path and header values arrive as strings; these turn them into what the contract
// declares before the schema validates them. A value that does not convert is passed on
// unchanged so that the schema reports it with a clear message.

const NUMERIC = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export function numberFromString(value: unknown): unknown {
  return typeof value === "string" && NUMERIC.test(value) ? Number(value) : value;
}

/** Exactly `true` and `false`: "0", "no" or "" are refused, never silently true. */
export function booleanFromString(value: unknown): unknown {
  if (value === "true") return true;
  if (value === "false") return false;
  return value;
}

/** `?tag=a` arrives as one string and `?tag=a&tag=b` as a list; both mean a list. */
export function arrayFromString(value: unknown): unknown {
  return typeof value === "string" ? [value] : value;
}
