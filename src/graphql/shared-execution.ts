// Subscription execution shared between subscriptions that would compute the same: graphql-js
// executes the selection once per event per subscription, so 1,000 portal tabs open on one
// administration cost 1,000 executions of the same result. Here subscriptions of one person with
// the same operation text and variables execute each event once (perEvent: the bus hands every
// subscription the same event object), and each sends that result. Otherwise as graphql-js's
// `subscribe`: the source stream, each event executed with the event as its root value — except
// that an event whose execution failed unexpectedly (the database restarting) is skipped and logged
// rather than sent as an INTERNAL error, which clients take as the end of their subscription.
import { createSourceEventStream, execute, type DocumentNode, type ExecutionArgs, type ExecutionResult } from "graphql";
import { actorKey, type Viewer } from "../core/actor.js";
import { perEvent } from "../events/per-event.js";
import type { GraphQLContext } from "./context.js";
import { isUnexpected } from "./errors.js";

/** What makes two subscriptions' executions the same, apart from the viewer and the variables. */
const operationKeys = new WeakMap<DocumentNode, string>();

/** Names a parsed operation by its text, so subscriptions that sent the same text share their results. */
export function keyOperation(document: DocumentNode, text: string, operationName: string | null | undefined): void {
  operationKeys.set(document, `${operationName ?? ""}\n${text}`);
}

export async function sharedSubscribe(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const stream = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in stream)) return stream;
  const operation = operationKeys.get(args.document);
  const viewer: Viewer = (args.contextValue as GraphQLContext).viewer;
  // Unkeyed operations (none today) are executed per subscription, as graphql-js does.
  const key = operation && viewer.type !== "ANONYMOUS" ? `execution:${actorKey(viewer)}:${JSON.stringify(args.variableValues ?? {})}:${operation}` : null;
  const { services } = args.contextValue as GraphQLContext;
  const run = (event: object) => execute({ ...args, rootValue: event });
  const deliverable = async (result: ExecutionResult | Promise<ExecutionResult>): Promise<ExecutionResult | null> => {
    const done = await result;
    const unexpected = done.errors?.filter(isUnexpected) ?? [];
    if (unexpected.length === 0) return done;
    services.log("warn", "a live event failed to execute for its subscribers (the database away?) and was not sent", {
      error: String(unexpected[0]!.originalError ?? unexpected[0]),
    });
    return null;
  };
  const compute = (event: object) => deliverable(run(event));
  return mapEvents(stream[Symbol.asyncIterator](), (event) =>
    key && typeof event === "object" && event !== null ? perEvent(event, key, () => compute(event)) : compute(event as object),
  );
}

/** `source` with each value mapped, skipping those mapped to null; ending it ends the source at once. */
function mapEvents<T, R>(source: AsyncIterator<T>, map: (value: T) => Promise<R | null>): AsyncIterableIterator<R> {
  const mapped: AsyncIterableIterator<R> = {
    async next() {
      for (;;) {
        const result = await source.next();
        if (result.done) return { value: undefined, done: true };
        const value = await map(result.value);
        if (value !== null) return { value, done: false };
      }
    },
    async return() {
      await source.return?.();
      return { value: undefined, done: true };
    },
    async throw(error?: unknown) {
      await source.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return mapped;
    },
  };
  return mapped;
}
