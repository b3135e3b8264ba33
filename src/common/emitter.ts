// A tiny typed event emitter with disposable subscriptions, runtime neutral
// (no node:events), so client and adapter code can share one event shape.

export interface Disposable {
  dispose(): void;
}

export type Listener<T> = (value: T) => void;

/** Subscribes a listener; dispose() unsubscribes it. */
export type Event<T> = (listener: Listener<T>) => Disposable;

export class Emitter<T> {
  private readonly listeners = new Set<Listener<T>>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  /** Calls every listener; one listener that throws does not stop the others. */
  fire(value: T): void {
    for (const l of [...this.listeners]) {
      try {
        l(value);
      } catch {
        // A listener's failure is its own; the emitter keeps delivering.
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
