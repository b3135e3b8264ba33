/** The broker's source of time, passed in so tests can set it. Unix epoch milliseconds. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();
