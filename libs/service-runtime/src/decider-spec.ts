import type { Decider, DecisionContext } from './decider';
import { CommandRejected } from './decider';

/** Given events / when command / then events or rejection: a decider specification without mocks. */
export const deciderSpec = <C, E, S>(decider: Decider<C, E, S>, context: DecisionContext) => ({
  given: (events: E[]) => ({
    when: (command: C) => {
      const run = () => decider.decide(command, events.reduce(decider.evolve, decider.initialState()), context);
      return {
        then: (expected: E[]) => expect(run()).toEqual(expected),
        thenRejects: (reason: string) => {
          let rejection: unknown;
          try {
            run();
          } catch (error) {
            rejection = error;
          }
          expect(rejection).toBeInstanceOf(CommandRejected);
          expect((rejection as CommandRejected).reason).toBe(reason);
        },
      };
    },
  }),
});
