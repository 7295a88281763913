import { accountJobRunners } from "../domain/accounts/job-runners";
import { payloadOf } from "../domain/accounts/jobs";
import type { AccountsDeps } from "../domain/accounts/sessions";
import type { AccountsGateway } from "../platform/auth/accounts-gateway";
import { ACCESS_TOKEN_TTL_SECONDS } from "../platform/auth/options";
import type { Db } from "../platform/db";
import type { OutboxJobs } from "../platform/outbox";

/**
 * The accounts domain on Better-Auth and the outbox: the jobs it records after answering go
 * through the outbox, whose worker runs them with the domain's runners registered here.
 */
export function openAccounts(options: {
  gateway: AccountsGateway;
  db: Db;
  queueJob(kind: string, payload: object): Promise<void>;
  jobs: OutboxJobs;
}): AccountsDeps {
  const accounts: AccountsDeps = {
    gateway: options.gateway,
    db: options.db,
    accessTokenTtlSeconds: ACCESS_TOKEN_TTL_SECONDS,
    later: (job) => options.queueJob(job.kind, payloadOf(job)),
  };
  for (const [kind, run] of Object.entries(accountJobRunners(accounts))) options.jobs.register(kind, run);
  return accounts;
}
