// Time travel over the machine: the replay timeline (docs/time-travel.md) and the state digest.

export * from './timeline';
export { stateHash, StateHashOptions } from './state-hash';
