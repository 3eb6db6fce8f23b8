import type { Clock } from './clock.js';

/** Circuit breaker settings (one breaker per endpoint `{origin}/{context}/{version}`). */
export interface CircuitBreakerOptions {
  /** Consecutive failures (network errors, timeouts, 5xx) that open the circuit. Default 5. */
  readonly failureThreshold?: number;
  /** How long the circuit stays open before one trial call is let through. Default 30 000 ms. */
  readonly resetTimeoutMs?: number;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

/** A per-endpoint circuit breaker: closed → open after N failures → half-open after the cool-down → closed on success. */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private state: CircuitState = 'closed';
  private trialInFlight = false;

  constructor(
    private readonly clock: Clock,
    private readonly threshold: number,
    private readonly resetTimeoutMs: number,
  ) {}

  /** The state now (an open circuit whose cool-down has passed reports `half-open`). */
  current(): CircuitState {
    if (this.state === 'open' && this.clock.now() - this.openedAt >= this.resetTimeoutMs) return 'half-open';
    return this.state;
  }

  /** Milliseconds until an open circuit lets a trial through. */
  retryInMs(): number {
    return Math.max(0, this.openedAt + this.resetTimeoutMs - this.clock.now());
  }

  /** Whether a call may go out now; in half-open state only one trial at a time. */
  tryAcquire(): boolean {
    const state = this.current();
    if (state === 'closed') return true;
    if (state === 'open') return false;
    if (this.trialInFlight) return false;
    this.state = 'half-open';
    this.trialInFlight = true;
    return true;
  }

  success(): void {
    this.failures = 0;
    this.state = 'closed';
    this.trialInFlight = false;
  }

  failure(): void {
    this.trialInFlight = false;
    if (this.state === 'half-open') {
      this.open();
      return;
    }
    this.failures++;
    if (this.failures >= this.threshold) this.open();
  }

  /** A call that neither proves nor disproves health (4xx, caller abort) releases a half-open trial. */
  release(): void {
    if (this.state === 'half-open') {
      this.trialInFlight = false;
    }
  }

  private open(): void {
    this.state = 'open';
    this.openedAt = this.clock.now();
    this.failures = 0;
  }
}
