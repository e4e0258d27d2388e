/**
 * Open ends of ONNX's Slice in int64: `NEG_INF_I64` as the end of a negative-step slice means
 * "through index 0", `POS_INF_I64` "through the last index" (onnxruntime clamps both).
 */
export const NEG_INF_I64 = -(2 ** 62);
export const POS_INF_I64 = 2 ** 62;
