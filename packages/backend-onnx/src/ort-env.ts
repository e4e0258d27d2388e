/**
 * Imported before onnxruntime-node is loaded: turns off onnxruntime's telemetry unless the user set
 * ORT_DISABLE_TELEMETRY. On Linux it otherwise writes a session file (`.ses`) and a
 * `mat-debug-<pid>.log` into the temporary folder of every process that loads it, and leaves them.
 */
function telemetryOffUnlessSet(env: Record<string, string | undefined>): void {
  env.ORT_DISABLE_TELEMETRY ??= '1';
}

telemetryOffUnlessSet(process.env);
