import { StateMachine, describeIllegalTransition, errorMessage, type StateChange } from '../../src/common';

type Light = 'off' | 'on' | 'broken';

class LampError extends Error {}

function lamp(observe?: (change: StateChange<Light>) => void): StateMachine<Light> {
  return new StateMachine<Light>({
    name: 'lamp',
    initial: 'off',
    transitions: { off: ['on', 'broken'], on: ['off', 'broken'], broken: [] },
    refuse: (refusal) => new LampError(describeIllegalTransition(refusal)),
    observe,
  });
}

describe('StateMachine', () => {
  it('moves along declared transitions and reports each change', () => {
    const changes: StateChange<Light>[] = [];
    const machine = lamp((change) => changes.push(change));
    machine.transition('on', 'switched');
    machine.transition('broken');
    expect(machine.state).toBe('broken');
    expect(changes).toEqual([
      { machine: 'lamp', from: 'off', to: 'on', reason: 'switched' },
      { machine: 'lamp', from: 'on', to: 'broken', reason: undefined },
    ]);
  });

  it("refuses an undeclared transition with the owner's error and stays where it was", () => {
    const machine = lamp();
    machine.transition('broken');
    expect(() => machine.transition('on', 'repair')).toThrow(new LampError('lamp: illegal transition broken -> on (repair)'));
    expect(machine.state).toBe('broken');
    expect(machine.canTransition('off')).toBe(false);
  });

  it('is() reads the current state', () => {
    const machine = lamp();
    expect(machine.is('off', 'broken')).toBe(true);
    machine.transition('on');
    expect(machine.is('off', 'broken')).toBe(false);
  });
});

describe('errorMessage', () => {
  it('reads Errors, strings and other thrown values', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('plain')).toBe('plain');
    expect(errorMessage(42)).toBe('42');
    expect(errorMessage(Object.create(null))).toBe('[object Object]');
  });
});
