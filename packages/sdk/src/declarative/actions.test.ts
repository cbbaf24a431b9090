import { describe, expect, it } from 'vitest';
import { addAction, toActionMap, type ActionFn } from './actions';

describe('actions', () => {
  it('accepts integration:action names once each', () => {
    const actions = new Map<string, ActionFn>();
    const echo: ActionFn = (input) => input;
    addAction(actions, 'echo:echo', echo);
    addAction(actions, 'slack_v2:create-channel', echo);
    expect([...actions.keys()]).toEqual(['echo:echo', 'slack_v2:create-channel']);
    expect(() => addAction(actions, 'echo:echo', echo)).toThrow("registerAction(): action 'echo:echo' is already registered");
  });

  it.each(['echo', 'echo:', ':echo', 'a:b:c', 'echo echo:x', '-a:b', ''])('refuses the name %j', (name) => {
    expect(() => addAction(new Map(), name, () => null)).toThrow(/registerAction\(\): invalid action name .* must be "integration:action"/);
  });

  it('refuses a non-function and takes a plain object of actions', () => {
    expect(() => addAction(new Map(), 'a:b', 'nope' as unknown as ActionFn)).toThrow(
      "registerAction('a:b'): the action must be a function",
    );
    expect([...toActionMap({ 'a:b': () => 1 }).keys()]).toEqual(['a:b']);
    expect(() => toActionMap({ bad: () => 1 })).toThrow(/invalid action name "bad"/);
  });
});
