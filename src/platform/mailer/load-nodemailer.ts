import type nodemailerModule from "nodemailer";

let loading: Promise<typeof nodemailerModule> | undefined;

/**
 * nodemailer, loaded with the first message rather than at start (about 20 MB a process that
 * sends nothing need not hold).
 */
export function loadNodemailer(): Promise<typeof nodemailerModule> {
  loading ??= import("nodemailer").then((module) => module.default);
  return loading;
}
