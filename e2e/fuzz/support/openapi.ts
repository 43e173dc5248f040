import type { Operation } from './requests';
import type { Schema } from './values';

interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: Operation['parameters']; requestBody?: { content: Record<string, { schema: Schema }> } }>>;
  components?: { schemas?: Record<string, Schema> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Every operation of the gateway's own `/openapi.json`, with `$ref` body schemas resolved. */
export async function operationsOf(baseUrl: string): Promise<Operation[]> {
  const response = await fetch(`${baseUrl}/openapi.json`);
  if (response.status !== 200) throw new Error(`/openapi.json answered ${response.status}`);
  const document = (await response.json()) as OpenApiDocument;
  const resolve = (schema: Schema | undefined): Schema | undefined => {
    if (!schema?.$ref) return schema;
    const name = schema.$ref.split('/').pop()!;
    const target = document.components?.schemas?.[name];
    if (!target) throw new Error(`/openapi.json: unresolved ${schema.$ref}`);
    return target;
  };
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]) => {
        const content = operation.requestBody?.content ?? {};
        const body = content['application/json'] ?? content['application/x-www-form-urlencoded'] ?? Object.values(content)[0];
        return {
          method: method.toUpperCase(),
          path,
          parameters: (operation.parameters ?? []).filter((parameter) => parameter.in !== 'header' && parameter.in !== 'cookie').map((parameter) => ({ ...parameter, schema: resolve(parameter.schema) })),
          body: resolve(body?.schema),
        };
      }),
  );
}
