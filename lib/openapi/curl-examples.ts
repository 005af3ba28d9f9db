type JsonSchema = { type?: string | string[]; anyOf?: JsonSchema[]; properties?: Record<string, JsonSchema>; required?: string[]; format?: string; enum?: unknown[]; const?: unknown };
type Operation = {
  summary?: string;
  security?: unknown[];
  requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema }> };
};

const PLACEHOLDERS: Record<string, string> = {
  email: "alice@example.com",
  username: "alice",
  identifier: "alice",
  password: "correct horse battery staple",
  currentPassword: "correct horse battery staple",
  newPassword: "another long passphrase here",
  token: "TOKEN_FROM_THE_MAIL",
  name: "deploy script",
};

function exampleValue(name: string, schema: JsonSchema): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum?.length) return schema.enum[0];
  if (schema.type === "integer" || schema.type === "number") return 30;
  if (schema.type === "boolean") return true;
  return PLACEHOLDERS[name] ?? name;
}

/** A ready-to-paste curl command for one operation: required body fields filled with believable values. */
export function curlExample(method: string, path: string, operation: Operation): string {
  const lines = [`curl -s -X ${method.toUpperCase()} "$B${path.replace(/\{(\w+)\}/g, "$$$1").replace("$id", "$ID")}"`];
  if (operation.security?.length) lines.push(`-H "Authorization: Bearer $TOKEN"`);
  // An optional body is left out (the shorter call), and of alternative bodies the first is shown.
  const body = operation.requestBody?.required === false ? undefined : operation.requestBody?.content["application/json"]?.schema;
  const schema = body?.anyOf?.[0] ?? body;
  if (schema?.properties) {
    const required = new Set(schema.required ?? []);
    const example = Object.fromEntries(
      Object.entries(schema.properties)
        .filter(([name]) => required.has(name))
        .map(([name, property]) => [name, exampleValue(name, property)]),
    );
    lines.push(`-H 'content-type: application/json'`, `-d '${JSON.stringify(example)}'`);
  }
  return lines.join(" \\\n  ");
}
