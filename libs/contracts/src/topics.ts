export const CONTEXTS = ['profile', 'token', 'oauth-app'] as const;
export type BoundedContext = (typeof CONTEXTS)[number];

/** Topic names are prefixed by `KAFKA_TOPIC_PREFIX` (empty by default) so test runs never collide. */
export const commandsTopic = (context: BoundedContext, prefix = ''): string => `${prefix}${context}.commands`;
export const eventsTopic = (context: BoundedContext, prefix = ''): string => `${prefix}${context}.events`;

export const allTopics = (prefix = ''): string[] =>
  CONTEXTS.flatMap((context) => [commandsTopic(context, prefix), eventsTopic(context, prefix)]);
