export { defaultRetryPolicy, type RetryPolicy, retryDelayMs } from "./backoff";
export { type DeliverOptions, type DeliveryReport, deliverDueMessages } from "./deliver";
export { enqueueEmail, enqueueJob } from "./enqueue";
export { type OutboxJob, type OutboxJobs, outboxJobs } from "./jobs";
export { type OutboxWorker, type OutboxWorkerOptions, startOutboxWorker } from "./worker";
