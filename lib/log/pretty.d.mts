export declare function prettyLine(jsonLine: string, colour?: boolean): string;
export declare function prettyDestination(
  output?: { write(text: string): unknown; isTTY?: boolean },
  colour?: boolean,
): { write(chunk: string): void };
