import { InferenceSession } from 'onnxruntime-node';
import './onnx-telemetry';

export interface OnnxSessionOptions {
  /** Threads one inference may use (ORT_THREADS); the worker runs several stages at once. */
  threads: number;
}

/** A model built in memory (e.g. rewritten from another format at load), named for errors. */
export interface OnnxModelBytes {
  name: string;
  bytes: Uint8Array;
}

/** A CPU session with full graph optimisation; the error names the file (or built model) that failed to load. */
export async function createOnnxSession(model: string | OnnxModelBytes, options: OnnxSessionOptions): Promise<InferenceSession> {
  const modelPath = typeof model === 'string' ? model : model.name;
  const sessionOptions: InferenceSession.SessionOptions = {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: options.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    // On also for inputs of varying size (OCR detection of frame regions): PP-OCR without it made bench:pipeline 1.31x slower (docs/performance.md).
    enableCpuMemArena: true,
    // Idle pool threads sleep instead of busy-waiting: the worker runs several stages and engine threads at once, so spinning burns cores others need.
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
    // Errors only: exports commonly carry harmless warnings (unused initialisers) that would flood the worker log.
    logSeverityLevel: 3,
  };
  try {
    return typeof model === 'string' ? await InferenceSession.create(model, sessionOptions) : await InferenceSession.create(model.bytes, sessionOptions);
  } catch (err) {
    throw new Error(`cannot load ${modelPath}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/**
 * Checks that the session has exactly the inputs a manifest feeds and the output it reads, so a
 * manifest that does not fit its model fails at load with the names rather than at first use.
 */
export function assertSessionIo(session: InferenceSession, modelPath: string, inputs: string[], output: string): void {
  const missing = inputs.filter((name) => !session.inputNames.includes(name));
  const unfed = session.inputNames.filter((name) => !inputs.includes(name));
  if (missing.length) throw new Error(`${modelPath} has no input ${missing.join(', ')} (its inputs: ${session.inputNames.join(', ')})`);
  if (unfed.length) throw new Error(`${modelPath} also needs input ${unfed.join(', ')}, which its manifest does not name`);
  if (!session.outputNames.includes(output)) throw new Error(`${modelPath} has no output ${output} (its outputs: ${session.outputNames.join(', ')})`);
}

/** The declared shape of an output (numbers and symbolic names), null when the model leaves it open. */
export function declaredShape(session: InferenceSession, output: string): ReadonlyArray<number | string> | null {
  const meta = session.outputMetadata.find((m) => m.name === output);
  return meta && meta.isTensor && meta.shape.length > 0 ? meta.shape : null;
}

/** The declared last dimension of an output, when the model states it as a number. */
export function declaredLastDim(session: InferenceSession, output: string): number | null {
  const shape = declaredShape(session, output);
  const last = shape ? shape[shape.length - 1] : null;
  return typeof last === 'number' && last > 0 ? last : null;
}
