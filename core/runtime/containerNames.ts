import { randomInt } from 'node:crypto';
import { StevedoreError } from '../errors.js';

const ADJECTIVES = [
  'agile',
  'bold',
  'brave',
  'calm',
  'clever',
  'eager',
  'fair',
  'gentle',
  'happy',
  'keen',
  'kind',
  'lucid',
  'merry',
  'nimble',
  'proud',
  'quiet',
  'quick',
  'sharp',
  'steady',
  'swift',
  'tidy',
  'vivid',
  'warm',
  'wise',
  'zesty',
];
const NOUNS = [
  'anchor',
  'barge',
  'beacon',
  'berth',
  'buoy',
  'cargo',
  'crane',
  'dock',
  'ferry',
  'galley',
  'harbor',
  'hull',
  'jetty',
  'keel',
  'lantern',
  'mast',
  'pier',
  'quay',
  'rudder',
  'sail',
  'schooner',
  'tide',
  'tugboat',
  'wharf',
  'winch',
];

/** docker's rule for container names. */
const VALID = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export function checkContainerName(name: string): string {
  if (!VALID.test(name) || name.length > 128) {
    throw new StevedoreError(
      'INVALID_ARGUMENT',
      `invalid container name "${name}": only [a-zA-Z0-9][a-zA-Z0-9_.-]+ is allowed (two characters at least)`,
    );
  }
  return name;
}

/** `swift_harbor`, as docker makes `adjective_surname`; a number is added when taken. */
export function generateContainerName(taken: Set<string>): string {
  for (let attempt = 0; ; attempt++) {
    const base = `${ADJECTIVES[randomInt(ADJECTIVES.length)]}_${NOUNS[randomInt(NOUNS.length)]}`;
    const name = attempt < 10 ? base : `${base}${attempt}`;
    if (!taken.has(name)) return name;
  }
}
