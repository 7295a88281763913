import { expect } from "vitest";
import type { ApiResponse, TestApp } from "./app";
import { json } from "./auth";

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

/** A new guest's cart holding these lines, added through the API: the cookie that reaches it. */
export async function guestCartWith(
  api: TestApp,
  lines: [productId: number, quantity: number][],
): Promise<string> {
  let cookie = "";
  for (const [productId, quantity] of lines) {
    const added = await api.request(
      "/api/cart/lines",
      json({ productId, quantity }, cookie ? { cookie } : {}),
    );
    expect(added.status, added.text).toBe(200);
    cookie ||= cartCookie(added);
  }
  return cookie;
}
