import { HttpProblem } from "./problem";

/**
 * The handler `npm run generate` writes for an operation the contract has and the code does not
 * yet: it compiles, and answers 501 problem+json `not_implemented` until it is filled in.
 */
export function notImplemented(operationId: string): () => never {
  return () => {
    throw new HttpProblem({
      status: 501,
      code: "not_implemented",
      title: "Not implemented",
      detail: `${operationId} is in the contract but has no handler yet`,
    });
  };
}
