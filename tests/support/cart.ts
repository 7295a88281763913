import type { ApiResponse } from "./app";

export const CART_COOKIE = "joxicrochet-cart";

/** The Set-Cookie line of the guest cart cookie, attributes included, if the answer sets it. */
export function cartSetCookie(response: ApiResponse): string | undefined {
  return response.headers.getSetCookie().find((line) => line.startsWith(`${CART_COOKIE}=`));
}

/** The guest cart cookie's `name=value`, to send back as a Cookie header. */
export function cartCookie(response: ApiResponse): string {
  const line = cartSetCookie(response);
  if (!line) throw new Error("the answer sets no cart cookie");
  return line.split(";")[0] ?? "";
}
