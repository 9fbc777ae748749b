// @portaldesk/sdk: a typed client for the PortalDesk GraphQL API.
export { createClient, PortalDeskClient, type ClientOptions, type RequestOptions, type TokenSource } from "./client.js";
export { operationOf, type OperationDocument } from "./documents.js";
export * from "./errors.js";
export { collectConnection, iterateConnection, type PageOf } from "./pagination.js";
export { FileUpload, upload, type Uploadable, type UploadSource } from "./upload.js";
export { verifyWebhook, WebhookVerificationError, type VerifyWebhookOptions, type WebhookEventPayload } from "./webhooks.js";
export * from "./generated/graphql.js";
