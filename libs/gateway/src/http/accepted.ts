import type { FastifyReply } from 'fastify';

/** A Privicore write: `202 {"commandId"}` with the id repeated in `X-Dpt-Cab-Id`. */
export const accepted = (reply: FastifyReply, commandId: string) => {
  void reply.status(202).header('X-Dpt-Cab-Id', commandId);
  return { commandId };
};
