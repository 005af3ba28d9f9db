export declare const LOG_LEVELS: readonly ["fatal", "error", "warn", "info", "debug", "trace", "silent"];
export declare const LOG_FORMATS: readonly ["json", "pretty"];
