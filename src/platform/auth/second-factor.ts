import type { twoFactor } from "better-auth/plugins";

type HookEndpointContext = Parameters<ReturnType<typeof twoFactor>["hooks"]["after"][number]["matcher"]>[0];

/**
 * First factors besides the password that open a session. Better-Auth's two-factor plugin asks for
 * the second factor only after the password sign-ins (`/sign-in/email`, `/username`,
 * `/phone-number`): its documentation says so since upstream issue 9552, and the matcher is not
 * configurable (issue 11287). Its hook works on whatever session the sign-in opened, whichever the
 * path, so it is simply also matched here.
 */
const OTHER_FIRST_FACTORS = new Set(["/sign-in/email-otp"]);

interface WithAfterHooks {
  hooks: { after: { matcher(context: HookEndpointContext): boolean }[] };
}

/**
 * The two-factor plugin, asking for the second factor after a sign-in by e-mail code exactly as
 * after a password: no session, the pending two-factor cookie, and `twoFactorRedirect`.
 */
export function secondFactorAfterEveryFirst<P extends WithAfterHooks>(plugin: P): P {
  const { after } = plugin.hooks;
  // A Better-Auth upgrade that moves the check elsewhere must not silently drop it.
  if (after.length === 0) throw new Error("the two-factor plugin has no sign-in hook to extend");
  return {
    ...plugin,
    hooks: {
      ...plugin.hooks,
      after: after.map((hook) => ({
        ...hook,
        matcher: (context: HookEndpointContext) =>
          hook.matcher(context) || OTHER_FIRST_FACTORS.has(context.path ?? ""),
      })),
    },
  };
}
