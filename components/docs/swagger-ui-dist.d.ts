// swagger-ui-dist ships no types; the bundle is a UMD module exporting one function.
declare module "swagger-ui-dist/swagger-ui-bundle.js" {
  const SwaggerUIBundle: (options: { url: string; domNode: HTMLElement; deepLinking?: boolean }) => unknown;
  export default SwaggerUIBundle;
}
