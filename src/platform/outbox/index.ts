export { defaultRetryPolicy, type RetryPolicy, retryDelayMs } from "./backoff";
export { type DeliverOptions, type DeliveryReport, deliverDueMessages } from "./deliver";
export { enqueueEmail } from "./enqueue";
export { type OutboxWorker, type OutboxWorkerOptions, startOutboxWorker } from "./worker";
