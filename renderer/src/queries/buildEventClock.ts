/**
 * Counts the build events this window has received, so that an answer from the engine can be
 * told apart from the events it already holds. The engine writes a build's history before it
 * sends the event, and one connection delivers answers and events in the order they were sent:
 * an event received before an answer is in that answer, one received after it is not.
 */
let received = 0;

/** Stamps an event as it arrives. */
export function stampEvent(): number {
  received += 1;
  return received;
}

/** The stamp of the last event received: read right after an answer arrives, it marks what the answer holds. */
export function lastEventStamp(): number {
  return received;
}
