/**
 * Seeded, standing faults for fault-injection tests: a share of REST calls answered with an error, drawn from
 * a seeded generator so that a run can be repeated from its printed seed.
 */
import type { InjectedFault } from "../../src/sandbox/rest.js";

/** A scripted failure: the next `remaining` requests matching `method` and `path` get this answer. */
export interface FailRule extends InjectedFault {
  remaining: number;
  path?: RegExp;
  method?: string;
}

/** The first rule matching the request, used up by one (the band's RestHooks.fault). */
export function takeFault(rules: FailRule[], method: string, path: string): FailRule | undefined {
  const index = rules.findIndex((rule) => (!rule.method || rule.method.toUpperCase() === method) && (!rule.path || rule.path.test(path)));
  if (index < 0) return undefined;
  const rule = rules[index]!;
  if (--rule.remaining <= 0) rules.splice(index, 1);
  return rule;
}

/** mulberry32: small, fast and good enough to drive a test; the same seed gives the same sequence. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface FaultAnswer {
  status: number;
  /** Seconds, sent as `Retry-After`. */
  retryAfter?: number;
  code?: string;
  /** Answered as is instead of an error envelope (a scripted success, e.g. a cursor page that repeats). */
  body?: unknown;
}

export interface RandomFailures {
  /** The share of matching requests that fail, from 0 to 1. */
  share: number;
  /** Each failure answers one of these, drawn uniformly. */
  answers: readonly FaultAnswer[];
  random: () => number;
  /** Only requests whose path (without the query) matches; all by default. */
  path?: RegExp;
  method?: string;
}

export interface RandomFailuresHandle {
  /** How many requests were failed so far. */
  readonly injected: number;
  stop(): void;
}

/**
 * Adds a standing rule to the fake's failNext rules. takeFault asks each rule's `path.test(path)`
 * and then reads its status, so the chance is drawn in `test` and the drawn answer is what the rule reads back;
 * `remaining` never runs out, so the rule stays until stopped.
 */
export function addRandomFailures(rules: FailRule[], options: RandomFailures): RandomFailuresHandle {
  let answer: FaultAnswer = options.answers[0]!;
  let injected = 0;
  const pattern = options.path ?? /./;
  class ByChance extends RegExp {
    override test(path: string): boolean {
      if (!pattern.test(path) || options.random() >= options.share) return false;
      answer = options.answers[Math.floor(options.random() * options.answers.length)]!;
      injected++;
      return true;
    }
  }
  const rule: FailRule = {
    remaining: Number.POSITIVE_INFINITY,
    path: new ByChance(""),
    ...(options.method ? { method: options.method } : {}),
    get status() {
      return answer.status;
    },
    get retryAfter() {
      return answer.retryAfter;
    },
    get code() {
      return answer.code;
    },
    get body() {
      return answer.body;
    },
  };
  rules.push(rule);
  return {
    get injected() {
      return injected;
    },
    stop() {
      const index = rules.indexOf(rule);
      if (index >= 0) rules.splice(index, 1);
    },
  };
}
