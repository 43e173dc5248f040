export interface StartFacts {
  port: number;
  issuer: string;
  /** The embedded cluster, when one was started, and the file its password is kept in. */
  database?: { databaseUrl: string; passwordFile: string };
  bus: string;
  keyEncryptionSecretFile?: string;
}

/** What a newcomer needs after `npm start`. The database password stays in its file: the console shows how to read it. */
export function startBanner({ port, issuer, database, bus, keyEncryptionSecretFile }: StartFacts): string {
  const local = `http://localhost:${port}`;
  const lines = [
    `platform ready on ${local} (${database ? 'embedded PostgreSQL' : 'DATABASE_URL'}, ${bus})`,
    ...(issuer === local ? [] : [`  issuer:      ${issuer}`]),
    `  API docs:    ${local}/docs  (OpenAPI: ${local}/openapi.json)`,
    `  health:      ${local}/health/ready`,
  ];
  if (database) {
    const url = new URL(database.databaseUrl);
    url.password = 'PASSWORD';
    const shellUrl = url.toString().replace('PASSWORD', `$(cat '${database.passwordFile}')`);
    lines.push(
      `  PostgreSQL:  ${url.toString().replace('PASSWORD', '***')}  (password in ${database.passwordFile})`,
      `  maintenance scripts (npm run rotate-signing-key, npm run rebuild-read-models) while it runs:`,
      `    DATABASE_URL="${shellUrl}"${keyEncryptionSecretFile ? ` KEY_ENCRYPTION_SECRET_FILE='${keyEncryptionSecretFile}'` : ''} npm run …`,
    );
  }
  return lines.join('\n');
}
