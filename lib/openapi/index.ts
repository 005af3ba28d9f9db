export { buildOpenApiDocument, type OpenApiDocument } from "./document";
export { apiOperations, type ApiOperation } from "./operations";
