export { Callback, CallbackList, History, type Logs } from './callback.js';
export { ProgbarLogger } from './progbar.js';
export { EarlyStopping } from './early-stopping.js';
export { ReduceLROnPlateau } from './reduce-lr.js';
export { LearningRateScheduler, TerminateOnNaN, LambdaCallback } from './simple.js';
export { CSVLogger } from './csv-logger.js';
export { ModelCheckpoint, type ModelCheckpointArgs } from './model-checkpoint.js';
export { TensorBoard, type TensorBoardArgs } from './tensorboard/tensorboard.js';
