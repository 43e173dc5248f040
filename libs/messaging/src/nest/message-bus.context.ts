import { BaseRpcContext } from '@nestjs/microservices';
import type { IncomingMessage } from '../message-bus';

/** What a pattern handler can read besides the payload (`@Ctx()`): the message's topic, partition, offset, key, headers. */
export class MessageBusContext extends BaseRpcContext<[IncomingMessage]> {
  constructor(message: IncomingMessage) {
    super([message]);
  }

  getMessage(): IncomingMessage {
    return this.args[0];
  }
}

/** `@Ctx()` of a batch handler (`{ batch: true }`): the batch's messages, each partition's in offset order. */
export class MessageBusBatchContext extends BaseRpcContext<[IncomingMessage[]]> {
  constructor(messages: IncomingMessage[]) {
    super([messages]);
  }

  getMessages(): IncomingMessage[] {
    return this.args[0];
  }
}
