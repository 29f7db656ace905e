/**
 * onnxruntime-node (1.30, 1.31) ships Microsoft's telemetry switched on: the first session in a process
 * writes a device id under ~/.cache/Microsoft/DeveloperTools/.onnxruntime and queues usage events
 * for upload. The runtime reads ORT_DISABLE_TELEMETRY when it creates its environment (with the
 * first session), so importing this module before any session is created turns it off. An
 * operator's own ORT_DISABLE_TELEMETRY is left as it is.
 */
export function disableOnnxTelemetry(env: NodeJS.ProcessEnv = process.env): void {
  env.ORT_DISABLE_TELEMETRY ??= '1';
}

disableOnnxTelemetry();
