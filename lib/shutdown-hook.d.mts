export declare const SHUTDOWN_HOOK: unique symbol;
