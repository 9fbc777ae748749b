// OpenTelemetry traces, off unless OTEL_EXPORTER_OTLP_ENDPOINT is set: requests in and out over HTTP
// (the Digipoort and webhook calls among them), every pg statement, GraphQL operations
// (graphql-http.ts), and jobs, mail and the other outside work `measured` (core/outcomes.ts) —
// exported over OTLP/HTTP. A job's span continues the trace of the request that queued it.
//
// main.ts and worker.ts import this module first, so http and pg are patched before anything loads
// them; that is also why it reads the environment itself instead of the validated config.
import { context, propagation, ROOT_CONTEXT, trace } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { registerInstrumentations } from "@opentelemetry/instrumentation";
import { HttpInstrumentation } from "@opentelemetry/instrumentation-http";
import { PgInstrumentation } from "@opentelemetry/instrumentation-pg";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from "@opentelemetry/semantic-conventions";
import { PROJECT_VERSION } from "../config/project-root.js";

const UNTRACED_PATHS = new Set(["/healthz", "/readyz", "/metrics"]);

let provider: NodeTracerProvider | null = null;

if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT) {
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: process.env.OTEL_SERVICE_NAME || "portaldesk", [ATTR_SERVICE_VERSION]: PROJECT_VERSION }),
    // The exporter reads OTEL_EXPORTER_OTLP_ENDPOINT (and _HEADERS) itself; the processor OTEL_BSP_*.
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.has((req.url ?? "").split("?")[0]!) }),
      new PgInstrumentation({ enhancedDatabaseReporting: false }),
    ],
  });
}

/** Whether spans are recorded and exported. */
export const tracingEnabled = provider !== null;

/** Sends the spans still buffered (a stopping process). */
export async function flushTraces(): Promise<void> {
  await provider?.shutdown().catch(() => undefined);
}

/** The trace and span id of the code running now, for log lines (nothing when tracing is off). */
export function currentTraceIds(): { traceId: string; spanId: string } | Record<string, never> {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}

/** The active trace as W3C headers (`traceparent`), to carry in a job's data; empty when tracing is off. */
export function traceCarrier(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/** Runs `work` as part of the trace `carrier` came from (a job queued by a traced request). */
export function continueTrace<T>(carrier: Record<string, string> | undefined, work: () => T): T {
  if (!carrier) return work();
  return context.with(propagation.extract(ROOT_CONTEXT, carrier), work);
}
