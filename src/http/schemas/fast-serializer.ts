/**
 * A compiled serializer for the answers of hot read routes.
 *
 * The app's default serializer (fastify-type-provider-zod) runs a full zod
 * encode of every answer before JSON.stringify. For the routes that are read
 * far more often than the rest (a State's balance), this one compiles the
 * zod schema's JSON Schema with fast-json-stringify, Fastify's own
 * serializer: it writes only the declared properties, in the declared order
 * and types, and fails on a missing required property. A schema that JSON
 * Schema cannot represent (a transform) is refused when the route is built.
 * test/http/balance.test.ts checks that both serializers write the same
 * bytes.
 */
import fastJson from 'fast-json-stringify';
import { z } from 'zod';

export function compileFastSerializer(schema: z.ZodType): (data: unknown) => string {
  const json = z.toJSONSchema(schema, { io: 'output', target: 'draft-7', unrepresentable: 'throw' });
  return fastJson(json as Parameters<typeof fastJson>[0]);
}

/** For a route's `serializerCompiler` option (Fastify calls it once per response schema of the route, at startup). */
export function fastSerializerCompiler({ schema }: { schema: unknown }): (data: unknown) => string {
  if (!(schema instanceof z.ZodType)) throw new Error('fastSerializerCompiler: the response schema is not a zod schema');
  return compileFastSerializer(schema);
}
