import type { DestinationStream, Logger } from "pino";

export declare const REQUEST_ID_HEADER: "x-request-id";
export declare function createLogger(level?: string, destination?: DestinationStream): Logger;
export declare function sharedLogger(level?: string, format?: "json" | "pretty"): Logger;
