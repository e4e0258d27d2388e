export { Callback, CallbackList, History, type Logs } from './callback';
export { ProgbarLogger } from './progbar';
export { EarlyStopping } from './early-stopping';
export { ReduceLROnPlateau } from './reduce-lr';
export { LearningRateScheduler, TerminateOnNaN, LambdaCallback } from './simple';
export { CSVLogger } from './csv-logger';
export { ModelCheckpoint, type ModelCheckpointArgs } from './model-checkpoint';
