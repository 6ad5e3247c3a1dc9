// Container logs on a node: the CRI log format, the reader behind `kubectl logs`, and rotation.
export { parseCriLine, formatCriLine, formatRfc3339Nano, LineSplitter, type CriLogEntry, type LogStream } from './cri-log.js';
export { parseLogOptions, LogOptionsError, type LogOptions } from './log-options.js';
export { readLogs, type ReadLogsContext } from './read-logs.js';
export { podLogDirectory, containerLogPath, listRotatedFiles, rotationStamp, type RotatedFile } from './log-files.js';
export {
  ContainerLogManager, planRotation, DEFAULT_MAX_LOG_FILES, DEFAULT_MAX_LOG_SIZE,
  type ContainerLogManagerOptions, type RotationAction, type RotationInput,
} from './log-rotation.js';
