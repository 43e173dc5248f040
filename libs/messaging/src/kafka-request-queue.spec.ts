// kafkajs 2.2.4 as patched by patches/kafkajs+2.2.4.patch (applied on install by patch-package).
const RequestQueue = require('kafkajs/src/network/requestQueue') as new (options: object) => {
  push(request: object): void;
  fulfillRequest(response: { correlationId: number; payload: Buffer; size: number }): void;
  maybeThrottle(milliseconds: number): void;
  destroy(): void;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
};

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

const queues: Array<{ destroy(): void }> = [];
// Destroyed even when an expectation fails: an unpatched queue's timer loop would keep Jest from exiting.
afterEach(() => queues.splice(0).forEach((queue) => queue.destroy()));

function queueAndRequests() {
  const queue = new RequestQueue({ maxInFlightRequests: null, requestTimeout: 30_000, enforceRequestTimeout: false, clientId: 'spec', broker: 'localhost:9092', logger: silent });
  queues.push(queue);
  const sent: number[] = [];
  const request = (correlationId: number) => ({
    entry: { correlationId, apiName: 'Fetch', apiKey: 1, apiVersion: 11, resolve: () => undefined, reject: () => undefined },
    expectResponse: true,
    sendRequest: () => sent.push(correlationId),
  });
  return { queue, sent, request };
}

describe('kafkajs request queue (patched)', () => {
  it('keeps no timer once a response arrives and nothing is pending', () => {
    // Unpatched, every response scheduled a check with a negative delay (1 ms), which scheduled the next: a
    // 1 ms timer loop per broker connection for the life of the process.
    const { queue, sent, request } = queueAndRequests();
    queue.push(request(1));
    queue.fulfillRequest({ correlationId: 1, payload: Buffer.alloc(0), size: 0 });
    expect(sent).toEqual([1]);
    expect(queue.throttleCheckTimeoutId).toBeNull();
  });

  it('still sends a request held back by broker throttling once the throttle ends', async () => {
    const { queue, sent, request } = queueAndRequests();
    queue.maybeThrottle(30);
    queue.push(request(1));
    expect(sent).toEqual([]);
    expect(queue.throttleCheckTimeoutId).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(sent).toEqual([1]);
    queue.fulfillRequest({ correlationId: 1, payload: Buffer.alloc(0), size: 0 });
    expect(queue.throttleCheckTimeoutId).toBeNull();
  });
});
